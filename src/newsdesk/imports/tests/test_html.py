"""Importing one article page: its article, not the site around it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from selectolax.lexbor import LexborHTMLParser

from newsdesk.content.models import Article
from newsdesk.imports.importer import Importer
from newsdesk.imports.sources.html import PageSource
from newsdesk.imports.types import ImportRefused, Term

PAGE = Path(__file__).parent / "fixtures" / "article-page.html"
TITLE = (
    "China-Russia Strategic Security Consultations: Strengthening a Global Partnership"
)


def run(location: str):
    return Importer(PageSource(section=Term("world", "World"))).run(location)


@pytest.fixture
def served_page(httpserver):
    httpserver.expect_request("/2023/09/18/consultations/").respond_with_data(
        PAGE.read_bytes(), content_type="text/html; charset=utf-8"
    )
    return httpserver.url_for("/2023/09/18/consultations/")


@pytest.mark.django_db
def test_the_article_is_imported_as_a_draft_with_title_date_and_author(served_page):
    run(served_page)
    article = Article.objects.get()
    assert article.status == "draft"
    assert article.title == TITLE
    assert article.publish_at == datetime(2023, 9, 18, tzinfo=UTC)
    assert article.authors.get().name == "Li Wei"
    assert article.section.slug == "world"


@pytest.mark.django_db
def test_the_body_keeps_the_article_and_leaves_out_the_site_around_it(served_page):
    run(served_page)
    body = LexborHTMLParser(Article.objects.get().body)
    paragraphs = [p.text() for p in body.css("p")]
    assert paragraphs[1].startswith("Wang Yi, Director of the Office")
    assert "Historical Context of China-Russia Relations:" in [
        h.text() for h in body.css("h2")
    ]
    text = body.text()
    for boilerplate in (
        "24.9 C", "Monday, May 19, 2025", "Candy Crush", "Cristiano Ronaldo",
        "Read More:", "Check out our other content", "Check out other tags:",
        "Most Popular Articles", "All rights reserved", TITLE,
    ):  # fmt: skip
        assert boilerplate not in text, boilerplate


@pytest.mark.django_db
def test_a_page_from_a_file_imports_once(tmp_path):
    call_command("import", "html", str(PAGE), verbosity=0)
    call_command("import", "html", str(PAGE), verbosity=0)
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_a_page_with_no_article_is_refused(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    with pytest.raises(ImportRefused, match="no article text"):
        run(str(empty))
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_page_in_another_charset_is_read_in_it(tmp_path):
    page = tmp_path / "latin.html"
    text = PAGE.read_text().replace(
        '<meta charset="utf-8">', '<meta charset="windows-1252">'
    )
    text = text.replace("Wang Yi, Director", "Café owner Wang Yi, Director")
    text = text.replace("’", "'").replace("·", "-").replace("©", "(c)")
    page.write_bytes(text.encode("cp1252"))
    run(str(page))
    assert "Café owner Wang Yi" in Article.objects.get().body
