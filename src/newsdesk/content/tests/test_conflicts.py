"""Two people editing one article: nothing is lost, nobody is silently overwritten."""

from __future__ import annotations

import pytest
from django.test import Client

from newsdesk.content.models import Article, EditConflict
from newsdesk.content.tests.test_newsroom import form_data
from newsdesk.tests.support import member, parse, texts


@pytest.fixture
def second_editor(db):
    user = member("erin", "Editor")
    client = Client()
    client.force_login(user)
    return client


def opened(client, article: Article) -> dict:
    """Open the article's form and return what it would post, unchanged."""
    tree = parse(client.get(f"/desk/content/article/{article.pk}/change/"))
    version = tree.css_first("input[name=base_version]").attributes["value"]
    return form_data(
        article.section,
        title=article.title,
        slug=article.slug,
        body=article.body,
        status="draft",
        base_version=version,
    )


def test_a_save_on_top_of_an_unseen_version_is_refused_and_the_text_kept(
    editor_client, second_editor, make_article
):
    article = make_article("Council votes", status=Article.Status.DRAFT)
    url = f"/desk/content/article/{article.pk}/change/"
    mine, theirs = opened(editor_client, article), opened(second_editor, article)

    first = second_editor.post(url, theirs | {"title": "Council votes yes"})
    assert first.status_code == 302
    refused = editor_client.post(url, mine | {"body": "<p>My new paragraph.</p>"})
    assert refused.status_code == 200
    tree = parse(refused)
    assert "erin saved this article" in tree.css_first(".errorlist.nonfield").text()
    # What changed meanwhile is shown; the refused text is still in the form.
    headline = dict(zip(texts(tree, ".desk-conflict dt"), tree.css(".desk-conflict dd"),
                        strict=True))["Headline"]  # fmt: skip
    assert texts(headline, "ins") == ["yes"]
    assert "My new paragraph." in tree.css_first("textarea[name=body]").text()
    article.refresh_from_db()
    assert article.title == "Council votes yes"

    # Having seen their change, saving again replaces it; theirs stays in history.
    again = tree.css_first("input[name=base_version]").attributes["value"]
    merged = mine | {"title": "Council votes yes", "body": "<p>My new paragraph.</p>",
                     "base_version": again}  # fmt: skip
    assert editor_client.post(url, merged).status_code == 302
    article.refresh_from_db()
    assert article.body == "<p>My new paragraph.</p>"
    kept = [r.data["body"] for r in article.revisions.order_by("number")]
    assert article.body in kept[-1]
    assert any("The body of council votes" in body for body in kept)


def test_every_write_path_refuses_a_stale_save(make_article):
    article = make_article("Port reopens")
    first, second = (
        Article.objects.get(pk=article.pk),
        Article.objects.get(pk=article.pk),
    )
    first.title = "Port reopens on Monday"
    first.save()
    second.standfirst = "Written without seeing the new headline."
    with pytest.raises(EditConflict):
        second.save()
    article.refresh_from_db()
    assert (article.title, article.standfirst) == ("Port reopens on Monday", "")
    assert article.version == 2


def test_the_newsroom_shows_who_else_has_the_article_open(
    editor_client, second_editor, make_article
):
    article = make_article("Budget day")
    url = f"/desk/content/article/{article.pk}/change/"
    alone = parse(editor_client.get(url)).css_first(".desk-presence")
    assert "hidden" in alone.attributes
    tree = parse(second_editor.get(url))
    assert tree.css_first(".desk-presence").text(strip=True) == "Also open by eddie."
    heartbeat = editor_client.post(f"/desk/content/article/{article.pk}/presence/")
    assert heartbeat.json() == {"others": ["erin"]}
