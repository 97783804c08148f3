"""Sitemaps: an index, articles by month, sections, tags, authors, and Google News.

The sitemaps are Django `Sitemap` subclasses that say what is listed; the views
write them out as XML. Article sitemaps are streamed row by row, so a month of a
big archive never sits in memory, and every address is on the site's own domain
(NEWSDESK_SITE_URL), whatever Host the request came with.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import CharField, Count, Func, Max, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.gzip import gzip_page

from newsdesk.content.models import Article, Author, Section, Tag
from newsdesk.delivery.pagecache import cached_page
from newsdesk.web.feeds import xml_safe
from newsdesk.web.seo import absolute

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NEWS_HOURS = 48
NEWS_LIMIT = 1000
CHUNK = 2000


class UTCMonth(Func):
    """The year and month of a stored time in UTC, as text: "2026-11".

    Computed in SQL without a function call per row: SQLite keeps times as UTC
    text, and PostgreSQL's to_char is native. This is what lets the sitemap index
    count a million articles by month in one quick query.
    """

    output_field = CharField()
    arity = 1

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="substr(%(expressions)s, 1, 7)"
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM')",
        )

    def as_sql(self, compiler, connection, **extra):
        if "template" not in extra:
            raise NotImplementedError("UTCMonth supports SQLite and PostgreSQL")
        return super().as_sql(compiler, connection, **extra)


class SiteSitemap(Sitemap):
    """A sitemap of addresses on the site's own domain."""

    @property
    def limit(self) -> int:
        return settings.NEWSDESK_SITEMAP_LIMIT

    def location(self, item) -> str:
        return absolute(item.get_absolute_url())


class ArticleSitemap(SiteSitemap):
    """The published articles of one calendar month (UTC), oldest first."""

    def __init__(self, year: int, month: int) -> None:
        self.start = datetime(year, month, 1, tzinfo=UTC)
        self.end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)

    def items(self):
        return (
            Article.objects.published()
            .filter(publish_at__gte=self.start, publish_at__lt=self.end)
            .select_related("section")
            .only("slug", "publish_at", "updated_at", "section__slug")
            .order_by("publish_at", "pk")
        )

    def lastmod(self, item: Article) -> datetime:
        return item.last_changed


class NewsSitemap(SiteSitemap):
    """Google News: what was published in the last two days, newest first."""

    def items(self):
        since = timezone.now() - timedelta(hours=NEWS_HOURS)
        return (
            Article.objects.published()
            .filter(publish_at__gte=since)
            .select_related("section")
            .only("title", "slug", "publish_at", "updated_at", "section__slug")
            .order_by("-publish_at", "-pk")[:NEWS_LIMIT]
        )

    def lastmod(self, item: Article) -> datetime:
        return item.last_changed


def newest_publish(**related):
    """The newest publish time among a row's published articles (a subquery)."""
    return Subquery(
        Article.objects.published()
        .filter(**related)
        .order_by("-publish_at")
        .values("publish_at")[:1]
    )


class SectionSitemap(SiteSitemap):
    def items(self):
        return (
            Section.objects.annotate(newest=newest_publish(section=OuterRef("pk")))
            .filter(newest__isnull=False)
            .order_by("pk")
        )

    def lastmod(self, item: Section) -> datetime:
        return item.newest


class ArchiveSitemap(SiteSitemap):
    """The tag or author archives with at least one published article.

    A draft's tag stays unlisted. A scalar subquery with LIMIT 1 stops at each
    row's first published article; PostgreSQL turns an EXISTS into a join over
    every article instead.
    """

    def __init__(self, model, relation: str) -> None:
        self.model, self.relation = model, relation

    def items(self):
        first = Article.objects.published().filter(**{self.relation: OuterRef("pk")})
        return (
            self.model.objects.annotate(listed=Subquery(first.values("pk")[:1]))
            .filter(listed__isnull=False)
            .order_by("pk")
        )


LISTS = {
    "sections": SectionSitemap,
    "tags": lambda: ArchiveSitemap(Tag, "tags"),
    "authors": lambda: ArchiveSitemap(Author, "authors"),
}


@dataclass(frozen=True)
class IndexEntry:
    paths: list[str]
    lastmod: datetime | None = None


def pages(name: str, count: int, lastmod: datetime | None = None) -> IndexEntry:
    """Name the pages of a sitemap of `count` addresses."""
    total = math.ceil(count / settings.NEWSDESK_SITEMAP_LIMIT)
    paths = [reverse("web:sitemap", args=[name])] + [
        reverse("web:sitemap-page", args=[name, page]) for page in range(2, total + 1)
    ]
    return IndexEntry(paths, lastmod)


