"""A database that is away or busy answers 503 with a plain page, never 500."""

from __future__ import annotations

import http.cookiejar
import re
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import path

from newsdesk.tests.support import parse
from newsdesk.urls import urlpatterns as site_patterns

BUSY = "An import or another long change is running; try again in a minute."
KEPT = "Nothing you typed is lost"


def locked(request):
    raise OperationalError("database is locked")


def unreachable(request):
    raise OperationalError('connection to server at "127.0.0.1" failed')


def closed(request):
    raise InterfaceError("connection already closed")


urlpatterns = [
    path("locked/", locked),
    path("unreachable/", unreachable),
    path("closed/", closed),
    *site_patterns,
]
handler500 = "newsdesk.web.views.server_error"


@pytest.mark.urls(__name__)
def test_database_errors_answer_503_with_the_error_page(db):
    client = Client(raise_request_exception=False)
    for address, heading in (
        ("/locked/", "A long change is running"),
        ("/unreachable/", "Back in a moment"),
        ("/closed/", "Back in a moment"),
    ):
        response = client.get(address)
        assert response.status_code == 503, address
        assert int(response["Retry-After"]) > 0
        assert response["Cache-Control"] == "no-store"
        tree = parse(response)
        assert tree.css_first("h1").text(strip=True) == heading
        assert tree.css_first("a[href='/']") is not None
        # Its own style is allowed, and nothing else inline.
        policy = response["Content-Security-Policy"]
        assert re.search(r"style-src 'self' 'sha256-[^']+'(;|$)", policy)
        assert "script-src 'self';" in policy
    assert BUSY in client.get("/locked/").content.decode()


def get(opener, url: str, data: dict | None = None) -> tuple[int, str, dict]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(url, body, timeout=30) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


class WriteLock:
    """Hold SQLite's write lock from another connection, as an import does."""

    def __init__(self, database) -> None:
        self.connection = sqlite3.connect(
            database, isolation_level=None, check_same_thread=False
        )

    def __enter__(self) -> WriteLock:
        self.connection.execute("BEGIN IMMEDIATE")
        return self

    def release(self) -> None:
        if self.connection.in_transaction:
            self.connection.execute("ROLLBACK")

    def __exit__(self, *exc) -> None:
        self.release()
        self.connection.close()


def test_a_write_during_an_import_on_sqlite_waits_or_says_so(serve_demo, tmp_path):
    """SQLite has one writer at a time: an import's transaction holds it for long.

    SQLite-specific behaviour, tested on a SQLite database of its own in both
    passes: PostgreSQL locks rows, so a login or another article's save there
    never waits for an import (and a PostgreSQL outage is tested in
    test_degradation).
    """
    # With the default wait (NEWSDESK_SQLITE_TIMEOUT, 20 s).
    base = serve_demo(workers=1, NEWSDESK_DEMO_PASSWORD="correct horse battery")
    database = tmp_path / "var" / "newsdesk.sqlite3"
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    _, page, _ = get(opener, f"{base}/desk/login/")
    login = {
        "username": "editor",
        "password": "correct horse battery",
        "csrfmiddlewaretoken": csrf_token(page),
        "next": "/desk/",
    }
    # A login is a write (the session, the last login): it waits for the lock,
    # longer than the 5 s Python's sqlite3 waits by default...
    with WriteLock(database) as lock:
        threading.Timer(6, lock.release).start()
        started = time.monotonic()
        status, page, _ = get(opener, f"{base}/desk/login/", login)
    assert status == 200 and time.monotonic() - started >= 6
    assert "Log out" in page  # Logged in, on the newsroom's front page.

    # ...and when the lock outlasts the wait, says so plainly.
    with sqlite3.connect(database) as plain:
        [section] = plain.execute("SELECT id FROM content_section LIMIT 1").fetchone()
    _, page, _ = get(opener, f"{base}/desk/content/article/add/")
    typed = {
        "title": "Rail link opens",
        "slug": "rail-link-opens",
        "section": section,
        "standfirst": "",
        "body": "<p>The line runs west.</p>",
        "status": "draft",
        "publish_at_0": "",
        "publish_at_1": "",
        "base_version": 1,
        "csrfmiddlewaretoken": csrf_token(page),
    }
    with WriteLock(database):
        status, page, headers = get(opener, f"{base}/desk/content/article/add/", typed)
    assert status == 503
    assert BUSY in page and KEPT in page
    assert int(headers["Retry-After"]) > 0
    # Once the import is over, the same form goes through.
    status, page, _ = get(opener, f"{base}/desk/content/article/add/", typed)
    assert status == 200 and "was added successfully" in page
    with sqlite3.connect(database) as plain:
        titles = plain.execute("SELECT title FROM content_article").fetchall()
    assert ("Rail link opens",) in titles
