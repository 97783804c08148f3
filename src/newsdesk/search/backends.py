"""Full-text search engines behind one interface: SQLite FTS5 and PostgreSQL.

Each keeps its own index of published articles (title, standfirst, body text), in
step with the content through `newsdesk.search.indexing`. Queries always join the
articles table and apply the rule of what is public, so an indexed article that is
scheduled, or unpublished a moment ago, is never found.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from newsdesk.content.models import Article
from newsdesk.lib.searchquery import MARK_END, MARK_START, Query

# Title matches weigh most, then the standfirst, then the body; newer articles get
# up to half as much again, fading over about a month.
TITLE, STANDFIRST, BODY = 10.0, 4.0, 1.0
RECENCY = "(1.0 + 0.5 / (1.0 + {age_days} / 30.0))"


@dataclass(frozen=True)
class Hit:
    article_id: int
    score: float
    snippet: str  # safe HTML: escaped text with <mark> around matched words


def highlight(raw: str) -> str:
    """Escape a snippet and turn the engine's markers into <mark> elements."""
    escaped = html.escape(raw.strip(), quote=False)
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def public_conditions(now: datetime, section_id: int | None) -> tuple[str, list]:
    sql = "a.status = %s AND a.publish_at <= %s"
    params: list = [
        Article.Status.PUBLISHED,
        connection.ops.adapt_datetimefield_value(now),
    ]
    if section_id is not None:
        sql += " AND a.section_id = %s"
        params.append(section_id)
    return sql, params


class SqliteBackend:
    table = "search_fts"

    @staticmethod
    def expression(query: Query) -> str:
        def quoted(words: tuple[str, ...]) -> str:
            # Words hold letters and digits only; doubling quotes is belt and braces.
            return '"' + " ".join(words).replace('"', '""') + '"'

        expression = " AND ".join(quoted(phrase) for phrase in query.phrases)
        for phrase in query.excluded:
            expression += " NOT " + quoted(phrase)
        return expression

    def store(self, cursor, rows: list[tuple[int, str, str, str]]) -> None:
        cursor.executemany(
            f"DELETE FROM {self.table} WHERE rowid = %s", [(row[0],) for row in rows]
        )
        cursor.executemany(
            f"INSERT INTO {self.table} (rowid, title, standfirst, body) "
            "VALUES (%s, %s, %s, %s)",
            rows,
        )

    def remove(self, cursor, ids: list[int]) -> None:
        cursor.executemany(
            f"DELETE FROM {self.table} WHERE rowid = %s", [(pk,) for pk in ids]
        )

    def clear(self, cursor) -> None:
        cursor.execute(f"DELETE FROM {self.table}")

    def search(
        self, query: Query, *, now: datetime, section_id: int | None, offset: int,
        limit: int,
    ) -> tuple[int, list[Hit]]:  # fmt: skip
        match = self.expression(query)
        public, params = public_conditions(now, section_id)
        base = (
            f"FROM {self.table} f JOIN content_article a ON a.id = f.rowid "
            f"WHERE {self.table} MATCH %s AND {public}"
        )
        score = f"-bm25({self.table}, {TITLE}, {STANDFIRST}, {BODY}) * " + (
            RECENCY.format(age_days="(julianday(%s) - julianday(a.publish_at))")
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {base}", [match, *params])
            total = cursor.fetchone()[0]
            if not total:
                return 0, []
            cursor.execute(
                f"SELECT f.rowid, {score} AS score, snippet({self.table}, -1, "
                f"%s, %s, '…', 28) {base} ORDER BY score DESC, a.publish_at DESC "
                "LIMIT %s OFFSET %s",
                [params[1], MARK_START, MARK_END, match, *params, limit, offset],
            )
            hits = [Hit(pk, score, highlight(raw)) for pk, score, raw in cursor]
        return total, hits


class PostgresBackend:
    table = "search_document"
    config = "english"

    @staticmethod
    def expression(query: Query) -> str:
        # websearch_to_tsquery's own syntax, rebuilt from plain words only.
        parts = [f'"{" ".join(phrase)}"' for phrase in query.phrases]
        parts += [f'-"{" ".join(phrase)}"' for phrase in query.excluded]
        return " ".join(parts)

    def store(self, cursor, rows: list[tuple[int, str, str, str]]) -> None:
        cursor.executemany(
            f"INSERT INTO {self.table} (article_id, document, body) VALUES (%s, "
            f"setweight(to_tsvector('{self.config}', %s), 'A') || "
            f"setweight(to_tsvector('{self.config}', %s), 'B') || "
            f"setweight(to_tsvector('{self.config}', %s), 'C'), %s) "
            "ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document, "
            "body = EXCLUDED.body",
            [
                (pk, title, standfirst, body, body)
                for pk, title, standfirst, body in rows
            ],
        )

    def remove(self, cursor, ids: list[int]) -> None:
        cursor.execute(f"DELETE FROM {self.table} WHERE article_id = ANY(%s)", [ids])

    def clear(self, cursor) -> None:
        cursor.execute(f"TRUNCATE {self.table}")

    def search(
        self, query: Query, *, now: datetime, section_id: int | None, offset: int,
        limit: int,
    ) -> tuple[int, list[Hit]]:  # fmt: skip
        public, params = public_conditions(now, section_id)
        tsquery = f"websearch_to_tsquery('{self.config}', %s)"
        base = (
            f"FROM {self.table} d JOIN content_article a ON a.id = d.article_id "
            f"WHERE d.document @@ {tsquery} AND {public}"
        )
        expression = self.expression(query)
        score = f"ts_rank_cd(d.document, {tsquery}) * " + RECENCY.format(
            age_days="(EXTRACT(EPOCH FROM (%s - a.publish_at)) / 86400.0)"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {base}", [expression, *params])
            total = cursor.fetchone()[0]
            if not total:
                return 0, []
            # Headlines only for the page's rows: ts_headline is the costly part.
            cursor.execute(
                f"SELECT top.article_id, top.score, ts_headline('{self.config}', "
                f"top.body, {tsquery}, %s) FROM (SELECT d.article_id, d.body, "
                f"a.publish_at, {score} AS score {base} "
                "ORDER BY score DESC, a.publish_at DESC LIMIT %s OFFSET %s) top "
                "ORDER BY top.score DESC, top.publish_at DESC",
                [
                    expression,
                    f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=35, '
                    "MinWords=15, MaxFragments=1",
                    expression, params[1], expression, *params, limit, offset,
                ],
            )  # fmt: skip
            hits = [Hit(pk, score, highlight(raw)) for pk, score, raw in cursor]
        return total, hits


def get_backend() -> SqliteBackend | PostgresBackend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise NotImplementedError(f"No search backend for {connection.vendor}")
