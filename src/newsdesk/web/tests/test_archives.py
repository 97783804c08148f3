"""Section, tag and author archives, with pagination."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from newsdesk.content.models import Author, Tag
from newsdesk.tests.support import parse, texts


@pytest.fixture
def many(make_article, settings):
    settings.NEWSDESK_PAGE_SIZE = 5
    tag = Tag.objects.create(name="Rail", slug="rail")
    author = Author.objects.create(name="Li Wei", slug="li-wei", bio="Covers trade.")
    now = timezone.now()
    return [
        make_article(
            f"Story {n:02d}",
            publish_at=now - timedelta(hours=n + 1),
            tags=[tag],
            authors=[author],
        )
        for n in range(12)
    ]


@pytest.mark.parametrize("url", ["/china/", "/tag/rail/", "/author/li-wei/"])
def test_archives_list_articles_newest_first_in_pages(client, many, url):
    first = parse(client.get(url))
    assert texts(first, ".archive-list h2") == [f"Story {n:02d}" for n in range(5)]
    assert first.css_first("link[rel=next]").attributes["href"] == f"{url}?page=2"
    assert first.css_first("link[rel=prev]") is None
    last = parse(client.get(f"{url}?page=3"))
    assert texts(last, ".archive-list h2") == ["Story 10", "Story 11"]
    assert last.css_first("link[rel=prev]").attributes["href"] == f"{url}?page=2"
    assert last.css_first("link[rel=next]") is None


@pytest.mark.parametrize("page", ["4", "0", "abc", "-1"])
def test_a_page_out_of_range_is_not_found(client, many, page):
    assert client.get(f"/china/?page={page}").status_code == 404


def test_the_author_page_shows_the_bio(client, many):
    tree = parse(client.get("/author/li-wei/"))
    assert tree.css_first("h1").text(strip=True) == "Li Wei"
    assert tree.css_first(".description").text(strip=True) == "Covers trade."


@pytest.mark.parametrize("url", ["/nowhere/", "/tag/nowhere/", "/author/nobody/"])
def test_unknown_archives_give_the_404_page(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    tree = parse(response)
    assert tree.css_first("h1").text(strip=True) == "Page not found"
    assert tree.css_first(".top-bar") is not None


@pytest.mark.parametrize("page", ["²", "٣", "1" * 5000, "1.0", " 2"])
def test_odd_page_numbers_are_not_found_not_errors(client, many, page):
    assert client.get("/china/", {"page": page}).status_code == 404
