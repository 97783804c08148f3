"""Importing RSS and Atom feeds: items become articles, once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from newsdesk.content.models import Article, Author, Tag
from newsdesk.imports.importer import Importer
from newsdesk.imports.sources.feed import FeedSource
from newsdesk.imports.types import ImportRefused, Term

FIXTURES = Path(__file__).parent / "fixtures"


def run(location: str):
    return Importer(FeedSource(section=Term("news", "News"))).run(location)


@pytest.mark.django_db
def test_rss_items_become_published_articles_with_dates_authors_and_tags():
    report = run(str(FIXTURES / "feed.xml"))
    assert report.imported == 2
    bridge = Article.objects.get(title="Harbour bridge reopens after repairs")
    assert bridge.is_public
    assert bridge.publish_at == datetime(2025, 5, 18, 9, 30, tzinfo=UTC)
    assert bridge.section.slug == "news"
    assert [a.name for a in bridge.authors.all()] == ["Anna Novak"]
    assert sorted(t.name for t in bridge.tags.all()) == ["City", "Transport"]
    assert bridge.standfirst == "The bridge is open again after six months."
    assert Tag.objects.count() == 2  # City is made once
    assert Author.objects.count() == 2


@pytest.mark.django_db
def test_feed_html_goes_through_the_allowlist():
    run(str(FIXTURES / "feed.xml"))
    body = Article.objects.get(title__startswith="Harbour").body
    assert "The harbour bridge reopened on Sunday." in body
    for bad in ("onclick", "<script", "alert(1)", "javascript:"):
        assert bad not in body


@pytest.mark.django_db
def test_an_item_without_content_uses_its_description_as_body():
    run(str(FIXTURES / "feed.xml"))
    library = Article.objects.get(title="Library extends opening hours")
    assert library.body == "<p>The central library will stay open until 10 pm.</p>"


@pytest.mark.django_db
def test_atom_entries_are_imported_from_a_url(httpserver):
    httpserver.expect_request("/science.atom").respond_with_data(
        (FIXTURES / "feed.atom").read_bytes(), content_type="application/atom+xml"
    )
    run(httpserver.url_for("/science.atom"))
    comet = Article.objects.get()
    assert comet.title == "Comet visible at dawn this week"
    assert comet.body == "<p>A comet is visible low in the east.</p>"
    assert comet.publish_at == datetime(2025, 5, 19, 6, 0, tzinfo=UTC)
    assert comet.authors.get().name == "Mei Lin"


@pytest.mark.django_db
def test_a_second_run_changes_nothing():
    run(str(FIXTURES / "feed.xml"))
    before = list(Article.objects.order_by("pk").values())
    report = run(str(FIXTURES / "feed.xml"))
    assert (report.imported, report.updated, report.unchanged) == (0, 0, 2)
    assert list(Article.objects.order_by("pk").values()) == before


@pytest.mark.django_db
def test_something_that_is_not_a_feed_is_refused(tmp_path, make_article):
    make_article("Already here")
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Not a feed <b>at all</p></body>")
    with pytest.raises(ImportRefused, match="not a feed"):
        run(str(page))
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_an_unreachable_url_is_refused_with_a_message(httpserver):
    httpserver.expect_request("/gone.xml").respond_with_data("", status=404)
    with pytest.raises(CommandError, match="can't fetch it"):
        call_command("import", "feed", httpserver.url_for("/gone.xml"), verbosity=0)
    assert not Article.objects.exists()
