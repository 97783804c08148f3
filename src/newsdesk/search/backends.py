"""Full-text search engines behind one interface: SQLite FTS5 and PostgreSQL.

Each keeps its own index of published articles (title, standfirst, body text, and
the publish time and section, so ranking reads no article rows). It is kept in
step with the content by `newsdesk.search.indexing`. A query ranks the matching
articles whose publish time has come (on PostgreSQL the newest `CANDIDATES` of
them); the service then keeps only what `Article.objects.published()` returns, the
rule of what is public, so an article unpublished a moment ago is never shown.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from newsdesk.lib.searchquery import MARK_END, MARK_START, Query

# Title matches weigh most, then the standfirst, then the body; newer articles get
# up to half as much again, fading over about a month.
TITLE, STANDFIRST, BODY = 10.0, 4.0, 1.0
RECENCY = "(1.0 + 0.5 / (1.0 + {age_days} / 30.0))"
# Words found in a large part of the archive would otherwise have every match
# scored; a news search ranks among the newest matches instead.
CANDIDATES = 1000


@dataclass(frozen=True)
class Hit:
    article_id: int
    score: float
    snippet: str  # safe HTML: escaped text with <mark> around matched words


def highlight(raw: str) -> str:
    """Escape a snippet and turn the engine's markers into <mark> elements."""
    escaped = html.escape(raw.strip(), quote=False)
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


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

    def store(self, cursor, rows: list[tuple]) -> None:
        self.remove(cursor, [row[0] for row in rows])
        cursor.executemany(
            f"INSERT INTO {self.table} (rowid, title, standfirst, body) "
            "VALUES (%s, %s, %s, %s)",
            [row[:4] for row in rows],
        )
        cursor.executemany(
            "INSERT INTO search_meta (id, published, section) VALUES (%s, %s, %s)",
            [(pk, published.timestamp(), section)
             for pk, _, _, _, published, section in rows],
        )  # fmt: skip

    def remove(self, cursor, ids: list[int]) -> None:
        for table, column in ((self.table, "rowid"), ("search_meta", "id")):
            cursor.executemany(
                f"DELETE FROM {table} WHERE {column} = %s", [(pk,) for pk in ids]
            )

    def clear(self, cursor) -> None:
        cursor.execute(f"DELETE FROM {self.table}")
        cursor.execute("DELETE FROM search_meta")

    def search(
        self, query: Query, *, now: datetime, section_id: int | None, offset: int,
        limit: int,
    ) -> tuple[int, list[Hit]]:  # fmt: skip
        match = self.expression(query)
        matches = (
            f"FROM {self.table} f JOIN search_meta m ON m.id = f.rowid "
            f"WHERE {self.table} MATCH %s AND m.published <= %s"
        )
        params: list = [match, now.timestamp()]
        if section_id is not None:
            matches += " AND m.section = %s"
            params.append(section_id)
        score = f"-bm25({self.table}, {TITLE}, {STANDFIRST}, {BODY}) * " + (
            RECENCY.format(age_days="((%s - m.published) / 86400.0)")
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {matches}", params)
            total = cursor.fetchone()[0]
            if not total:
                return 0, []
            # FTS5 scores every match quickly (from the index, not the text), so
            # SQLite ranks them all; only PostgreSQL needs the candidate limit.
            cursor.execute(
                f"SELECT f.rowid, {score} AS score {matches} "
                "ORDER BY score DESC, m.published DESC LIMIT %s OFFSET %s",
                [now.timestamp(), *params, limit, offset],
            )
            ranked = cursor.fetchall()
            if not ranked:
                return total, []
            # Snippets for the page's rows only: they are the costly part.
            marks = ", ".join(["%s"] * len(ranked))
            cursor.execute(
                f"SELECT rowid, snippet({self.table}, -1, %s, %s, '…', 28) "
                f"FROM {self.table} WHERE {self.table} MATCH %s AND rowid IN ({marks})",
                [MARK_START, MARK_END, match, *[pk for pk, _ in ranked]],
            )
            snippets = dict(cursor.fetchall())
        return total, [Hit(pk, s, highlight(snippets.get(pk, ""))) for pk, s in ranked]


class PostgresBackend:
    table = "search_document"
    config = "english"

    @staticmethod
    def expression(query: Query) -> str:
        # websearch_to_tsquery's own syntax, rebuilt from plain words only.
        parts = [f'"{" ".join(phrase)}"' for phrase in query.phrases]
        parts += [f'-"{" ".join(phrase)}"' for phrase in query.excluded]
        return " ".join(parts)

    def store(self, cursor, rows: list[tuple]) -> None:
        cursor.executemany(
            f"INSERT INTO {self.table} (article_id, document, body, published, "
            f"section) VALUES (%s, setweight(to_tsvector('{self.config}', %s), 'A') || "
            f"setweight(to_tsvector('{self.config}', %s), 'B') || "
            f"setweight(to_tsvector('{self.config}', %s), 'C'), %s, %s, %s) "
            "ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document, "
            "body = EXCLUDED.body, published = EXCLUDED.published, "
            "section = EXCLUDED.section",
            [(pk, t, s, b, b, published, section)
             for pk, t, s, b, published, section in rows],
        )  # fmt: skip

    def remove(self, cursor, ids: list[int]) -> None:
        cursor.execute(f"DELETE FROM {self.table} WHERE article_id = ANY(%s)", [ids])

    def clear(self, cursor) -> None:
        cursor.execute(f"TRUNCATE {self.table}")

    def search(
        self, query: Query, *, now: datetime, section_id: int | None, offset: int,
        limit: int,
    ) -> tuple[int, list[Hit]]:  # fmt: skip
        tsquery = f"websearch_to_tsquery('{self.config}', %s)"
        expression = self.expression(query)
        where = f"d.document @@ {tsquery} AND d.published <= %s"
        params: list = [expression, now]
        if section_id is not None:
            where += " AND d.section = %s"
            params.append(section_id)
        score = f"ts_rank_cd(d.document, {tsquery}) * " + RECENCY.format(
            age_days="(EXTRACT(EPOCH FROM (%s - d.published)) / 86400.0)"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {self.table} d WHERE {where}", params)
            total = cursor.fetchone()[0]
            if not total:
                return 0, []
            cursor.execute(
                f"SELECT d.article_id, {score} AS score FROM (SELECT * FROM "
                f"{self.table} d WHERE {where} ORDER BY d.published DESC "
                f"LIMIT {CANDIDATES}) d ORDER BY score DESC, d.published DESC "
                "LIMIT %s OFFSET %s",
                [expression, now, *params, limit, offset],
            )
            ranked = cursor.fetchall()
            # Headlines for the page's rows only: ts_headline is the costly part.
            cursor.execute(
                f"SELECT d.article_id, ts_headline('{self.config}', d.body, "
                f"{tsquery}, %s) FROM {self.table} d WHERE d.article_id = ANY(%s)",
                [
                    expression,
                    f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=35, '
                    "MinWords=15, MaxFragments=1",
                    [pk for pk, _ in ranked],
                ],
            )
            snippets = dict(cursor.fetchall())
        return total, [Hit(pk, s, highlight(snippets.get(pk, ""))) for pk, s in ranked]


def get_backend() -> SqliteBackend | PostgresBackend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise NotImplementedError(f"No search backend for {connection.vendor}")
