"""The one entry point to search: `search(query, page=…, section=…)`."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import DatabaseError
from django.utils import timezone

from newsdesk.content.models import Article, Section
from newsdesk.lib.searchquery import Query, parse
from newsdesk.search.backends import get_backend

logger = logging.getLogger(__name__)
PER_PAGE = 20
MAX_PAGE = 50


@dataclass
class Result:
    article: Article
    snippet: str  # safe HTML
    score: float


@dataclass
class SearchPage:
    query: Query
    total: int = 0
    page: int = 1
    per_page: int = PER_PAGE
    results: list[Result] = field(default_factory=list)
    failed: bool = False
    # More matches than `total`: only the newest `total` are ranked and shown.
    more: bool = False

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, max(1, -(-self.total // self.per_page)))

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.per_page + 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def search(
    raw: str, *, page: int = 1, section: Section | None = None, per_page: int = PER_PAGE
) -> SearchPage:
    """Find published articles for what a reader typed, best match first."""
    query = parse(raw)
    page = max(1, min(page, MAX_PAGE))
    result = SearchPage(query=query, page=page, per_page=per_page)
    if query.empty:
        return result
    try:
        found = get_backend().search(
            query,
            now=timezone.now(),
            section_id=section.pk if section else None,
            offset=(page - 1) * per_page,
            limit=per_page,
        )
    except DatabaseError:
        # Whatever was typed, the reader gets a page; the log gets the details.
        logger.exception("Search failed for %r", raw[:200])
        result.failed = True
        return result
    articles = (
        Article.objects.published()
        .select_related("section")
        .in_bulk([hit.article_id for hit in found.hits])
    )
    result.total, result.more = found.total, found.capped
    result.results = [
        Result(articles[hit.article_id], hit.snippet, hit.score)
        for hit in found.hits
        if hit.article_id in articles
    ]
    return result
