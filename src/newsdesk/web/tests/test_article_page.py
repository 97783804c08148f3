"""The article page shows everything the seed page shows, from parsed HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.content.models import Article
from newsdesk.tests.support import SEED_ARTICLE_SLUG, parse, texts

# A copy of shared/seed/000_d1e4cc541e38c8f1.txt, the page Newsdesk reproduces.
SEED_PAGE = Path(__file__).with_name("fixtures") / "seed_page.txt"
SEED_HEADINGS = [
    "Historical Context of China-Russia Relations:",
    "Strategic Significance:",
    "Leadership Engagement:",
    "Bilateral Agreements and Cooperation:",
    "Global Multipolarity and the Role of China and Russia:",
    "Strategic Security Consultations:",
    "Expectations for the 18th Round of Consultations:",
]


@pytest.fixture
def seed_article(demo_site):
    return Article.objects.get(slug=SEED_ARTICLE_SLUG)


@pytest.fixture
def page(client, seed_article):
    response = client.get(seed_article.get_absolute_url())
    assert response.status_code == 200
    return parse(response)


def test_it_shows_the_section_label_and_title(page):
    assert page.css_first("article .section-label").text(strip=True) == "China"
    assert page.css_first("h1").text(strip=True) == (
        "China-Russia Strategic Security Consultations: Strengthening a Global "
        "Partnership"
    )
    assert len(page.css("h1")) == 1


def test_it_shows_each_sub_heading_as_a_heading(page):
    assert texts(page, ".article-body h2") == SEED_HEADINGS


def test_it_shows_the_seven_point_list_as_an_ordered_list(page):
    items = texts(page, ".article-body ol > li")
    assert len(items) == 7
    assert items[0].startswith("Implementation of High-Level Agreements:")
    assert items[6].startswith("People-to-People Exchanges:")


def seed_body_paragraphs() -> list[str]:
    """Return the seed article's paragraphs: its body text bar headings and list."""
    lines = SEED_PAGE.read_text(encoding="utf-8").splitlines()
    first = next(n for n, line in enumerate(lines) if line.startswith("Wang Yi, "))
    end = lines.index("Read More:")
    return [
        line
        for line in lines[first:end]
        if line.strip() and line not in SEED_HEADINGS and not line.startswith("  ")
    ]


def test_the_body_matches_the_seed_page_text(page):
    expected = seed_body_paragraphs()
    assert len(expected) == 18  # The seed page's count: the fixture parsed right.
    assert texts(page, ".article-body p") == expected


def test_it_shows_byline_and_publish_time(page, seed_article):
    meta = page.css_first("article header .meta")
    authors = [a.name for a in seed_article.authors.all()]
    assert authors
    assert all(name in meta.text() for name in authors)
    assert (
        meta.css_first("time")
        .attributes["datetime"]
        .startswith(str(seed_article.publish_at.year))
    )


def test_read_more_lists_related_articles_newest_first_never_itself(page, seed_article):
    block = page.css_first("section.read-more")
    assert block.css_first("h2").text(strip=True) == "Read More:"
    links = [a.attributes["href"] for a in block.css("li a")]
    assert links
    assert seed_article.get_absolute_url() not in links
    related = [
        Article.objects.get(slug=href.rstrip("/").rsplit("/", 1)[1]) for href in links
    ]
    tags = set(seed_article.tags.all())
    for article in related:
        assert article.section == seed_article.section or tags & set(article.tags.all())
    times = [article.publish_at for article in related]
    assert times == sorted(times, reverse=True)


def test_other_content_comes_from_other_sections(page, seed_article):
    block = page.css_first("section.other-content")
    assert block.css_first("h2").text(strip=True) == "Check out our other content"
    names = texts(block, ".section-name")
    assert names
    assert "China" not in names


def test_it_lists_the_articles_tags(page, seed_article):
    block = page.css_first("section.tags")
    assert block.css_first("h2").text(strip=True) == "Check out other tags:"
    assert sorted(texts(block, "a[rel=tag]")) == sorted(
        tag.name for tag in seed_article.tags.all()
    )


def test_it_shows_most_popular_ranked_by_views(page):
    block = page.css_first("section.most-popular")
    assert block.css_first("h2").text(strip=True) == "Most Popular Articles"
    items = block.css("ol li a")
    assert items
    # The seed article has the most demo views.
    assert items[0].text(strip=True).startswith("China-Russia Strategic Security")


def test_the_latest_strip_matches_the_seed_page(page):
    strip = page.css_first(".latest-strip")
    assert texts(strip, "li > a") == [
        "How AI Powers Candy Crush Saga’s Thousands of Puzzle Levels",
        "Cristiano Ronaldo Tops 2024 Highest-Paid Athletes List with $275 Million",
        "Manus AI Opens to the Public Amid Growing Competition and New Funding",
    ]
    assert texts(strip, "li > p") == [
        "Players navigating through the vast world of...",
        "Cristiano Ronaldo has once again claimed the...",
        "Manus AI, a rapidly emerging general-purpose AI...",
    ]


def test_the_page_has_landmarks_and_a_skip_link(page):
    for selector in ("header", "nav", "main#content", "footer", "aside"):
        assert page.css_first(selector) is not None, selector
    assert page.css_first("a.skip-link").attributes["href"] == "#content"
    assert page.css_first("html").attributes["lang"].startswith("en")


def test_the_top_bar_shows_the_local_date_in_the_seeds_form(client, db, settings):
    from datetime import datetime
    from unittest import mock
    from zoneinfo import ZoneInfo

    settings.TIME_ZONE = "Asia/Shanghai"
    # 20:00 UTC on Sunday the 18th is already Monday the 19th in Beijing.
    moment = datetime(2025, 5, 18, 20, 0, tzinfo=ZoneInfo("UTC"))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        tree = parse(client.get("/"))
    shown = tree.css_first(".top-bar time.today")
    assert shown.text(strip=True) == "Monday, May 19, 2025"
    assert shown.attributes["datetime"] == "2025-05-19"


def test_names_and_titles_are_escaped(client, make_article):
    from newsdesk.content.models import Author, Tag

    hostile = "<script>alert(1)</script>"
    article = make_article(
        title=f"Title {hostile}",
        standfirst=f"Standfirst {hostile}",
        tags=[Tag.objects.create(name=f"Tag {hostile}", slug="t")],
        authors=[Author.objects.create(name=f"Author {hostile}", slug="a")],
    )
    for url in ("/", article.get_absolute_url(), "/tag/t/", "/author/a/"):
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html, url
        assert "&lt;script&gt;alert(1)" in html, url
