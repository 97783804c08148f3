"""Whole-page cache for readers, with HTTP caching headers and gzip.

Pages are cached under the content generation (see newsdesk.content.generation):
any change to content starts a new generation, so the next request renders afresh
and nothing stale is served. A page also expires at the site's midnight (the top
bar's date) and when the next scheduled article goes live.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from newsdesk.content import generation
from newsdesk.content.models import Article

logger = logging.getLogger(__name__)

# Links from newsletters and social sites add these; they don't change the page.
TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|_ga|_gl|igshid|"
    r"ref_src|yclid)$"
)
NEVER_CACHED = ("/desk/", "/static/", "/media/", "/healthz", "/popularity/")
CACHEABLE_TYPES = (
    "text/html", "application/xml", "text/xml", "application/rss+xml",
    "application/atom+xml", "text/plain", "application/json",
)  # fmt: skip
MAX_BODY = 2 * 1024 * 1024
COPIED_HEADERS = ("Content-Type", "Content-Language", "Surrogate-Key", "X-Robots-Tag")


@dataclass(frozen=True)
class Entry:
    expires: float
    headers: tuple[tuple[str, str], ...]
    body: bytes
    gzipped: bytes
    etag: str
    last_modified: float


def cache_key(request: HttpRequest, current: str) -> str:
    query = sorted(
        (name, value)
        for name, value in parse_qsl(request.META.get("QUERY_STRING", ""), True)
        if not TRACKING.match(name)
    )
    path = request.path + ("?" + urlencode(query) if query else "")
    digest = hashlib.sha256(f"{request.get_host()}{path}".encode()).hexdigest()[:32]
    return f"page:{current}:{digest}"


def expiry(now: datetime) -> float:
    """Return when a page rendered now stops being true, as a Unix time."""
    limits = [now + timedelta(seconds=settings.NEWSDESK_PAGE_CACHE_SECONDS)]
    local = timezone.localtime(now)
    midnight = (local + timedelta(days=1)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    limits.append(midnight)
    scheduled = Article.objects.next_publish_at()
    if scheduled is not None:
        limits.append(scheduled)
    return min(limits).timestamp()


class PageCacheMiddleware:
    """Serve readers' pages from the cache; store what they get."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.cacheable_request(request):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                # An editor's view of a page must not be kept by a CDN or proxy.
                response.headers.setdefault("Cache-Control", "private, no-cache")
            return response
        try:
            current = generation.current()
            key = cache_key(request, current) if current else None
            entry = cache.get(key) if key else None
        except Exception:
            # A broken cache means an uncached page, never an error page.
            logger.warning("Page cache lookup failed", exc_info=True)
            key, entry = None, None
        if entry is not None and entry.expires > time.time():
            return self.respond(request, entry, "HIT")
        response = self.get_response(request)
        if key is None or not self.cacheable_response(response):
            return response
        entry = self.make_entry(response)
        try:
            cache.set(key, entry, int(entry.expires - time.time()) + 5)
        except Exception:
            logger.warning("Page cache store failed", exc_info=True)
        return self.respond(request, entry, "MISS")

    def cacheable_request(self, request: HttpRequest) -> bool:
        return (
            settings.NEWSDESK_PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(NEVER_CACHED)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
        )

    def cacheable_response(self, response: HttpResponse) -> bool:
        control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in control
            and "no-store" not in control
            and response.get("Content-Type", "").startswith(CACHEABLE_TYPES)
            and len(response.content) <= MAX_BODY
        )

    def make_entry(self, response: HttpResponse) -> Entry:
        body = response.content
        return Entry(
            expires=expiry(timezone.now()),
            headers=tuple(
                (name, response[name]) for name in COPIED_HEADERS if name in response
            ),
            body=body,
            gzipped=gzip.compress(body, compresslevel=6, mtime=0),
            etag='"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"',
            last_modified=time.time(),
        )

    def respond(self, request: HttpRequest, entry: Entry, state: str) -> HttpResponse:
        remaining = max(0, int(entry.expires - time.time()))
        max_age = min(settings.NEWSDESK_BROWSER_CACHE_SECONDS, remaining)
        headers = {
            "ETag": entry.etag,
            "Last-Modified": http_date(entry.last_modified),
            "Cache-Control": (
                f"public, max-age={max_age}, s-maxage={remaining}, "
                f"stale-while-revalidate=60, stale-if-error=86400"
            ),
            "X-Cache": state,
        }
        if self.not_modified(request, entry):
            return HttpResponseNotModified(headers=headers)
        wants_gzip = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
        response = HttpResponse(
            entry.gzipped if wants_gzip else entry.body,
            headers=dict(entry.headers) | headers,
        )
        if wants_gzip:
            response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(response.content))
        patch_vary_headers(response, ["Accept-Encoding"])
        return response

    @staticmethod
    def not_modified(request: HttpRequest, entry: Entry) -> bool:
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return entry.etag in tags or "*" in tags
        since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
        return since is not None and int(entry.last_modified) <= since
