"""Public pages: front page, article, archives, errors, and the newsroom preview."""

from __future__ import annotations

import re
import sys

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import InvalidPage, Page, Paginator
from django.db import InterfaceError, OperationalError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.encoding import iri_to_uri
from django.views.decorators.csrf import requires_csrf_token

from newsdesk.content.models import Article, Author, Section, Tag
from newsdesk.content.publishing import can_publish
from newsdesk.delivery.pagecache import cached_page
from newsdesk.search.service import MAX_PAGE as SEARCH_MAX_PAGE
from newsdesk.search.service import search as run_search
from newsdesk.web import security, seo
from newsdesk.web.context_processors import content_state


def surrogate_keys(response: HttpResponse, *keys: str) -> HttpResponse:
    """Name what the page shows, so a CDN can purge exactly the pages a change hits.

    Every page also carries `site`: its widgets (latest, popular) show any article.
    Keys are percent-encoded as addresses are: `section-技术` is
    `section-%E6%8A%80%E6%9C%AF`, a header value any CDN reads.
    """
    response["Surrogate-Key"] = " ".join(iri_to_uri(key) for key in ["site", *keys])
    return response


PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")
SLUG = re.compile(r"[-\w]{0,100}")
# Longer searches are cut here: what is searched for, shown and cached.
MAX_QUERY = 256


def archive_page_key(value: str) -> str | None:
    """Key archives on a real page number; anything else is a 404, not stored."""
    return value if PAGE_NUMBER.fullmatch(value) else None


def _search_page(number: str) -> int:
    """Return the search page asked for; a bad number is the first page."""
    page = int(number) if PAGE_NUMBER.fullmatch(number) else 1
    return max(1, min(page, SEARCH_MAX_PAGE))


def search_page_key(value: str) -> str:
    return str(_search_page(value))


def search_query(value: str) -> str:
    return value.strip()[:MAX_QUERY]


def search_query_key(value: str) -> str | None:
    """Key only the empty search page: each query a reader can make up would be
    an entry of its own, so results are rendered afresh (search is fast) and
    never fill the cache."""
    return "" if not search_query(value) else None


def section_key(value: str) -> str | None:
    return value if SLUG.fullmatch(value) else None


def _page(request: HttpRequest, articles) -> Page:
    """Return the requested page of articles; anything but a real page is a 404."""
    paginator = Paginator(articles.for_listing(), settings.NEWSDESK_PAGE_SIZE)
    number = request.GET.get("page", "1")
    if not PAGE_NUMBER.fullmatch(number):
        raise Http404("No such page")
    try:
        return paginator.page(number)
    except InvalidPage:
        raise Http404("No such page") from None


@cached_page()
def front(request: HttpRequest) -> HttpResponse:
    """Show the lead story and the newest articles of every section."""
    # The blocks are built in the template ({% front_page %}), inside a fragment
    # cache, so a cached front page runs none of their queries.
    response = render(request, "web/front.html", {"meta": seo.for_front()})
    return surrogate_keys(response, "front")


@cached_page()
def article(
    request: HttpRequest, section: str, year: str, month: str, day: str, slug: str
) -> HttpResponse:
    """Show a published article, or redirect from an old or outdated address."""
    found = _published_article(slug, content_state(request))
    if found is None:
        # An old address of an article: newsdesk.web.redirects answers it.
        raise Http404("No such article")
    # The path arrives decoded (`/技术/…`), the address percent-encoded.
    if iri_to_uri(request.path) != found.get_absolute_url():
        # The section or date in the address is out of date: send to the real one.
        return HttpResponsePermanentRedirect(found.get_absolute_url())
    response = render(
        request,
        "web/article.html",
        {
            "article": found,
            "current_section": found.section.slug,
            "meta": seo.for_article(found),
        },
    )
    return surrogate_keys(
        response,
        f"article-{found.pk}",
        f"section-{found.section.slug}",
        *(f"tag-{tag.slug}" for tag in found.tags.all()),
        *(f"author-{author.slug}" for author in found.authors.all()),
    )


def _published_article(slug: str, state: str | None) -> Article | None:
    """Find a published article by slug, with what its page shows.

    Kept in the cache under the content state, which any change readers could
    see replaces, so a cached article is as fresh as a query.
    """
    key = f"article:{state}:{slug}"
    if state and (cached := cache.get(key)) is not None:
        return cached
    found = (
        Article.objects.published()
        .select_related("section", "lead_image")
        .prefetch_related("tags", "authors")
        .filter(slug=slug)
        .first()
    )
    if state and found is not None:
        cache.set(key, found, settings.NEWSDESK_PAGE_CACHE_SECONDS)
    return found


