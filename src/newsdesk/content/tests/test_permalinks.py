"""Stable permalinks; a changed slug leaves a permanent redirect."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from newsdesk.content.models import Article, ArticleRedirect


def test_the_permalink_has_section_local_date_and_slug(make_article, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    # 20:00 UTC on the 18th is already the 19th in Shanghai.
    at = datetime(2025, 5, 18, 20, 0, tzinfo=ZoneInfo("UTC"))
    article = make_article(slug="talks", publish_at=at)
    assert article.get_absolute_url() == "/china/2025/05/19/talks/"


def test_a_renamed_published_article_redirects_from_its_old_address(
    client, make_article
):
    article = make_article(slug="old-name")
    old_url = article.get_absolute_url()
    article.slug = "new-name"
    article.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_renaming_twice_keeps_every_old_address(client, make_article):
    article = make_article(slug="first")
    first_url = article.get_absolute_url()
    article.slug = "second"
    article.save()
    article.slug = "third"
    article.save()
    response = client.get(first_url)
    assert response.status_code == 301
    assert response["Location"].endswith("/third/")


def test_renaming_back_to_an_old_slug_drops_that_redirect(client, make_article):
    article = make_article(slug="a")
    article.slug = "b"
    article.save()
    article.slug = "a"
    article.save()
    assert client.get(article.get_absolute_url()).status_code == 200
    assert article.redirects.get().old_slug == "b"


def test_a_draft_renamed_before_publishing_leaves_no_redirect(make_article):
    article = make_article(slug="working-title", status=Article.Status.DRAFT)
    article.slug = "final-title"
    article.save()
    assert not article.redirects.exists()


def test_an_address_with_an_outdated_section_or_date_redirects(client, make_article):
    article = make_article(slug="moved")
    response = client.get("/world/2001/01/01/moved/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_an_unpublished_articles_old_address_is_not_found(client, make_article):
    article = make_article(slug="old")
    old_url = article.get_absolute_url()
    article.slug = "new"
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(old_url).status_code == 404


def test_a_new_article_taking_an_old_slug_replaces_the_redirect(client, make_article):
    first = make_article(slug="budget")
    first.slug = "budget-2025"
    first.save()
    second = make_article(slug="budget")
    assert not ArticleRedirect.objects.filter(old_slug="budget").exists()
    assert client.get(second.get_absolute_url()).status_code == 200
