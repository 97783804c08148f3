"""Whole-page cache for readers, with HTTP caching headers and gzip.

Pages are cached under the content generation (see newsdesk.delivery.generation):
any change to content starts a new generation, so the next request renders afresh
and nothing stale is served. A page also expires at the site's midnight (the top
bar's date) and when the next scheduled article goes live.

Hits are answered by `PageCacheApp`, around the WSGI application, before Django
builds a request; misses go through Django, where `PageCacheMiddleware` stores
what readers may share.

Only the pages of views declared with `@cached_page` are stored: the view says
which query parameters it reads, next to the code that reads them. A page is keyed
on the site's address (NEWSDESK_SITE_URL, not the Host header), its path and those
parameters; a request with any other parameter (bar tracking ones) is answered
uncached, so made-up addresses can't fill the cache.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from types import MappingProxyType
from urllib.parse import urlencode

import brotli
from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import get_str_from_wsgi
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe

from newsdesk.content.models import Article
from newsdesk.delivery import generation

logger = logging.getLogger(__name__)

# Links from newsletters and social sites add these; they don't change the page.
TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|_ga|_gl|igshid|"
    r"ref_src|yclid)$"
)
CACHEABLE_TYPES = (
    "text/html", "application/xml", "text/xml", "application/rss+xml",
    "application/atom+xml", "text/plain", "application/json",
)  # fmt: skip
MAX_BODY = 2 * 1024 * 1024
# Computed per answer, or meaningless once cached.
NOT_STORED = frozenset(
    {"content-length", "content-encoding", "vary", "etag", "last-modified",
     "cache-control", "expires", "set-cookie", "date", "x-cache", "connection"}
)  # fmt: skip


@dataclass(frozen=True)
class Entry:
    expires: float
    headers: tuple[tuple[str, str], ...]
    body: bytes
    gzipped: bytes
    brotli: bytes
    etag: str
    last_modified: float


def cacheable_request(environ: dict) -> bool:
    """Tell whether the request's page may come from, and go into, the cache."""
    return (
        public_request(environ)
        and keyed_query(environ) is not None
        and route(_path(environ)).view_found
    )


def public_request(environ: dict) -> bool:
    """Tell whether the request is a reader's, answered alike for every reader."""
    if not settings.NEWSDESK_PAGE_CACHE:
        return False
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return False
    if "HTTP_AUTHORIZATION" in environ:
        return False
    if settings.SECURE_SSL_REDIRECT and not is_secure(environ):
        return False  # Django answers with the redirect to HTTPS.
    if not allowed_host(environ):
        return False  # Django answers 400; a cached page must not hide that.
    return not has_session(environ)


def allowed_host(environ: dict) -> bool:
    """Tell whether Django would accept the request's host (ALLOWED_HOSTS)."""
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
        host = environ["HTTP_X_FORWARDED_HOST"]
    elif "HTTP_HOST" in environ:
        host = environ["HTTP_HOST"]
    else:
        return True  # The server's own name (PEP 3333), not the client's word.
    # As HttpRequest.get_host() checks it, without building a request.
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    domain, _ = split_domain_port(host)
    return bool(domain) and validate_host(domain, allowed)


def is_secure(environ: dict) -> bool:
    header = settings.SECURE_PROXY_SSL_HEADER
    if header:
        return environ.get(header[0], "").split(",")[0].strip() == header[1]
    return environ.get("wsgi.url_scheme") == "https"


def accepted_encodings(header: str) -> set[str]:
    """Return the codings an Accept-Encoding header allows (q=0 refuses one)."""
    allowed = set()
    for part in header.split(","):
        coding, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding and quality > 0:
            allowed.add(coding.strip().lower())
    return allowed


def has_session(environ: dict) -> bool:
    """Tell whether the request carries a session cookie, read as Django reads it."""
    raw = get_str_from_wsgi(environ, "HTTP_COOKIE", "")
    return settings.SESSION_COOKIE_NAME in raw and (
        settings.SESSION_COOKIE_NAME in parse_cookie(raw)
    )


# Part of every key: a release that changes what an entry holds starts afresh.
KEY_VERSION = "v4"
# Turns one query parameter's value into the one the key holds, or None when a
# request with that value is not to be cached at all.
Normaliser = Callable[[str], "str | None"]


