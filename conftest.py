"""Fixtures for the whole test suite: personas, factories, real servers, a browser.

Fixtures only one app's tests use are in that app's `tests/conftest.py`; plain
helpers the tests import (parse, texts, desk_login...) in
`src/newsdesk/tests/support.py`.

Every test runs on a quiet site (the autouse fixtures below): no weather service,
views counted at once, the page and fragment caches off, a cache emptied before
and after. A test that wants the caches asks for `caches_on`.
"""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from itertools import count

import pytest

from newsdesk.tests.support import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, member

_numbers = count(1)


def pytest_configure(config):
    """Give the run a signing key and a data directory of its own; load settings.

    Settings are read from the environment when Django loads them, so this comes
    first; hence DJANGO_SETTINGS_MODULE is set here, not in pyproject.toml (there
    pytest-django would load the settings before any conftest runs). The data
    directory keeps the content generation file, uploads and collected static
    files out of the checkout, and apart from other runs at the same time.
    """
    ours = {
        "SECRET_KEY": lambda: "newsdesk-tests-only",
        "NEWSDESK_DATA_DIR": lambda: tempfile.mkdtemp(prefix="newsdesk-tests-"),
        "DJANGO_SETTINGS_MODULE": lambda: "newsdesk.settings",
    }
    added = [name for name in ours if name not in os.environ]
    for name in added:
        os.environ[name] = ours[name]()
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1… (scripts/test -n)
    if worker:
        # Workers run side by side: each has its own content generation,
        # uploads and Redis database, or one's changes would empty the other's
        # caches mid-test. (pytest-django gives each its own test database.)
        os.environ["NEWSDESK_DATA_DIR"] = tempfile.mkdtemp(
            prefix=f"newsdesk-tests-{worker}-"
        )
        if os.environ.get("REDIS_URL"):
            os.environ["REDIS_URL"] = _redis_database(
                os.environ["REDIS_URL"], 1 + int(worker.removeprefix("gw"))
            )
    from django.conf import settings

    # Loaded now, pytest-django's own pytest_configure (which runs last) sets
    # Django up before the test modules, which import models, are collected.
    settings.INSTALLED_APPS  # noqa: B018
    if not worker and getattr(config.option, "numprocesses", None):
        # The controller of parallel workers runs no test. What it set here
        # would reach the workers, which then load the settings before their
        # own pytest_configure could give each its own directory: take it back.
        for name in added:
            del os.environ[name]


def _redis_database(url: str, number: int) -> str:
    from urllib.parse import urlsplit, urlunsplit

    return urlunsplit(urlsplit(url)._replace(path=f"/{number}"))


# The quiet site every test runs on.


@pytest.fixture(autouse=True)
def no_weather_service(settings):
    """Hide the weather: no test reaches Open-Meteo unless it sets a city itself."""
    settings.NEWSDESK_WEATHER_CITY = ""
    settings.NEWSDESK_WEATHER_LATITUDE = None
    settings.NEWSDESK_WEATHER_LONGITUDE = None


@pytest.fixture(autouse=True)
def views_counted_at_once(settings):
    """Write article views to the database at once, so tests can read them back."""
    settings.NEWSDESK_VIEWS_FLUSH_SECONDS = 0


@pytest.fixture(autouse=True)
def page_and_fragment_caches_off(settings):
    """Turn the page and fragment caches off; `caches_on` turns them back on.

    Inside a test's transaction nothing commits, so the content generation the
    caches are keyed on can't move on: a cached page would outlive the change
    the test just made. The caches have tests of their own (delivery/tests),
    which commit for real.
    """
    settings.NEWSDESK_PAGE_CACHE = False
    settings.NEWSDESK_FRAGMENT_CACHE = False


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Serve static files by their own names: tests don't run collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(autouse=True)
def empty_cache():
    """Start and end every test with an empty cache and no remembered readers."""
    from django.core.cache import cache

    from newsdesk.popularity.counting import forget_readers

    cache.clear()
    forget_readers()
    yield
    cache.clear()


@pytest.fixture
def caches_on(settings):
    """Turn the page and fragment caches on, as in production."""
    settings.NEWSDESK_PAGE_CACHE = True
    settings.NEWSDESK_FRAGMENT_CACHE = True


# Personas: a Writer and an Editor of the newsroom. Readers are `client`.


@pytest.fixture
def writer(db):
    """Wendy, a Writer: writes and edits her own drafts, may not publish."""
    return member("wendy", "Writer")


@pytest.fixture
def editor(db):
    """Eddie, an Editor: edits and publishes everything."""
    return member("eddie", "Editor")


