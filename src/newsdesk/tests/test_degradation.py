"""Slow or absent neighbours degrade a request, never the site: real servers."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request

import pytest
from selectolax.lexbor import LexborHTMLParser as parse_html

from newsdesk.tests.support import parse


def redis_cache(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "newsdesk.cache.TolerantRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }


@pytest.fixture
def quick_redis_retries(monkeypatch):
    """Try Redis again half a second after it failed, not after the usual pause."""
    monkeypatch.setattr("newsdesk.cache.PAUSE_SECONDS", 0.5)


def test_pages_answer_while_redis_is_down(
    client, demo_site, redis_server, settings, caches_on, quick_redis_retries
):
    settings.CACHES = redis_cache(redis_server.url)
    settings.REDIS_URL = redis_server.url
    front = parse(client.get("/"))
    article_url = front.css_first(".lead-story h2 a").attributes["href"]
    assert client.get("/healthz").json()["cache"] == "ok"

    redis_server.stop()
    started = time.monotonic()
    for url in ("/", article_url, "/china/"):
        response = client.get(url, headers={"user-agent": "Mozilla/5.0 reader"})
        assert response.status_code == 200, url
    assert time.monotonic() - started < 5
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "database": "ok", "cache": "error"}

    redis_server.start()
    time.sleep(0.6)  # The cache leaves Redis alone for a moment after a failure.
    assert client.get("/healthz").json()["cache"] == "ok"


def test_a_hung_redis_slows_no_page_much(
    client, demo_site, settings, caches_on, quick_redis_retries
):
    # A server that accepts connections and never answers: the worst Redis.
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(16)
        url = f"redis://127.0.0.1:{hung.getsockname()[1]}/0"
        settings.CACHES = redis_cache(url)
        settings.REDIS_URL = url
        started = time.monotonic()
        for page in ("/", "/china/", "/world/", "/tag/diplomacy/"):
            assert client.get(page).status_code == 200, page
        # One timeout (0.25 s), then the cache stays away for a while.
        assert time.monotonic() - started < 2


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def served_on_postgres(postgres_server, serve_demo):
    """Run `newsdesk serve` on the demo content in a PostgreSQL of its own."""
    return serve_demo(workers=1, DATABASE_URL=postgres_server.url)


def test_the_site_recovers_by_itself_after_postgresql_restarts(
    served_on_postgres, postgres_server
):
    base = served_on_postgres
    assert get(f"{base}/")[0] == 200
    status, body = get(f"{base}/healthz")
    assert status == 200
    assert json.loads(body)["database"] == "ok"

    postgres_server.stop()
    status, body = get(f"{base}/healthz")
    assert status == 503
    assert json.loads(body)["database"] == "error"

    postgres_server.start()
    # No restart of the app: the next requests reconnect. (An unknown query
    # parameter skips the page cache, so the page really reads the database.)
    assert get(f"{base}/?after=restart")[0] == 200
    assert get(f"{base}/healthz")[0] == 200


def test_a_postgresql_outage_answers_503_with_the_error_page(
    served_on_postgres, postgres_server
):
    base = served_on_postgres
    assert get(f"{base}/")[0] == 200  # Now in the page cache.
    postgres_server.stop()
    try:
        # Never asked for before, so not in the cache: it needs the database.
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(f"{base}/search/?q=outage", timeout=10)
        assert answer.value.code == 503
        assert int(answer.value.headers["Retry-After"]) > 0
        page = parse_html(answer.value.read().decode())
        assert page.css_first("h1").text(strip=True) == "Back in a moment"
        assert page.css_first("a[href='/']") is not None
        # Pages in the cache are still there for readers.
        assert get(f"{base}/")[0] == 200
    finally:
        postgres_server.start()
    assert get(f"{base}/search/?q=outage")[0] == 200
