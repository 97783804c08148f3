"""The page cache: fast repeats, and never a stale page after a change."""

from __future__ import annotations

import gzip
import time
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from newsdesk.content.models import Article
from newsdesk.delivery.pagecache import expiry
from newsdesk.tests.support import parse, texts

# Changes bump the generation on commit, so these tests commit for real.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("caches_on"),
]


def headlines(client, url: str = "/") -> list[str]:
    return texts(parse(client.get(url)), ".latest-strip li > a")


def test_a_repeat_request_is_served_from_the_cache(client, make_article):
    article = make_article("Cached story")
    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url())
    assert first["X-Cache"] == "MISS"
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content


def test_publishing_shows_at_once(client, make_article):
    make_article("Old news")
    assert headlines(client) == ["Old news"]
    draft = make_article("Breaking", status=Article.Status.DRAFT)
    assert headlines(client) == ["Old news"]
    draft.status = Article.Status.PUBLISHED
    draft.publish_at = timezone.now()
    draft.save()
    assert headlines(client) == ["Breaking", "Old news"]


def test_an_edit_shows_at_once_on_every_page(client, make_article):
    article = make_article("First headline")
    pages = ["/", article.get_absolute_url(), article.section.get_absolute_url()]
    for url in pages:
        client.get(url)
    article.title = "Corrected headline"
    article.save()
    for url in pages:
        html = client.get(url).content.decode()
        assert "Corrected headline" in html, url
        assert "First headline" not in html, url


def test_a_bulk_update_shows_at_once_on_every_page(client, make_article):
    """An update() of many rows skips save(), yet no page keeps the old text."""
    first = make_article("First headline")
    second = make_article("Second headline")
    pages = ["/", first.get_absolute_url(), second.get_absolute_url()]
    for url in pages:
        assert client.get(url)["X-Cache"] == "MISS"
        assert client.get(url)["X-Cache"] == "HIT"
    Article.objects.filter(pk__in=[first.pk, second.pk]).update(
        title="Corrected headline"
    )
    for url in pages:
        html = client.get(url).content.decode()
        assert "Corrected headline" in html, url
        assert "First headline" not in html, url
        assert "Second headline" not in html, url


def test_unpublishing_and_deleting_show_at_once(client, make_article):
    keep = make_article("Keep me")
    pulled = make_article("Pull me")
    gone = make_article("Delete me")
    url = pulled.get_absolute_url()
    assert client.get(url).status_code == 200
    assert set(headlines(client)) == {"Keep me", "Pull me", "Delete me"}
    pulled.status = Article.Status.DRAFT
    pulled.save()
    gone.delete()
    assert client.get(url).status_code == 404
    assert headlines(client) == [keep.title]


def test_a_scheduled_article_appears_when_its_time_comes(client, make_article):
    make_article("Already out")
    make_article("Embargoed", publish_at=timezone.now() + timedelta(seconds=2))
    assert headlines(client) == ["Already out"]
    assert client.get("/")["X-Cache"] == "HIT"
    time.sleep(2.1)
    assert headlines(client) == ["Embargoed", "Already out"]


