"""Drafts and scheduled articles appear on no public page and in no block."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.conf import settings
from django.utils import timezone

from newsdesk.content.models import Article, Section, Tag
from newsdesk.popularity.models import HourlyViews, this_hour
from newsdesk.search.indexing import rebuild
from newsdesk.tests.support import SEED_ARTICLE_SLUG, parse


@pytest.fixture
def hidden(demo_site):
    """Make unpublished articles that every block would show if it could."""
    seed = Article.objects.get(slug=SEED_ARTICLE_SLUG)
    now = timezone.now()
    hidden = [
        Article.objects.create(
            title="Secret draft about consultations",
            slug="secret-draft",
            section=seed.section,
            body="<p>Unpublished draft body.</p>",
            status=Article.Status.DRAFT,
            publish_at=now - timedelta(minutes=1),
            featured=True,
        ),
        Article.objects.create(
            title="Embargoed scheduled story",
            slug="embargoed-story",
            section=Section.objects.exclude(pk=seed.section_id).first(),
            body="<p>Scheduled body.</p>",
            status=Article.Status.PUBLISHED,
            publish_at=now + timedelta(minutes=5),
            featured=True,
        ),
    ]
    hidden += list(Article.objects.filter(title__startswith=("DRAFT")))
    hidden += list(Article.objects.filter(title__startswith=("SCHEDULED")))
    # Everything with status published goes into the search index, the scheduled
    # story too: the rule of what is public must hold at query time.
    rebuild()
    for article in hidden:
        article.tags.set(Tag.objects.all())
        HourlyViews.objects.create(article=article, hour=this_hour(), views=1_000_000)
    return hidden


def crawl(client, limit: int = 400) -> dict[str, str]:
    """Follow every internal link from the front page and the sitemaps.

    Return url -> body for pages, feeds, sitemaps and robots.txt.
    """
    own = settings.NEWSDESK_SITE_URL
    seen: dict[str, str] = {}
    queue = ["/", "/robots.txt", "/sitemap.xml"]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response) if response.streaming else response.content
        seen[url] = body.decode()
        if response["Content-Type"].startswith("text/html"):
            # Links, and the feeds pages announce.
            links = [
                link.attributes["href"] or ""
                for link in parse(response).css("a[href], link[rel=alternate]")
            ]
        else:
            links = re.findall(r"<loc>([^<]+)</loc>", seen[url])
        for link in links:
            href = urldefrag(urljoin(url, link.removeprefix(own)))[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/"):
                continue
            if href.startswith(("/desk/", "/static/", "/media/")):
                continue
            if href not in seen:
                queue.append(href)
    return seen


@pytest.mark.parametrize("caches", [False, True])
def test_no_public_page_shows_a_draft_or_future_article(
    client, hidden, settings, caches
):
    settings.NEWSDESK_PAGE_SIZE = 2  # So archives have second and later pages.
    settings.NEWSDESK_PAGE_CACHE = settings.NEWSDESK_FRAGMENT_CACHE = caches
    pages = crawl(client)
    assert len(pages) > 30  # front, sections, tags, authors, every article
    assert any("?page=3" in url for url in pages)
    assert {"/feed/", "/feed/atom/", "/china/feed/"} <= set(pages)
    sitemaps = {"/sitemap.xml", "/sitemap-news.xml", "/sitemap-tags.xml"}
    assert sitemaps <= set(pages)
    assert any(url.startswith("/sitemap-articles-") for url in pages)
    for article in hidden:
        for url, html in pages.items():
            assert article.title not in html, (article.title, url)
            assert article.slug not in html, (article.slug, url)


def test_hidden_articles_own_addresses_are_not_found(client, hidden):
    for article in hidden:
        assert client.get(article.get_absolute_url()).status_code == 404


def test_a_scheduled_article_appears_once_its_time_comes(client, hidden):
    scheduled = next(a for a in hidden if a.slug == "embargoed-story")
    scheduled.publish_at = timezone.now() - timedelta(seconds=1)
    scheduled.save()
    assert client.get(scheduled.get_absolute_url()).status_code == 200
    assert scheduled.title in client.get("/").content.decode()


def test_search_finds_no_draft_or_future_article(client, hidden):
    for article in hidden:
        for words in (article.title, article.title.split()[-1], "body"):
            tree = parse(client.get("/search/", {"q": words}))
            # The query is echoed on the page; the results must not hold it.
            found = tree.css_first(".search-results")
            results = found.html if found is not None else ""
            assert article.slug not in results, words
            assert article.title not in results, words
