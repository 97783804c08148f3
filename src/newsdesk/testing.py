"""Shared test fixtures: personas (a writer, an editor, a reader) and factories.

Loaded as a pytest plugin (see pyproject.toml) so it runs before Django is set up.
"""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from itertools import count

import pytest

os.environ.setdefault("SECRET_KEY", "newsdesk-tests-only")
# Tests keep their files (the content generation, uploads) out of the checkout.
os.environ.setdefault("NEWSDESK_DATA_DIR", tempfile.mkdtemp(prefix="newsdesk-tests-"))

_numbers = count(1)


def parse(response):
    """Return the response's HTML as a selectolax tree."""
    from selectolax.lexbor import LexborHTMLParser

    return LexborHTMLParser(response.content.decode())


def texts(tree, selector: str) -> list[str]:
    """Return the stripped text of every element matching the selector."""
    return [node.text(strip=True) for node in tree.css(selector)]


@pytest.fixture(autouse=True)
def _quiet_site(settings):
    """Run every test without outside services and with a clean cache."""
    from django.core.cache import cache

    settings.NEWSDESK_WEATHER_CITY = ""
    settings.NEWSDESK_WEATHER_LATITUDE = None
    settings.NEWSDESK_WEATHER_LONGITUDE = None
    # Views reach the database at once, so tests can read them back.
    settings.NEWSDESK_VIEWS_FLUSH_SECONDS = 0
    # Inside a test's transaction no commit happens, so the content generation
    # can't move on; the page cache is tested on its own (delivery/tests).
    settings.NEWSDESK_PAGE_CACHE = False
    settings.NEWSDESK_FRAGMENT_CACHE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    cache.clear()
    from newsdesk.popularity.counting import forget_readers

    forget_readers()
    yield
    cache.clear()


@pytest.fixture
def section(db):
    from newsdesk.content.models import Section

    return Section.objects.create(name="China", slug="china")


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


def _member(username: str, role: str):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, password="correct horse battery")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def writer(db):
    return _member("wendy", "Writer")


@pytest.fixture
def editor(db):
    return _member("eddie", "Editor")


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


@pytest.fixture
def demo_site(db):
    """Load the demo content: the seed page's site."""
    from newsdesk.demo import load_demo

    load_demo()


SEED_ARTICLE_SLUG = "china-russia-strategic-security-consultations"


@pytest.fixture
def redis_server(tmp_path):
    """Start a real Redis server of the test's own; stop it afterwards."""
    from newsdesk.servers import RedisServer, ServerMissing

    try:
        server = RedisServer(tmp_path / "redis")
    except ServerMissing as error:
        pytest.fail(str(error))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def postgres_server():
    """Start a real PostgreSQL server of the test's own; stop it afterwards."""
    from newsdesk.servers import PostgresServer, ServerMissing

    try:
        server = PostgresServer()
    except ServerMissing as error:
        pytest.fail(str(error))
    server.start()
    yield server
    server.remove()


# Long and varied enough for `newsdesk serve`'s check; for tests only.
SERVE_SECRET_KEY = "tests-only-" + "0123456789abcdefghijklmnopqrstuvwxyz" * 2


def newsdesk_env(**env: str) -> dict[str, str]:
    """Return an environment for a `newsdesk` subprocess: these settings, no others."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("NEWSDESK_") and k not in ("DATABASE_URL", "REDIS_URL")
    }
    return base | {"SECRET_KEY": SERVE_SECRET_KEY, "NEWSDESK_WEATHER_CITY": ""} | env


@pytest.fixture
def serve_demo(tmp_path):
    """Return a starter for `newsdesk serve` on the demo content; stop it after."""
    import subprocess
    import sys

    from newsdesk.servers import _wait_for_port, free_port

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
        _wait_for_port(port, timeout=60)
        return f"http://127.0.0.1:{port}"

    yield start
    for server in started:
        server.terminate()
        server.wait(timeout=20)


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


@pytest.fixture
def migrator(transactional_db):
    """Migrate to older states in a test; the latest schema is back afterwards."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


# Real Chromium for the browser tests (marked "browser").
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Generous for a loaded machine, bounded so a broken page fails instead of hanging.
TIMEOUT_MS = 15_000


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


def desk_login(page, username: str) -> None:
    """Log a persona into the newsroom in a Playwright page."""
    from playwright.sync_api import expect

    page.goto("/desk/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    # Django 5 logs out through a form, so "Log out" is a button.
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