def test_pages_expire_at_the_sites_midnight(db, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    settings.NEWSDESK_PAGE_CACHE_SECONDS = 3600
    # 15:59:30 UTC is 23:59:30 in Beijing: the top bar's date changes in 30 s.
    now = datetime(2025, 5, 18, 15, 59, 30, tzinfo=ZoneInfo("UTC"))
    assert expiry(now) == now.timestamp() + 30


def test_editors_previews_and_the_newsroom_are_never_cached(
    client, editor_client, make_article
):
    article = make_article()
    for _ in range(2):
        response = editor_client.get(article.get_absolute_url())
        assert "X-Cache" not in response
        assert response["Cache-Control"] == "private, no-cache"
    for url in (f"/desk/preview/{article.pk}/", "/desk/"):
        assert "X-Cache" not in editor_client.get(url)
    assert "X-Cache" not in client.get("/desk/login/")


def test_tracking_parameters_do_not_split_the_cache(client, make_article):
    make_article()
    assert client.get("/")["X-Cache"] == "MISS"
    assert client.get("/?utm_source=newsletter&fbclid=abc")["X-Cache"] == "HIT"
    assert client.get("/?gclid=1&utm_medium=social")["X-Cache"] == "HIT"


def test_other_parameters_are_pages_of_their_own(client, make_article, settings):
    settings.NEWSDESK_PAGE_SIZE = 1
    make_article("One")
    make_article("Two")
    first = client.get("/china/")
    second = client.get("/china/?page=2")
    assert second["X-Cache"] == "MISS"
    assert first.content != second.content


def test_it_answers_conditional_requests_with_304(client, make_article):
    make_article()
    first = client.get("/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/", headers={"if-none-match": etag}).status_code == 304
    assert client.get("/", headers={"if-modified-since": modified}).status_code == 304
    assert client.get("/", headers={"if-none-match": '"other"'}).status_code == 200


def test_it_sends_cache_control_and_surrogate_keys(client, make_article):
    from newsdesk.content.models import Tag

    article = make_article(tags=[Tag.objects.create(name="Trade", slug="trade")])
    response = client.get(article.get_absolute_url())
    control = response["Cache-Control"]
    for part in ("public", "max-age=", "stale-while-revalidate=", "stale-if-error="):
        assert part in control
    keys = response["Surrogate-Key"].split()
    assert {f"article-{article.pk}", "section-china", "tag-trade", "site"} <= set(keys)


def test_it_compresses_for_clients_that_accept_it(client, make_article):
    import brotli

    make_article()
    plain = client.get("/")
    assert "Content-Encoding" not in plain
    packed = client.get("/", headers={"accept-encoding": "gzip, deflate"})
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 2
    smaller = client.get("/", headers={"accept-encoding": "gzip, deflate, br"})
    assert smaller["Content-Encoding"] == "br"
    assert brotli.decompress(smaller.content) == plain.content
    assert len(smaller.content) <= len(packed.content)


def test_a_broken_cache_gives_an_uncached_page_not_an_error(client, make_article):
    make_article("Still here")
    broken = mock.Mock(**{"get.side_effect": ConnectionError("down")})
    with mock.patch("newsdesk.delivery.pagecache.cache", broken):
        response = client.get("/")
    assert response.status_code == 200
    assert "X-Cache" not in response
    assert "Still here" in response.content.decode()


def test_error_pages_and_redirects_are_not_cached(client, make_article, settings):
    article = make_article(slug="first")
    old_address = article.get_absolute_url()
    article.slug = "second"
    article.save()
    for _ in range(2):
        moved = client.get(old_address)
        missing = client.get("/nowhere/")
        assert (moved.status_code, missing.status_code) == (301, 404)
        assert "X-Cache" not in moved
        assert "X-Cache" not in missing
        # Others may keep them, but only briefly.
        expected = f"public, max-age={settings.NEWSDESK_CDN_CACHE_SECONDS}"
        assert moved["Cache-Control"] == expected
        assert missing["Cache-Control"] == expected


def test_a_path_no_view_answers_is_bounded_too(client, settings):
    """An old address's redirect or a 404 there is kept briefly, never stored."""
    for _ in range(2):
        missing = client.get("/no/such/place")
        assert missing.status_code == 404
        assert "X-Cache" not in missing
        expected = f"public, max-age={settings.NEWSDESK_CDN_CACHE_SECONDS}"
        assert missing["Cache-Control"] == expected


def test_with_redis_the_cache_works_and_survives_redis_going_away(
    client, make_article, redis_server, settings
):
    settings.REDIS_URL = redis_server.url
    settings.CACHES = {
        "default": {
            "BACKEND": "newsdesk.cache.TolerantRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    article = make_article("Redis story")
    assert client.get("/")["X-Cache"] == "MISS"
    assert client.get("/")["X-Cache"] == "HIT"
    article.title = "Redis story, updated"
    article.save()
    assert "Redis story, updated" in client.get("/").content.decode()
    redis_server.stop()
    response = client.get("/")
    assert response.status_code == 200
    assert "Redis story, updated" in response.content.decode()


class CountingApp:
    """The Django application, counting how often a request reaches it."""

    def __init__(self) -> None:
        from newsdesk.wsgi import django_application

        self.django = django_application
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.django(environ, start_response)


def call(app, path: str = "/", **extra) -> tuple[str, dict, bytes]:
    from wsgiref.util import setup_testing_defaults

    environ = {"PATH_INFO": path, "HTTP_HOST": "localhost", **extra}
    setup_testing_defaults(environ)
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body


def test_hits_are_answered_before_django(make_article):
    from newsdesk.delivery.pagecache import PageCacheApp

    make_article("Fast path")
    django = CountingApp()
    app = PageCacheApp(django)
    status, miss_headers, miss = call(app)
    assert (status, miss_headers["X-Cache"], django.calls) == ("200 OK", "MISS", 1)
    status, headers, hit = call(app)
    assert (status, headers["X-Cache"], django.calls) == ("200 OK", "HIT", 1)
    assert hit == miss
    # Headers Django's middleware added on the miss travel with the cached page.
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Surrogate-Key"] == miss_headers["Surrogate-Key"]
    status, _, body = call(app, HTTP_IF_NONE_MATCH=headers["ETag"])
    assert (status, body, django.calls) == ("304 Not Modified", b"", 1)
    status, headers, body = call(app, REQUEST_METHOD="HEAD")
    assert (status, body) == ("200 OK", b"")
    assert headers["Content-Length"] == str(len(hit))


def test_the_fast_path_lets_editors_and_posts_through(make_article):
    from newsdesk.delivery.pagecache import PageCacheApp

    make_article()
    django = CountingApp()
    app = PageCacheApp(django)
    call(app)
    call(app, HTTP_COOKIE="sessionid=abc; theme=dark")
    call(app, REQUEST_METHOD="POST")
    call(app, "/desk/login/")
    assert django.calls == 4


def test_a_page_from_the_cache_still_counts_its_view(client, make_article):
    from newsdesk.popularity.counting import flush
    from newsdesk.popularity.models import HourlyViews

    article = make_article()
    client.get(article.get_absolute_url())
    cached = client.get(article.get_absolute_url())
    assert cached["X-Cache"] == "HIT"
    beacon = f"/popularity/view/{article.pk}/"
    assert f'data-beacon="{beacon}"' in cached.content.decode()
    client.post(beacon, headers={"user-agent": "Mozilla/5.0 (X11; Linux) Firefox/133"})
    flush()
    assert HourlyViews.objects.get(article=article).views == 1
