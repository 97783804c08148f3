"""Error pages in the site's style."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import path

from newsdesk.tests.support import parse
from newsdesk.urls import urlpatterns as site_patterns


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [path("broken/", broken), *site_patterns]
handler404 = "newsdesk.web.views.page_not_found"
handler500 = "newsdesk.web.views.server_error"


def test_an_unknown_address_gives_the_styled_404(client, db):
    response = client.get("/china/2025/05/19/no-such-article/")
    assert response.status_code == 404
    tree = parse(response)
    assert tree.css_first("h1").text(strip=True) == "Page not found"
    assert tree.css_first("link[rel=stylesheet]") is not None
    assert tree.css_first("a[href='/']") is not None


@pytest.mark.urls(__name__)
def test_a_crash_gives_the_500_page(db):
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    tree = parse(response)
    assert tree.css_first("h1").text(strip=True) == "Something went wrong"


def test_the_health_check_reports_database_and_cache(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]