def cached_page(**parameters: Normaliser):
    """Declare a view's pages cached, keyed on these query parameters alone.

    Each parameter comes with its normaliser. A request with any other parameter
    (bar tracking ones) is answered uncached rather than keyed without it: the
    view might read it after all, and a page rendered for it must not be served
    to others. A view without the declaration is never cached. Decorate a view
    function, or a class whose instances are views (a Feed).
    """

    def decorate(view):
        view.page_cache_parameters = MappingProxyType(dict(parameters))
        return view

    return decorate


@dataclass(frozen=True)
class Route:
    """What the page cache knows of a path: its view, and what the view declared."""

    view_found: bool
    # The declared parameters; None when the view is never cached.
    parameters: Mapping[str, Normaliser] | None


def route(path: str) -> Route:
    """Return what the path's view declared, under the URL configuration in use."""
    return _route(get_urlconf() or settings.ROOT_URLCONF, path)


@lru_cache(maxsize=1024)
def _route(urlconf, path: str) -> Route:
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        # No view: nothing is stored, yet a redirect or 404 from the middleware
        # (an old address, a missing slash) is bounded like a page's.
        return Route(view_found=False, parameters=MappingProxyType({}))
    return Route(
        view_found=True, parameters=getattr(match.func, "page_cache_parameters", None)
    )


