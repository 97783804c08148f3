"""A view's own declaration, and nothing else, decides how its pages are cached."""

from __future__ import annotations

from itertools import count

import pytest
from django.http import HttpResponse
from django.urls import include, path

from newsdesk.delivery.pagecache import PageCacheApp, cached_page
from newsdesk.delivery.tests.test_pagecache import CountingApp, call

# Changes bump the generation on commit, so these tests commit for real.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls(__name__),
]

renders = count(1)


def letter_key(value: str) -> str | None:
    return value.lower() if value.isalpha() else None


@cached_page(letter=letter_key)
def letters(request):
    """A page the site doesn't have, reading a parameter no other view reads."""
    letter = request.GET.get("letter", "all")
    return HttpResponse(f"<p>Letters: {letter}, render {next(renders)}</p>")


def plain(request):
    return HttpResponse(f"<p>Undeclared, render {next(renders)}</p>")


@cached_page()
class Listing:
    """A class whose instances are views, as Django's feeds are."""

    def __call__(self, request):
        return HttpResponse(f"<p>Listing, render {next(renders)}</p>")


urlpatterns = [
    path("letters/", letters),
    path("plain/", plain),
    path("", include([path("listing/", Listing())])),
]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.NEWSDESK_PAGE_CACHE = True


def test_a_declared_parameter_keys_the_page(client):
    first = client.get("/letters/?letter=A")
    assert first["X-Cache"] == "MISS"
    again = client.get("/letters/?letter=a")  # The same after its normaliser.
    assert again["X-Cache"] == "HIT"
    assert again.content == first.content
    other = client.get("/letters/?letter=b")
    assert other["X-Cache"] == "MISS"
    assert b"Letters: b" in other.content
    assert client.get("/letters/?letter=b&utm_source=mail")["X-Cache"] == "HIT"


def test_a_parameter_the_view_did_not_declare_is_answered_but_not_stored(client):
    client.get("/letters/")
    for _ in range(2):
        response = client.get("/letters/?page=2")
        assert response.status_code == 200
        assert "X-Cache" not in response
    # A value its normaliser refuses is not stored either.
    assert "X-Cache" not in client.get("/letters/?letter=1")
    assert client.get("/letters/")["X-Cache"] == "HIT"


def test_a_view_without_a_declaration_is_never_cached(client):
    bodies = set()
    for _ in range(3):
        response = client.get("/plain/")
        assert response.status_code == 200
        assert "X-Cache" not in response
        bodies.add(response.content)
    assert len(bodies) == 3  # Rendered afresh every time.


def test_the_fast_path_serves_only_declared_views():
    django = CountingApp()
    app = PageCacheApp(django)
    for _ in range(2):
        call(app, "/letters/", QUERY_STRING="letter=c")
        call(app, "/plain/")
    assert django.calls == 3  # The letters page once, the plain page twice.


def test_a_declared_class_of_views_is_cached(client):
    assert client.get("/listing/")["X-Cache"] == "MISS"
    assert client.get("/listing/")["X-Cache"] == "HIT"
