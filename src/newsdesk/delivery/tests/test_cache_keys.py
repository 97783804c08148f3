"""A page is cached only under what its view reads, so no one can fill the cache."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from newsdesk.delivery.pagecache import KEY_VERSION, PageCacheApp
from newsdesk.delivery.tests.test_pagecache import CountingApp, call

# Changes bump the generation on commit, so these tests commit for real.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("caches_on"),
]


def page_entries() -> int:
    """Count the pages held by the cache backend: Redis or this process's memory."""
    marker = f":page:{KEY_VERSION}:"
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client()
        return sum(1 for _ in client.scan_iter(match=f"*{marker}*"))
    return sum(1 for key in cache._cache if marker in key)


def test_made_up_query_strings_on_articles_and_the_front_page_add_no_entries(
    client, make_article
):
    article = make_article("Steady story")
    url = article.get_absolute_url()
    assert client.get(url)["X-Cache"] == "MISS"
    assert client.get("/")["X-Cache"] == "MISS"
    assert page_entries() == 2
    for n in range(40):
        for junk in (f"page={n}", f"q=junk{n}", f"section=s{n}", f"page=abc{n}"):
            for page in (url, "/"):
                response = client.get(f"{page}?{junk}")
                assert response.status_code == 200, (page, junk)
                assert "Steady story" in response.content.decode()
    assert page_entries() == 2


def test_junk_values_on_archives_and_search_add_no_entries(client, make_article):
    make_article("Archived story")
    for n in range(30):
        # Not a page of the archive: a 404, never stored.
        for junk in (f"abc{n}", "0", f"{99999 + n}", f"-{n}"):
            assert client.get(f"/china/?page={junk}").status_code == 404
    assert page_entries() == 0
    for n in range(30):
        # Every made-up query is answered, and none is kept.
        for junk in (f"q=archived{n}", f"q=ARCHIVED+{n}", f"q=archived&section=x{n}"):
            response = client.get(f"/search/?{junk}")
            assert response.status_code == 200
            assert "X-Cache" not in response
    assert client.get("/search/?q=archived").status_code == 200
    assert "Archived story" in client.get("/search/?q=archived").content.decode()
    assert page_entries() == 0


def test_archive_pages_and_the_empty_search_page_are_cached_apart(
    client, make_article, settings
):
    settings.NEWSDESK_PAGE_SIZE = 1
    make_article("One")
    make_article("Two")
    urls = ["/china/", "/china/?page=2", "/search/", "/search/?q="]
    first = [client.get(url) for url in urls]
    assert [response["X-Cache"] for response in first] == ["MISS"] * 4
    again = [client.get(url) for url in urls]
    assert [response["X-Cache"] for response in again] == ["HIT"] * 4
    assert len({response.content for response in first[:3]}) == 3
    assert client.get("/china/?page=2&utm_source=x")["X-Cache"] == "HIT"
    assert page_entries() == 4


def test_search_results_are_answered_fresh_and_never_stored(client, make_article):
    make_article("One")
    for _ in range(2):
        response = client.get("/search/?q=one")
        assert "X-Cache" not in response
        assert "One" in response.content.decode()
    assert page_entries() == 0


@pytest.mark.parametrize(
    "host", ["LOCALHOST", "localhost:8000", "localhost:1", "127.0.0.1", "localhost."]
)
def test_host_variants_share_one_entry(client, make_article, host):
    make_article()
    assert client.get("/", HTTP_HOST="localhost")["X-Cache"] == "MISS"
    assert client.get("/", HTTP_HOST=host)["X-Cache"] == "HIT"
    django = CountingApp()
    app = PageCacheApp(django)
    status, headers, _ = call(app, HTTP_HOST=host)
    assert (status, headers["X-Cache"], django.calls) == ("200 OK", "HIT", 0)
    assert page_entries() == 1


def test_a_host_django_refuses_is_refused_even_when_the_page_is_cached(
    client, make_article
):
    make_article()
    client.get("/")
    assert client.get("/")["X-Cache"] == "HIT"
    assert client.get("/", HTTP_HOST="attacker.example").status_code == 400
    django = CountingApp()
    status, _, _ = call(PageCacheApp(django), HTTP_HOST="attacker.example")
    assert (status, django.calls) == ("400 Bad Request", 1)


# Cookie headers browsers send that Python's SimpleCookie gives up on.
ODD_COOKIES = [
    'consent={"ads":false}; sessionid={key}',
    "tz=Europe/Berlin; pref=a b; sessionid={key}",
    'x="unterminated;  sessionid={key}',
    "foo=bar;;sessionid={key}",
    'theme="dark mode";   sessionid="{key}"',
]


@pytest.mark.parametrize("header", ODD_COOKIES)
def test_an_editor_with_an_odd_cookie_header_neither_gets_nor_fills_the_cache(
    client, editor_client, make_article, header
):
    article = make_article()
    url = article.get_absolute_url()
    cookie = header.replace("{key}", editor_client.cookies["sessionid"].value)
    # Filling: the editor's page is not kept for readers.
    response = client.get(url, HTTP_COOKIE=cookie)
    assert response.status_code == 200
    assert "X-Cache" not in response
    assert response["Cache-Control"] == "private, no-cache"
    assert page_entries() == 0
    # Getting: with readers' page cached, the editor still gets a live one.
    assert client.get(url)["X-Cache"] == "MISS"
    assert client.get(url)["X-Cache"] == "HIT"
    assert "X-Cache" not in client.get(url, HTTP_COOKIE=cookie)
    django = CountingApp()
    status, headers, _ = call(PageCacheApp(django), url, HTTP_COOKIE=cookie)
    assert (status, django.calls) == ("200 OK", 1)
    assert "X-Cache" not in headers
