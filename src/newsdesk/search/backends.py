"""Full-text search engines behind one interface: SQLite FTS5 and PostgreSQL.

Each keeps its own index of published articles (title, standfirst, body text, and
the publish time and section, so ranking reads no article rows). It is kept in
step with the content by `newsdesk.search.indexing`. A query finds the newest
`CANDIDATES` matches whose publish time has come and ranks those; the service then
keeps only what `Article.objects.published()` returns, the rule of what is public,
so an article unpublished a moment ago is never shown.

Why the newest matches only: a common word is in most of the archive, and scoring
or even counting every match grows with the archive, while a reader pages through
at most `CANDIDATES` results (50 pages of 20). Fewer matches than that are all
ranked and counted exactly; more are reported as "more than" (`Found.capped`).
Both engines find the newest matches without visiting the others: SQLite keys its
index by publish time, so FTS5 walks a word's matches newest first and stops;
PostgreSQL files each article under its publish week, a word in the GIN index like
any other, and asks for this week's matches, then the week before's, until it has
enough; a rarer word's few matches it fetches all at once.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection

from newsdesk.lib.searchquery import MARK_END, MARK_START, Query

# Title matches weigh most, then the standfirst, then the body; newer articles get
# up to half as much again, fading over about a month.
TITLE, STANDFIRST, BODY = 10.0, 4.0, 1.0
RECENCY = "(1.0 + 0.5 / (1.0 + {age_days} / 30.0))"


def recency(age_days: float) -> float:
    """RECENCY, in Python."""
    return 1.0 + 0.5 / (1.0 + age_days / 30.0)


# How many of the newest matches are ranked (and counted exactly).
CANDIDATES = 1000


@dataclass(frozen=True)
class Hit:
    article_id: int
    score: float
    snippet: str  # safe HTML: escaped text with <mark> around matched words


@dataclass(frozen=True)
class Found:
    total: int  # matches; with `capped`, a lower bound
    hits: list[Hit] = field(default_factory=list)
    capped: bool = False  # there are more than `total` matches


def highlight(raw: str) -> str:
    """Escape a snippet and turn the engine's markers into <mark> elements."""
    escaped = html.escape(raw.strip(), quote=False)
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def sqlite_key(article_id: int, published: datetime) -> int:
    """The FTS5 rowid of an article: its publish minute, then its id."""
    return (int(published.timestamp() // 60) << 32) | article_id


def week(moment: datetime) -> int:
    """Weeks since 1970, the PostgreSQL index's unit of publish time."""
    return int(moment.timestamp() // WEEK)


WEEK = 7 * 24 * 3600
# A lexeme no query can produce: the parser keeps letters and digits only.
WEEK_LEXEME = "~w{}"
# Weeks looked at one by one (then everything older at once), at most.
WEEKS = 12


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
            [(sqlite_key(pk, published), t, s, b)
             for pk, t, s, b, published, _ in rows],
        )  # fmt: skip
        cursor.executemany(
            "INSERT INTO search_meta (doc, article, published, section) "
            "VALUES (%s, %s, %s, %s)",
            [(sqlite_key(pk, published), pk, published.timestamp(), section)
             for pk, _, _, _, published, section in rows],
        )  # fmt: skip

    def remove(self, cursor, ids: list[int]) -> None:
        params = [(pk,) for pk in ids]
        cursor.executemany(
            f"DELETE FROM {self.table} WHERE rowid = "
            "(SELECT doc FROM search_meta WHERE article = %s)",
            params,
        )
        cursor.executemany("DELETE FROM search_meta WHERE article = %s", params)

    def clear(self, cursor) -> None:
        cursor.execute(f"DELETE FROM {self.table}")
        cursor.execute("DELETE FROM search_meta")

    @staticmethod
    def scoring(query: Query) -> str:
        """The query's words, each on its own: what results are scored by."""
        words = dict.fromkeys(word for phrase in query.phrases for word in phrase)
        return " AND ".join('"' + word.replace('"', '""') + '"' for word in words)

    def search(
        self, query: Query, *, now: datetime, section_id: int | None, offset: int,
        limit: int,
    ) -> Found:  # fmt: skip
        match = self.expression(query)
        # Rowids start with the publish minute: FTS5 reads the matches newest first
        # and stops at the limit, however many there are (one more than is
        # ranked, to know whether there are more). bm25 comes in the same pass,
        # unless there is a phrase: bm25 weighs a phrase by how many rows in the
        # whole index have it, which FTS5 finds out by checking every row with
        # its words. Such queries are scored by their words, in a second pass.
        phrased = any(len(phrase) > 1 for phrase in query.phrases)
        bm25 = f"bm25({self.table}, {TITLE}, {STANDFIRST}, {BODY})"
        newest = (
            f"SELECT f.rowid, m.article, m.published, {'0' if phrased else bm25} "
            f"FROM {self.table} f JOIN search_meta m ON m.doc = f.rowid "
            f"WHERE {self.table} MATCH %s AND f.rowid < %s AND m.published <= %s"
        )
        params: list = [match, (int(now.timestamp() // 60) + 1) << 32, now.timestamp()]
        if section_id is not None:
            newest += " AND m.section = %s"
            params.append(section_id)
        newest += f" ORDER BY f.rowid DESC LIMIT {CANDIDATES + 1}"
        with connection.cursor() as cursor:
            cursor.execute(newest, params)
            found = cursor.fetchall()
            capped, found = len(found) > CANDIDATES, found[:CANDIDATES]
            if not found:
                return Found(0)
            scores = {doc: score for doc, _, _, score in found}
            if phrased:
                scores = self._word_scores(cursor, query, [doc for doc, *_ in found])
            moment = now.timestamp()
            ranked = sorted(
                (
                    (
                        -scores.get(doc, 0.0) * recency((moment - published) / 86400),
                        published,
                        doc,
                        pk,
                    )
                    for doc, pk, published, _ in found
                ),
                reverse=True,
            )[offset : offset + limit]
            # Snippets for the page's rows only: they are the costly part.
            snippets = {}
            if ranked:
                cursor.execute(
                    f"SELECT rowid, snippet({self.table}, -1, %s, %s, '…', 28) "
                    f"FROM {self.table} WHERE {self.table} MATCH %s "
                    "AND rowid IN (SELECT value FROM json_each(%s))",
                    [MARK_START, MARK_END, match, json.dumps([r[2] for r in ranked])],
                )
                snippets = dict(cursor.fetchall())
        hits = [
            Hit(pk, score, highlight(snippets.get(doc, "")))
            for score, _, doc, pk in ranked
        ]
        return Found(len(found), hits, capped=capped)

    def _word_scores(self, cursor, query: Query, docs: list[int]) -> dict[int, float]:
        """bm25 of these rows (the newest matches) for the query's words."""
        # The newest matches lie in one range of rowids: FTS5 walks it once, and
        # bm25 is worked out for the candidates only (`+rowid` keeps the list
        # from becoming one lookup per candidate, each weighing the words afresh).
        cursor.execute(
            f"SELECT rowid, bm25({self.table}, {TITLE}, {STANDFIRST}, {BODY}) "
            f"FROM {self.table} WHERE {self.table} MATCH %s "
            "AND rowid BETWEEN %s AND %s "
            "AND +rowid IN (SELECT value FROM json_each(%s))",
            [self.scoring(query), min(docs), max(docs), json.dumps(docs)],
        )
        return dict(cursor.fetchall())


class PostgresBackend:
    table = "search_document"
    config = "english"
    # Headlines come from the start of the body: parsing whole bodies was the
    # costliest part of a page. A result matched only further down (or only in
    # its title) shows its opening words, unmarked.
    HEADLINE_FROM = 2000
    HEADLINE = (
        f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=35, MinWords=15, '
        "MaxFragments=1"
    )

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
            f"setweight(to_tsvector('{self.config}', %s), 'C') || "
            "array_to_tsvector(ARRAY[%s]), %s, %s, %s) "
            "ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document, "
            "body = EXCLUDED.body, published = EXCLUDED.published, "
            "section = EXCLUDED.section",
            [(pk, t, s, b, WEEK_LEXEME.format(week(published)), b, published, section)
             for pk, t, s, b, published, section in rows],
        )  # fmt: skip

    def remove(self, cursor, ids: list[int]) -> None:
        cursor.execute(f"DELETE FROM {self.table} WHERE article_id = ANY(%s)", [ids])

    def clear(self, cursor) -> None:
        cursor.execute(f"TRUNCATE {self.table}")

    def search(
        self, query: Query, *, now: datetime, section_id: int | None, offset: int,
        limit: int,
    ) -> Found:  # fmt: skip
        parse = f"websearch_to_tsquery('{self.config}', %s)::text"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {parse}, {parse}, {parse}",
                [
                    self.expression(query),
                    self.expression(Query(query.phrases)),
                    " or ".join(f'"{" ".join(phrase)}"' for phrase in query.excluded),
                ],
            )
            tsquery, wanted, unwanted = cursor.fetchone()
            if not wanted:  # only stop words: PostgreSQL matches nothing
                return Found(0)
            found = self._newest(cursor, wanted, now, section_id)
            # One more than is ranked was looked for, to know whether there are more.
            capped, found = len(found) > CANDIDATES, found[:CANDIDATES]
            if not found:
                return Found(0)
            # Minus words are checked on the candidates, as they are ranked: in
            # the index a "not" makes GIN read the unwanted words' lists in full.
            # What is left is then what the newest matches of the wanted words
            # leave, and with `capped` a lower bound.
            keep = " AND d.document @@ %s::tsquery" if unwanted else ""
            score = "ts_rank_cd(d.document, %s::tsquery) * " + RECENCY.format(
                age_days="(EXTRACT(EPOCH FROM (%s - d.published)) / 86400.0)"
            )
            cursor.execute(
                f"SELECT d.article_id, {score} AS score, count(*) OVER () "
                f"FROM {self.table} d WHERE d.article_id = ANY(%s){keep} "
                "ORDER BY score DESC, d.published DESC LIMIT %s OFFSET %s",
                [tsquery, now, found, *([tsquery] if unwanted else []), limit, offset],
            )
            rows = cursor.fetchall()
            total = rows[0][2] if rows else len(found)
            if unwanted and not rows:  # a page past the last: count what is left
                cursor.execute(
                    f"SELECT count(*) FROM {self.table} d "
                    "WHERE d.article_id = ANY(%s) AND d.document @@ %s::tsquery",
                    [found, tsquery],
                )
                total = cursor.fetchone()[0]
            ranked = [(pk, score) for pk, score, _ in rows]
            snippets = self._headlines(cursor, tsquery, [pk for pk, _ in ranked])
        hits = [Hit(pk, s, highlight(snippets.get(pk, ""))) for pk, s in ranked]
        return Found(total, hits, capped=capped)

    def _newest(
        self, cursor, wanted: str, now: datetime, section_id: int | None
    ) -> list[int]:
        """Ids of the newest `CANDIDATES` + 1 matches, a week at a time."""
        where = "d.published <= %s"
        params: list = [now]
        if section_id is not None:
            where += " AND d.section = %s"
            params.append(section_id)
        found: list[int] = []

        def more(match: str, extra: list) -> None:
            cursor.execute(
                f"SELECT d.article_id FROM {self.table} d WHERE {match} AND {where} "
                f"ORDER BY d.published DESC LIMIT {CANDIDATES + 1 - len(found)}",
                [*extra, *params],
            )
            found.extend(pk for (pk,) in cursor.fetchall())

        latest = week(now)
        for weeks in range(1, WEEKS + 1):
            # Both lexemes are required, so the GIN index steps through the
            # week's short list and skips through the word's long one. (Several
            # weeks OR-ed together would make it read the word's list in full.)
            more(
                "d.document @@ (%s::tsquery && %s::tsquery)",
                [wanted, f"'{WEEK_LEXEME.format(latest - weeks + 1)}'"],
            )
            if len(found) > CANDIDATES:
                return found
            # Too few a week to fill the list soon (judged on whole weeks, not
            # this one, just begun): a rarer word, whose matches are few enough
            # to be fetched all at once.
            if weeks > 1 and len(found) * WEEKS / (weeks - 1) <= CANDIDATES:
                break
        start = datetime.fromtimestamp((latest - weeks + 1) * WEEK, tz=now.tzinfo)
        more("d.document @@ %s::tsquery AND d.published < %s", [wanted, start])
        return found

    def _headlines(self, cursor, tsquery: str, ids: list[int]) -> dict[int, str]:
        """Headlines for the page's rows only: ts_headline is the costly part."""
        if not ids:
            return {}
        cursor.execute(
            f"SELECT d.article_id, ts_headline('{self.config}', "
            f"left(d.body, {self.HEADLINE_FROM}), %s::tsquery, %s) "
            f"FROM {self.table} d WHERE d.article_id = ANY(%s)",
            [tsquery, self.HEADLINE, ids],
        )
        return dict(cursor.fetchall())


def get_backend() -> SqliteBackend | PostgresBackend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise NotImplementedError(f"No search backend for {connection.vendor}")
