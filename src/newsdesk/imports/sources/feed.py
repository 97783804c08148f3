"""RSS and Atom feeds, read with feedparser: each item an article."""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime

import feedparser
from django.utils.text import slugify

from newsdesk.content.models import Article
from newsdesk.imports.fetching import read
from newsdesk.imports.types import Entry, ImportRefused, Run, Source, Term
from newsdesk.lib.markup import html_to_text

# feedparser holds the whole feed and works through each tag in Python (some
# 50 µs and 300 bytes each, escaped HTML included): caps far above real feeds.
MAX_FEED_BYTES = 10 * 1024 * 1024
MAX_FEED_TAGS = 100_000


class FeedSource(Source):
    """The items of an RSS or Atom feed, as published articles."""

    name = "feed"
    help = "An RSS or Atom feed, by URL or file."

    def __init__(
        self, *, section: Term, status: str = Article.Status.PUBLISHED
    ) -> None:
        self.feed_section = section
        self.status = status

    @classmethod
    def add_arguments(cls, parser) -> None:
        parser.add_argument("location", help="the feed's URL or a file")
        parser.add_argument(
            "--section", metavar="SLUG", default="news", help="(default: news)"
        )

    @classmethod
    def from_options(cls, options: dict) -> FeedSource:
        return cls(section=Term.of(options["section"]))

    def entries(self, location: str, run: Run) -> Iterator[Entry]:
        self.report = run.report
        data = read(location, policy=run.policy, max_bytes=MAX_FEED_BYTES)
        if data.count(b"<") + data.count(b"&lt;") > MAX_FEED_TAGS:
            raise ImportRefused(
                f"{location}: more than {MAX_FEED_TAGS:,} tags, far more than a "
                "feed holds; not read"
            )
        # Not feedparser's sanitizer: it drops lazy-loading images' data-src,
        # and every body goes through the site's allowlist anyway (clean_html).
        parsed = feedparser.parse(data, sanitize_html=False)
        if parsed.bozo and not parsed.entries:
            raise ImportRefused(f"{location}: not a feed: {_problem(parsed)}")
        if parsed.bozo:
            self.report.warn(
                f"{location}: not well-formed ({_problem(parsed)}); read leniently"
            )
        for number, item in enumerate(parsed.entries, 1):
            entry = self._entry(item, number)
            if entry is not None:
                yield entry

    def _entry(self, item, number: int) -> Entry | None:
        title = " ".join(html_to_text(item.get("title", "")).split())
        link = item.get("link", "")
        guid = item.get("id", "") or link
        label = f"item {number}" + (f" (“{title[:60]}”)" if title else "")
        contents = item.get("content") or []
        body = contents[0].get("value", "") if contents else ""
        summary = item.get("summary", "")
        if not body:
            body, summary = summary, ""
        if not guid:
            if not (title or body):
                self.report.skip("no id, link, title or text", label, warn=True)
                return None
            guid = "sha1:" + hashlib.sha1(f"{title}\n{body}".encode()).hexdigest()
        if not title:
            title = "Untitled"
            self.report.warn(f"{label}: no title, imported as “Untitled”")
        moment = item.get("published_parsed") or item.get("updated_parsed")
        publish_at = (
            datetime.fromtimestamp(calendar.timegm(moment), UTC) if moment else None
        )
        if publish_at is None and self.status == Article.Status.PUBLISHED:
            self.report.warn(f"{label}: no date, published as of the import")
        names = [a.get("name", "") for a in item.get("authors", [])] or [
            item.get("author", "")
        ]
        return Entry(
            key=guid[:500],
            guid=guid[:500],
            title=title,
            body=body,
            slug=title,
            standfirst=html_to_text(summary),
            status=self.status,
            publish_at=publish_at,
            section=self.feed_section,
            tags=[
                Term(slugify(t.get("term", "")), t.get("term", "").strip())
                for t in item.get("tags", [])
                if slugify(t.get("term", ""))
            ],
            authors=[Term(slugify(n), n.strip()) for n in names if slugify(n)],
            label=label,
        )


def _problem(parsed) -> str:
    error = parsed.get("bozo_exception")
    line = getattr(error, "getLineNumber", lambda: None)()
    where = f"line {line}: " if line else ""
    return f"{where}{error}"
