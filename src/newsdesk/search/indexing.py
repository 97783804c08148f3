"""Keep the search index in step with the content."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.db import transaction

from newsdesk.content.models import Article
from newsdesk.lib.markup import html_to_text
from newsdesk.lib.searchquery import spaced
from newsdesk.search.backends import get_backend

logger = logging.getLogger(__name__)
BATCH = 500


def _row(article: Article) -> tuple:
    return (
        article.pk,
        spaced(article.title),
        spaced(article.standfirst),
        spaced(html_to_text(article.body)),
        article.publish_at,
        article.section_id,
    )


def index_articles(ids: Iterable[int]) -> None:
    """Index these articles if published (scheduled included), else drop them."""
    ids = list(ids)
    backend = get_backend()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        # Published and scheduled: a scheduled article becomes findable when its
        # time comes, with no save to trigger indexing then.
        articles = Article.objects.filter(
            pk__in=chunk, status=Article.Status.PUBLISHED, publish_at__isnull=False
        ).only("pk", "title", "standfirst", "body", "publish_at", "section_id")
        rows = [_row(article) for article in articles]
        gone = set(chunk) - {row[0] for row in rows}
        with transaction.atomic(), _cursor() as cursor:
            backend.remove(cursor, sorted(gone))
            backend.store(cursor, rows)


def rebuild(progress: Callable[[int, int], None] = lambda done, total: None) -> int:
    """Index every published article afresh; return how many were indexed."""
    backend = get_backend()
    ids = list(
        Article.objects.filter(status=Article.Status.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        with _cursor() as cursor:
            backend.clear(cursor)
        for start in range(0, len(ids), BATCH):
            index_articles(ids[start : start + BATCH])
            progress(min(start + BATCH, len(ids)), len(ids))
    return len(ids)


def on_content_changed(sender, pk=None, pks=None, **kwargs) -> None:
    """Reindex what changed; runs after the commit, from every write path.

    `pks` names the articles that changed, one or a bulk write's; without them
    (a bulk write of many, or an older sender) the whole index is rebuilt.
    """
    if sender is not Article:
        return
    if pks is None and pk is not None:
        pks = (pk,)
    try:
        if pks is None:
            rebuild()
        else:
            index_articles(pks)
    except Exception:
        # The article is saved; a search index behind by one is repaired by
        # `newsdesk reindex`, not by failing the editor's save.
        logger.exception("Search index update failed for articles %s", pks)


def _cursor():
    from django.db import connection

    return connection.cursor()


def refresh_statistics(**kwargs) -> None:
    """Give SQLite's query planner the table statistics it doesn't keep by itself.

    Without them SQLite may read a search's 20 articles through the wrong index
    (about 20 ms at 100k articles). Sampled, so quick on any size of archive;
    PostgreSQL's autovacuum does this on its own.
    """
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")
