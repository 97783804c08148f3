"""WordPress's people and metadata: Co-Authors Plus bylines, Yoast SEO, dates."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from django.db import transaction
from lxml import etree

from newsdesk.content import publishing
from newsdesk.content.models import Article, Author
from newsdesk.imports.importer import Importer
from newsdesk.imports.sources.wordpress import WordPressSource
from newsdesk.tests.support import parse

FIXTURES = Path(__file__).parent / "fixtures" / "wxr-people"
COAUTHORS = FIXTURES / "coauthors.xml"
YOAST = FIXTURES / "yoast-and-dates.xml"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def run(path: Path):
    return Importer(WordPressSource()).run(str(path))


def article(slug: str) -> Article:
    return Article.objects.get(slug=slug)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# --- Co-Authors Plus ------------------------------------------------------------


@pytest.mark.django_db
def test_co_authors_are_the_bylines_in_their_order_with_display_names():
    source = WordPressSource()
    importer = Importer(source)
    with transaction.atomic():
        entries = list(source.entries(str(COAUTHORS), importer))
        transaction.set_rollback(True)
    bylines = {e.slug: [(a.slug, a.name) for a in e.authors] for e in entries}
    assert bylines["night-ferry-returns"] == [
        ("tobrien", "Tom O'Brien"),  # A user: the display name of <wp:author>.
        ("amina-diallo", "Amina Diallo-Sy"),  # A guest author's own display name.
        ("mkowalska", "Maria Kowalska"),
        ("jk", "J. K. Lund"),  # Known by its author term's description only.
    ]
    # No co-authors: the post's creator.
    assert bylines["harbour-master-retires"] == [("tobrien", "Tom O'Brien")]


@pytest.mark.django_db
def test_every_co_author_is_an_author_of_the_story_on_its_page(client):
    report = run(COAUTHORS)
    assert report.imported == 2  # The guest author's profile is no article.
    story = article("night-ferry-returns")
    assert sorted(a.name for a in story.authors.all()) == [
        "Amina Diallo-Sy", "J. K. Lund", "Maria Kowalska", "Tom O'Brien",
    ]  # fmt: skip
    assert [a.name for a in article("harbour-master-retires").authors.all()] == [
        "Tom O'Brien"
    ]
    # A user and the same user as a co-author are one author.
    assert Author.objects.filter(slug="tobrien").count() == 1
    page = parse(client.get(story.get_absolute_url()))
    names = {node.text(strip=True) for node in page.css(".byline a[rel=author]")}
    assert names == {"Amina Diallo-Sy", "J. K. Lund", "Maria Kowalska", "Tom O'Brien"}
    assert not any("author" in reason for reason in report.skipped if "term" in reason)


# --- Yoast SEO ------------------------------------------------------------------


@pytest.mark.django_db
def test_yoast_title_and_description_become_the_search_engine_fields(client):
    run(YOAST)
    story = article("dredging-starts")
    # %%page%% is unknown here and goes, with the separator it leaves dangling.
    title = "Dredging: Dredging starts in the outer basin - Harbour Herald"
    description = (
        "Work on the outer basin begins, and lasts until autumn. "
        "Maps of the works inside."
    )
    assert story.seo_title == title
    assert story.seo_description == description
    page = parse(client.get(story.get_absolute_url()))
    head = page.css_first("head")
    assert head.css_first("title").text() == title

    def meta(selector: str) -> str:
        return head.css_first(f"meta[{selector}]").attributes["content"]

    assert meta('name="description"') == description
    assert meta('property="og:title"') == title
    assert meta('property="og:description"') == description
    assert meta('name="twitter:title"') == title
    graph = json.loads(head.css_first("script[type='application/ld+json']").text())
    news = next(n for n in graph["@graph"] if n["@type"] == "NewsArticle")
    assert news["headline"] == "Dredging starts in the outer basin"
    # The page's own heading is the headline, not the search engines' title.
    assert page.css_first("h1").text(strip=True) == story.title


@pytest.mark.django_db
def test_a_story_without_yoast_fields_keeps_headline_and_site_name(client):
    run(YOAST)
    story = article("tide-tables-june")
    assert story.seo_title == story.seo_description == ""
    head = parse(client.get(story.get_absolute_url())).css_first("head")
    assert head.css_first("title").text().startswith("Tide tables for June | ")


# --- Dates ----------------------------------------------------------------------


@pytest.mark.django_db
def test_an_imported_story_is_not_updated_at_the_import(client):
    run(COAUTHORS)
    story = article("night-ferry-returns")
    # post_modified_gmt, seventy seconds after publishing: no update to speak of.
    assert story.updated_at == at("2024-04-02 06:31:10")
    page = parse(client.get(story.get_absolute_url()))
    assert page.css(".article .updated") == []
    assert (
        page.css_first("meta[property='article:modified_time']")
        .attributes["content"]
        .startswith("2024-04-02T")
    )
    feed = feedparser.parse(client.get("/feed/atom/").content)
    updated = {e.link.rsplit("/", 2)[-2]: e.updated for e in feed.entries}
    assert updated["night-ferry-returns"].startswith("2024-04-02T06:31:10")
    response = client.get("/sitemap-articles-2024-04.xml")
    sitemap = etree.fromstring(b"".join(response))
    lastmod = {
        url.findtext(f"{SM}loc").rstrip("/").rsplit("/", 1)[-1]: url.findtext(
            f"{SM}lastmod"
        )
        for url in sitemap.iter(f"{SM}url")
    }
    assert lastmod["night-ferry-returns"] == "2024-04-02T06:31:10Z"


@pytest.mark.django_db
def test_a_story_edited_in_wordpress_says_when_and_a_newsroom_edit_counts(client):
    run(YOAST)
    story = article("dredging-starts")
    page = parse(client.get(story.get_absolute_url()))
    updated = page.css_first(".article .updated time")
    assert updated.attributes["datetime"].startswith("2024-05-09")
    # Edited in the newsroom: an update now, and the next import keeps the edit.
    story.title = "Dredging starts in the outer basin, at last"
    publishing.save(story, by=publishing.OPERATOR)
    story.refresh_from_db()
    assert story.updated_at > at("2025-01-01 00:00:00")
    report = run(YOAST)
    assert report.skipped["edited here since the last import"] == 0
    assert article("dredging-starts").title.endswith("at last")


@pytest.mark.django_db
@pytest.mark.parametrize("path", [COAUTHORS, YOAST], ids=lambda p: p.name)
def test_a_second_run_changes_nothing(path):
    run(path)
    before = list(Article.objects.values_list("slug", "updated_at", "version"))
    assert run(path).unchanged == 2
    assert list(Article.objects.values_list("slug", "updated_at", "version")) == before


@pytest.mark.django_db
def test_a_zero_gmt_date_falls_back_to_the_site_local_post_date(settings):
    settings.TIME_ZONE = "Europe/Warsaw"  # UTC+2 in summer.
    run(YOAST)
    story = article("tide-tables-june")
    # 2024-05-31 23:30 in Warsaw; not the pubDate of 1970 the export prints.
    assert story.publish_at == at("2024-05-31 21:30:00")
    assert story.updated_at == story.publish_at
    assert not story.was_updated
