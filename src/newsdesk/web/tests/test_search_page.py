"""The search page: results, highlights, counts, paging, filters, empty states."""

from __future__ import annotations

import pytest

from newsdesk.content.models import Article
from newsdesk.tests.support import parse, texts

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("empty_search_index"),
]


@pytest.fixture
def storms(make_article, make_section, section):
    world = make_section("World")
    for n in range(23):
        make_article(
            f"Storm update {n}",
            body="<p>The storm moved north overnight.</p>",
            section=world if n % 2 else section,  # 11 in World, 12 in China
        )
    make_article("Secret storm plan", status=Article.Status.DRAFT)


def test_results_show_section_title_date_and_highlighted_snippet(client, storms):
    response = client.get("/search/", {"q": "storm north"})
    assert response.status_code == 200
    tree = parse(response)
    assert texts(tree, ".search-count")[0].startswith("23 results for")
    first = tree.css_first(".search-results li")
    assert first.css_first(".section-label").text(strip=True) in {"China", "World"}
    assert first.css_first("h2 a").text(strip=True).startswith("Storm update")
    assert first.css_first("time").attributes["datetime"]
    assert texts(first, ".snippet mark") == ["storm", "north"]
    assert "Secret storm plan" not in response.content.decode()


def test_it_pages_and_keeps_the_query(client, storms):
    tree = parse(client.get("/search/", {"q": "storm"}))
    assert len(tree.css(".search-results > li")) == 20
    next_link = tree.css_first(".pagination a[rel=next]").attributes["href"]
    assert "q=storm" in next_link
    second = parse(client.get("/search/" + next_link))
    assert len(second.css(".search-results > li")) == 3
    assert second.css_first(".search-results").attributes["start"] == "21"


def test_the_section_filter_narrows(client, storms):
    tree = parse(client.get("/search/", {"q": "storm", "section": "world"}))
    assert texts(tree, ".search-count")[0].startswith("11 results")
    assert set(texts(tree, ".search-results .section-label")) == {"World"}
    selected = tree.css_first("#search-section option[selected]")
    assert selected.attributes["value"] == "world"


def test_nothing_found_is_said_plainly(client, storms):
    tree = parse(client.get("/search/", {"q": "volcano"}))
    assert "Nothing found for" in tree.css_first(".empty").text()
    assert tree.css_first(".search-results") is None


def test_the_page_is_kept_out_of_search_engines(client, db):
    response = client.get("/search/", {"q": "x"})
    assert response["X-Robots-Tag"] == "noindex"
    tree = parse(response)
    assert (
        tree.css_first("meta[name=robots]").attributes["content"].startswith("noindex")
    )


def test_every_page_has_a_search_box(client, make_article):
    article = make_article()
    for url in ("/", article.get_absolute_url(), "/china/"):
        form = parse(client.get(url)).css_first("header form[role=search]")
        assert form.attributes["action"] == "/search/"
        assert form.css_first("input[name=q]") is not None


@pytest.mark.parametrize(
    "q", ['"', "NEAR(", "x" * 10_000, "\x00", "-", "*", "' OR 1=1", ""]
)
def test_odd_queries_give_a_normal_page(client, storms, q):
    response = client.get("/search/", {"q": q, "page": "9999"})
    assert response.status_code == 200
    assert parse(response).css_first("h1").text(strip=True) == "Search"