@receiver(setting_changed)
def _forget_declarations(setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _route.cache_clear()


def _path(environ: dict) -> str:
    return environ.get("PATH_INFO") or "/"


QUERY_KEY = "newsdesk.page_cache.query"


def keyed_query(environ: dict) -> list[tuple[str, str]] | None:
    """Return the normalised parameters a page is keyed on; None: not cacheable."""
    if QUERY_KEY not in environ:  # Worked out once per request.
        environ[QUERY_KEY] = _keyed_query(environ)
    return environ[QUERY_KEY]


def _keyed_query(environ: dict) -> list[tuple[str, str]] | None:
    declared = route(_path(environ)).parameters
    if declared is None:
        return None
    raw = get_str_from_wsgi(environ, "QUERY_STRING", "")
    if not raw:
        return []
    query = QueryDict(raw)
    names = sorted(name for name in query if not TRACKING.match(name))
    if not names:
        return []
    keyed = []
    for name in names:
        if name not in declared:
            return None
        # The last value, as `request.GET[name]` gives it to the view.
        value = declared[name](query[name])
        if value is None:
            return None
        keyed.append((name, value))
    return keyed


def cache_key(environ: dict, current: str) -> str:
    query = keyed_query(environ) or []
    # Pages are built on the site's address whatever Host a request named, so
    # one entry serves every Host variant.
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    address = settings.NEWSDESK_SITE_URL + path
    if query:
        address += "?" + urlencode(query)
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"page:{KEY_VERSION}:{current}:{digest}"


def lookup(environ: dict) -> tuple[str | None, Entry | None]:
    """Return the cache key for this request and its live entry, if any."""
    # The state, not only the generation: it moves on when a scheduled article
    # goes live, so no page from before that moment is served after it.
    current = generation.state_for(environ)
    if current is None:
        return None, None
    key = cache_key(environ, current)
    entry = cache.get(key)
    if entry is not None and entry.expires > time.time():
        return key, entry
    return key, None


def expiry(now: datetime) -> float:
    """Return when a page whose rendering began now stops being true (Unix time)."""
    limits = [now + timedelta(seconds=settings.NEWSDESK_PAGE_CACHE_SECONDS)]
    local = timezone.localtime(now)
    midnight = (local + timedelta(days=1)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    limits.append(midnight)
    # Scheduled after the rendering began: one going live during the rendering may
    # or may not be on the page, so the page ends when it goes live.
    scheduled = (
        Article.objects.filter(status=Article.Status.PUBLISHED, publish_at__gt=now)
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )
    if scheduled is not None:
        limits.append(scheduled)
    return min(limits).timestamp()


def answer(
    entry: Entry, environ: dict, state: str
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Return status, headers and body for a cached page, honouring conditionals."""
    remaining = max(0, int(entry.expires - time.time()))
    max_age = min(settings.NEWSDESK_BROWSER_CACHE_SECONDS, remaining)
    shared_age = min(settings.NEWSDESK_CDN_CACHE_SECONDS, remaining)
    headers = [
        ("ETag", entry.etag),
        ("Last-Modified", http_date(entry.last_modified)),
        (
            "Cache-Control",
            f"public, max-age={max_age}, s-maxage={shared_age}, "
            "stale-while-revalidate=30, stale-if-error=300",
        ),
        ("Vary", "Accept-Encoding"),
        ("X-Cache", state),
    ]
    if not_modified(environ, entry):
        return 304, headers, b""
    body = entry.body
    accepted = accepted_encodings(environ.get("HTTP_ACCEPT_ENCODING", ""))
    if "br" in accepted:
        body = entry.brotli
        headers.append(("Content-Encoding", "br"))
    elif "gzip" in accepted:
        body = entry.gzipped
        headers.append(("Content-Encoding", "gzip"))
    headers = [*entry.headers, *headers, ("Content-Length", str(len(body)))]
    if environ.get("REQUEST_METHOD") == "HEAD":
        body = b""
    return 200, headers, body


def not_modified(environ: dict, entry: Entry) -> bool:
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return entry.etag in tags or "*" in tags
    since = parse_http_date_safe(environ.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and int(entry.last_modified) <= since


STATUS_LINES = {200: "200 OK", 304: "304 Not Modified"}


class PageCacheApp:
    """Answer cache hits at the WSGI level, before Django builds a request."""

    def __init__(self, application) -> None:
        self.application = application

    def __call__(self, environ: dict, start_response):
        if cacheable_request(environ):
            try:
                _, entry = lookup(environ)
                if entry is not None:
                    status, headers, body = answer(entry, environ, "HIT")
                    start_response(STATUS_LINES[status], headers)
                    return [body]
            except Exception:
                logger.warning("Page cache answer failed", exc_info=True)
        return self.application(environ, start_response)


class PageCacheMiddleware:
    """Serve readers' pages from the cache through Django; store what they get."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        environ = request.META
        if not cacheable_request(environ):
            response = self.get_response(request)
            if has_session(environ):
                # An editor's view of a page must not be kept by a CDN or proxy.
                response.headers.setdefault("Cache-Control", "private, no-cache")
            elif public_request(environ) and keyed_query(environ) is not None:
                self.bound(response)  # A path no view answers.
            return response
        try:
            key, entry = lookup(environ)
            if entry is not None:
                return self.respond(environ, entry, "HIT")
        except Exception:
            # A broken cache means an uncached page, never an error page.
            logger.warning("Page cache lookup failed", exc_info=True)
            key = None
        started = timezone.now()
        response = self.get_response(request)
        self.bound(response)
        if key is None or not self.cacheable_response(response):
            return response
        try:
            entry = self.make_entry(response, started)
            cache.set(key, entry, int(entry.expires - time.time()) + 5)
            return self.respond(environ, entry, "MISS")
        except Exception:
            logger.warning("Page cache store failed", exc_info=True)
            return response

    @staticmethod
    def bound(response: HttpResponse) -> None:
        if response.status_code in (301, 404) and "Cache-Control" not in response:
            # Not stored here, but bounded elsewhere: a browser keeps a bare 301
            # for ever, and a scheduled article's address is a 404 until it isn't.
            age = settings.NEWSDESK_CDN_CACHE_SECONDS
            response["Cache-Control"] = f"public, max-age={age}"

    @staticmethod
    def cacheable_response(response: HttpResponse) -> bool:
        control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not any(word in control for word in ("private", "no-store", "no-cache"))
            and "max-age=0" not in control
            and "cookie" not in response.get("Vary", "").lower()
            and response.get("Content-Type", "").startswith(CACHEABLE_TYPES)
            and len(response.content) <= MAX_BODY
        )

    @staticmethod
    def make_entry(response: HttpResponse, started: datetime) -> Entry:
        body = response.content
        return Entry(
            expires=expiry(started),
            headers=tuple(
                (name, value)
                for name, value in response.items()
                if name.lower() not in NOT_STORED
            ),
            body=body,
            # Compressed once when stored, not on every answer.
            gzipped=gzip.compress(body, compresslevel=6, mtime=0),
            brotli=brotli.compress(body, quality=6),
            etag='"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"',
            last_modified=time.time(),
        )

    @staticmethod
    def respond(environ: dict, entry: Entry, state: str) -> HttpResponse:
        status, headers, body = answer(entry, environ, state)
        response = HttpResponse(body, status=status)
        for name, value in headers:
            response[name] = value
        return response