@pytest.fixture
def writer_client(writer):
    from django.test import Client

    client = Client()
    client.force_login(writer)
    return client


@pytest.fixture
def editor_client(editor):
    from django.test import Client

    client = Client()
    client.force_login(editor)
    return client


# Content.


@pytest.fixture
def section(db):
    from newsdesk.content.models import Section

    return Section.objects.create(name="China", slug="china")


@pytest.fixture
def make_section(db):
    from newsdesk.content.models import Section

    def make(name: str, **fields):
        return Section.objects.create(
            name=name, slug=fields.pop("slug", name.lower().replace(" ", "-")), **fields
        )

    return make


@pytest.fixture
def make_article(db, section):
    """Return a factory for articles, published an hour ago unless told otherwise."""
    from django.utils import timezone

    from newsdesk.content.models import Article

    def make(title: str | None = None, **fields):
        number = next(_numbers)
        title = title or f"Article number {number}"
        tags = fields.pop("tags", [])
        authors = fields.pop("authors", [])
        fields.setdefault("slug", f"article-{number}")
        fields.setdefault("section", section)
        fields.setdefault("body", f"<p>The body of {title.lower()} goes on here.</p>")
        fields.setdefault("status", Article.Status.PUBLISHED)
        fields.setdefault("publish_at", timezone.now() - timedelta(hours=1))
        article = Article.objects.create(title=title, **fields)
        article.tags.set(tags)
        article.authors.set(authors)
        return article

    return make


@pytest.fixture
def demo_site(db):
    """Load the demo content: the seed page's site."""
    from newsdesk.dev.demo import load_demo

    load_demo()


@pytest.fixture
def media_root(settings, tmp_path):
    """Keep uploads of one test in a directory of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def make_image(db, media_root):
    """Return a factory for media library images, real files made with Pillow."""
    from newsdesk.lib.tests.pictures import picture
    from newsdesk.media.images import create_image

    def make(alt: str = "A navy rectangle", *, size=(1200, 800), fmt="JPEG", **kw):
        data = picture(fmt, size)
        return create_image(data, alt=alt, name=f"picture.{fmt.lower()}", **kw)

    return make


@pytest.fixture
def empty_search_index(transactional_db):
    """Start from an empty search index.

    Django's test flush empties the tables it knows; the search engine's own
    table it doesn't, so rows from earlier tests would still be found.
    """
    from django.db import connection

    from newsdesk.search.backends import get_backend

    with connection.cursor() as cursor:
        get_backend().clear(cursor)


# Real servers.


@pytest.fixture
def redis_server(tmp_path):
    """Start a real Redis server of the test's own; stop it afterwards."""
    from newsdesk.dev.servers import RedisServer, ServerMissing

    try:
        server = RedisServer(tmp_path / "redis")
    except ServerMissing as error:
        pytest.fail(str(error))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def serve_demo(tmp_path):
    """Return a starter for `newsdesk serve` on the demo content; stop it after."""
    import subprocess
    import sys

    from newsdesk.dev.servers import free_port, wait_for_port
    from newsdesk.tests.support import newsdesk_env

    started = []

    def start(workers: int = 2, **env: str) -> str:
        env = newsdesk_env(NEWSDESK_DATA_DIR=str(tmp_path / "var"), **env)
        newsdesk = [sys.executable, "-m", "newsdesk"]
        subprocess.run(
            [*newsdesk, "demo", "--no-serve"], env=env, check=True, capture_output=True
        )
        port = free_port()
        server = subprocess.Popen(
            # `demo` collected the static files already.
            [
                *newsdesk,
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--no-collectstatic",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(server)
        wait_for_port(port, timeout=60)
        return f"http://127.0.0.1:{port}"

    yield start
    for server in started:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture
def migrator(transactional_db):
    """Migrate to older states in a test; the latest schema is back afterwards."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


# The browser tests (marked "browser"): real Chromium against `live_server`.


@pytest.fixture
def browser(monkeypatch):
    """A headless Debian Chromium driven by Playwright."""
    from playwright.sync_api import expect, sync_playwright

    # Playwright's sync API runs an event loop in this thread; without this,
    # Django refuses the ORM calls the test and its fixtures make.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def short_lived_connections():
    """Close each live-server thread's database connection after its request.

    Otherwise PostgreSQL still sees them when the test database is dropped.
    """
    from django.db import connections

    config = connections.settings["default"]
    kept, config["CONN_MAX_AGE"] = config["CONN_MAX_AGE"], 0
    yield
    config["CONN_MAX_AGE"] = kept
