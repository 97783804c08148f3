"""Slugs in any script, typed in the newsroom: kept, and answered at."""

from __future__ import annotations

from urllib.parse import quote

from newsdesk.content.models import Article, Redirect, Section
from newsdesk.content.tests.test_newsroom import ADD_URL, form_data


def test_the_newsroom_saves_an_article_with_a_chinese_slug(editor_client, section):
    response = editor_client.post(
        ADD_URL, form_data(section, slug="调试nginx", status="published")
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.slug == "调试nginx"
    assert article.get_absolute_url().endswith("/" + quote("调试nginx") + "/")


def test_the_newsroom_still_refuses_a_slug_with_spaces_or_slashes(
    editor_client, section
):
    for bad in ("调试 nginx", "a/b"):
        response = editor_client.post(ADD_URL, form_data(section, slug=bad))
        assert response.status_code == 200
        assert not Article.objects.exists()
        assert bad in response.content.decode()  # What was typed is kept.


def test_a_section_with_a_polish_slug_is_made_in_the_newsroom(editor_client):
    response = editor_client.post(
        "/desk/content/section/add/",
        {"name": "Źródła", "slug": "źródła", "description": "", "position": 0},
    )
    assert response.status_code == 302
    assert Section.objects.get().get_absolute_url() == "/" + quote("źródła") + "/"


def test_renaming_a_unicode_slug_keeps_the_old_address(editor_client, make_article):
    article = make_article("调试", slug="调试")
    old = article.get_absolute_url()
    article.slug = "调试nginx"
    article.save()
    assert Redirect.objects.target(Redirect.key(old)) == article
    response = editor_client.get(old)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