def months() -> list[IndexEntry]:
    """Count the published articles of each month, with the month's last change."""
    # The last change counts unpublished articles of the month too: taking one
    # down changes the month's sitemap, which crawlers should then read again.
    published = Q(status=Article.Status.PUBLISHED)
    rows = (
        Article.objects.filter(publish_at__lte=timezone.now())
        .annotate(month=UTCMonth("publish_at"))
        .order_by()
        .values("month")
        .annotate(
            count=Count("pk", filter=published),
            lastmod=Max(Article.last_changed_sql()),
        )
        .order_by("month")
    )
    return [
        pages(f"articles-{row['month']}", row["count"], row["lastmod"])
        for row in rows
        if row["count"]
    ]


def index_entries() -> list[IndexEntry]:
    entries = []
    newest = (
        Article.objects.published()
        .order_by("-publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )
    if newest is not None and newest >= timezone.now() - timedelta(hours=NEWS_HOURS):
        entries.append(IndexEntry([reverse("web:sitemap-news")], newest))
    for name, sitemap in LISTS.items():
        if count := sitemap().items().count():
            entries.append(pages(name, count))
    return entries + months()


def w3c(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@cached_page()
def index(request: HttpRequest) -> HttpResponse:
    """List every sitemap, with when each last changed."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<sitemapindex xmlns="{SITEMAP_NS}">\n',
    ]
    for entry in index_entries():
        mod = f"<lastmod>{w3c(entry.lastmod)}</lastmod>" if entry.lastmod else ""
        for path in entry.paths:
            parts.append(
                f"<sitemap><loc>{escape(absolute(path))}</loc>{mod}</sitemap>\n"
            )
    parts.append("</sitemapindex>\n")
    return xml_response("".join(parts))


@cached_page()
def news(request: HttpRequest) -> HttpResponse:
    """List the last two days' articles for Google News."""
    return xml_response("".join(news_urlset(NewsSitemap())))


# Streamed, so never stored; declared so that its 404s are bounded like a page's.
@cached_page()
@gzip_page
def sitemap(request: HttpRequest, name: str, page: str = "1") -> HttpResponse:
    """Stream one sitemap page: articles of a month, sections, tags or authors."""
    page = int(page)
    found = ArticleSitemap(*month_of(name)) if name.startswith("articles-") else None
    if found is None and name in LISTS:
        found = LISTS[name]()
    if found is None:
        raise Http404("No such sitemap")
    limit = found.limit
    rows = found.items()[(page - 1) * limit : page * limit].iterator(chunk_size=CHUNK)
    first = next(rows, None)
    if first is None:
        raise Http404("An empty sitemap page")
    response = StreamingHttpResponse(
        urlset(found, chain_first(first, rows)),
        content_type="application/xml; charset=utf-8",
    )
    # Too big for the page cache, so let a CDN or proxy keep it a while.
    response["Cache-Control"] = f"public, max-age={settings.NEWSDESK_CDN_CACHE_SECONDS}"
    return response


def month_of(name: str) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in name.removeprefix("articles-").split("-"))
    except ValueError:
        raise Http404("No such sitemap") from None
    if not (1 <= month <= 12 and 1970 <= year <= 9998):
        raise Http404("No such sitemap")
    return year, month


def chain_first(first, rest: Iterator) -> Iterator:
    yield first
    yield from rest


def urlset(sitemap: SiteSitemap, items: Iterable) -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n'
    lastmod = getattr(sitemap, "lastmod", None)
    for item in items:
        mod = f"<lastmod>{w3c(lastmod(item))}</lastmod>" if lastmod else ""
        yield f"<url><loc>{escape(sitemap.location(item))}</loc>{mod}</url>\n"
    yield "</urlset>\n"


def news_language() -> str:
    """Google News wants ISO 639 codes, but zh-cn and zh-tw for Chinese."""
    code = settings.LANGUAGE_CODE.lower()
    if code in ("zh-hans", "zh-cn"):
        return "zh-cn"
    if code in ("zh-hant", "zh-tw", "zh-hk"):
        return "zh-tw"
    return code.split("-")[0]


def news_urlset(sitemap: NewsSitemap) -> Iterator[str]:
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n'
    )
    publication = (
        f"<news:publication><news:name>{escape(xml_safe(settings.NEWSDESK_SITE_NAME))}"
        f"</news:name><news:language>{news_language()}</news:language>"
        "</news:publication>"
    )
    for item in sitemap.items():
        yield (
            f"<url><loc>{escape(sitemap.location(item))}</loc>"
            f"<lastmod>{w3c(sitemap.lastmod(item))}</lastmod>"
            f"<news:news>{publication}"
            f"<news:publication_date>{w3c(item.publish_at)}</news:publication_date>"
            f"<news:title>{escape(xml_safe(item.title))}</news:title>"
            "</news:news></url>\n"
        )
    yield "</urlset>\n"


def xml_response(body: str) -> HttpResponse:
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


@cached_page()
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Tell crawlers where the sitemaps are and what is not for them."""
    lines = [
        "User-agent: *",
        "Disallow: /desk/",
        "Disallow: /popularity/",
        "",
        f"Sitemap: {absolute(reverse('web:sitemap-index'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