@staff_member_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Show any article, draft or scheduled, exactly as readers will see it."""
    found = get_object_or_404(
        Article.objects.select_related("section", "lead_image").prefetch_related(
            "tags", "authors"
        ),
        pk=pk,
    )
    if not request.user.has_perm("content.view_article"):
        raise PermissionDenied
    if not can_publish(request.user) and found.created_by_id != request.user.pk:
        # Writers see their own work only, as in the newsroom's list.
        raise Http404("No such article")
    response = render(
        request, "web/article.html", {"article": found, "is_preview": True}
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


def _archive(
    request: HttpRequest,
    articles,
    *,
    kind: str,
    heading: str,
    description: str = "",
    feed_url: str,
    current_section: str | None = None,
) -> HttpResponse:
    """Render one page of an archive (section, tag or author), newest first."""
    page = _page(request, articles.newest_first())
    meta = seo.for_archive(
        kind=kind,
        heading=heading,
        description=description,
        path=request.path,
        page_number=page.number,
    )
    return render(
        request,
        "web/archive.html",
        {"page": page, "heading": heading, "description": description, "kind": kind,
         "current_section": current_section, "feed_url": feed_url, "meta": meta},
    )  # fmt: skip


@cached_page(page=archive_page_key)
def section(request: HttpRequest, slug: str) -> HttpResponse:
    """List a section's articles, newest first, a page at a time."""
    found = get_object_or_404(Section, slug=slug)
    response = _archive(
        request,
        Article.objects.published().in_section(found),
        kind="Section",
        heading=found.name,
        description=found.description,
        feed_url=reverse("web:section-feed", args=[found.slug]),
        current_section=found.slug,
    )
    return surrogate_keys(response, f"section-{found.slug}")


@cached_page(page=archive_page_key)
def tag(request: HttpRequest, slug: str) -> HttpResponse:
    """List the articles with a tag, newest first."""
    found = get_object_or_404(Tag, slug=slug)
    response = _archive(
        request,
        Article.objects.published().tagged(found),
        kind="Tag",
        heading=found.name,
        feed_url=reverse("web:tag-feed", args=[found.slug]),
    )
    return surrogate_keys(response, f"tag-{found.slug}")


@cached_page(page=archive_page_key)
def author(request: HttpRequest, slug: str) -> HttpResponse:
    """Show an author's bio and articles, newest first."""
    found = get_object_or_404(Author, slug=slug)
    response = _archive(
        request,
        Article.objects.published().by(found),
        kind="Author",
        heading=found.name,
        description=found.bio,
        feed_url=reverse("web:author-feed", args=[found.slug]),
    )
    return surrogate_keys(response, f"author-{found.slug}")


@cached_page(q=search_query_key, section=section_key, page=search_page_key)
def search(request: HttpRequest) -> HttpResponse:
    """Show what a reader's search found, best match first."""
    raw = search_query(request.GET.get("q", ""))
    sections = list(Section.objects.all())
    asked = request.GET.get("section", "")
    chosen = next((s for s in sections if s.slug == asked), None)
    page = _search_page(request.GET.get("page", "1"))
    found = run_search(raw, page=page, section=chosen)
    response = render(
        request,
        "web/search.html",
        {"q": raw, "found": found, "sections": sections, "chosen": chosen},
    )
    response["X-Robots-Tag"] = "noindex"
    if asked and chosen is None:
        # No such section: the page is the all-sections one, not worth a cache
        # entry of its own per made-up name.
        add_never_cache_headers(response)
    return surrogate_keys(response, "search")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # Called while the exception is handled, whether a view or a middleware raised it.
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        return database_unavailable(error)
    # No context processors: the database may be what failed.
    return error_page(loader.get_template("500.html").render(), status=500)


def database_unavailable(error: Exception) -> HttpResponse:
    """Answer 503: the database is away, or an import holds SQLite's write lock."""
    busy = "database is locked" in str(error)
    page = loader.get_template("503.html").render({"busy": busy})
    response = error_page(page, status=503)
    response["Retry-After"] = "60" if busy else "30"
    response["Cache-Control"] = "no-store"
    return response


def error_page(page: str, *, status: int) -> HttpResponse:
    response = HttpResponse(page, status=status)
    # Self-contained (nothing to load from a site in trouble), style included.
    policy = security.policy_with_styles(page)
    if policy:
        response["Content-Security-Policy"] = policy
    # Also when the error came from above the headers' middleware.
    if settings.PERMISSIONS_POLICY:
        response["Permissions-Policy"] = security.permissions_policy()
    return response
