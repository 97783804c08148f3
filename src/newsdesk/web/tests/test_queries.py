"""Each public page runs a fixed number of SQL queries, however big the site."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsdesk.content.models import Article, Author, Section, Tag
from newsdesk.popularity.models import HourlyViews, this_hour

# Upper bounds per page: generous enough to allow a widget, tight enough to
# catch a query per row.
LIMITS = {"front": 12, "article": 12, "section": 9, "tag": 9, "author": 9}


def build_site(articles: int, sections: int, tags: int) -> dict[str, str]:
    now = timezone.now()
    all_sections = [
        Section.objects.create(name=f"Section {n}", slug=f"section-{n}", position=n)
        for n in range(sections)
    ]
    all_tags = [
        Tag.objects.create(name=f"Tag {n}", slug=f"tag-{n}") for n in range(tags)
    ]
    authors = [
        Author.objects.create(name=f"Author {n}", slug=f"author-{n}") for n in range(3)
    ]
    Article.objects.bulk_create(
        Article(
            title=f"Story {n}",
            slug=f"story-{n}",
            section=all_sections[n % sections],
            body=f"<p>Story {n} body text with several words in it.</p>",
            status=Article.Status.PUBLISHED,
            publish_at=now - timedelta(minutes=n + 1),
        )
        for n in range(articles)
    )
    stored = list(Article.objects.order_by("pk"))
    Article.tags.through.objects.bulk_create(
        Article.tags.through(article=a, tag=all_tags[(i + k) % tags])
        for i, a in enumerate(stored)
        for k in range(3)
    )
    Article.authors.through.objects.bulk_create(
        Article.authors.through(article=a, author=authors[i % 3])
        for i, a in enumerate(stored)
    )
    HourlyViews.objects.bulk_create(
        HourlyViews(article=a, hour=this_hour(), views=i + 1)
        for i, a in enumerate(stored)
    )
    article = stored[len(stored) // 2]
    return {
        "front": "/",
        "article": article.get_absolute_url(),
        "section": all_sections[0].get_absolute_url(),
        "tag": all_tags[0].get_absolute_url(),
        "author": authors[0].get_absolute_url(),
    }


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers={"user-agent": "Mozilla/5.0 test reader"})
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", sorted(LIMITS))
def test_a_page_runs_the_same_queries_for_10_or_500_articles(
    client, db, page, settings
):
    settings.NEWSDESK_VIEWS_FLUSH_SECONDS = 3600  # Count the page, not the flush.
    small = build_site(articles=10, sections=3, tags=5)
    small_count = count_queries(client, small[page])
    Article.objects.all().delete()
    Section.objects.all().delete()
    Tag.objects.all().delete()
    Author.objects.all().delete()
    cache.clear()
    big = build_site(articles=500, sections=12, tags=40)
    big_count = count_queries(client, big[page])
    assert small_count == big_count
    assert big_count <= LIMITS[page]
