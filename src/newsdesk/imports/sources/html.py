"""One article page from another site, extracted with trafilatura, as a draft."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

from newsdesk.content.models import Article
from newsdesk.imports.fetching import is_url, read
from newsdesk.imports.types import Entry, ImportRefused, Run, Source, Term
from newsdesk.lib.markup import html_to_text

MIN_WORDS = 20
# trafilatura walks the page's tree in Python, more slowly the bigger it is:
# caps far above a real article page (a busy news page has a few thousand tags).
MAX_PAGE_BYTES = 10 * 1024 * 1024
MAX_PAGE_TAGS = 50_000
#: Each page is a source of its own (named by its address or --source): one item.
KEY = "page"


class PageSource(Source):
    """One web page's article: title, date, author and body, as a draft."""

    name = "html"
    help = "One article page, as a draft."

    def __init__(self, *, section: Term) -> None:
        self.page_section = section

    @classmethod
    def add_arguments(cls, parser) -> None:
        parser.add_argument("location", help="the page's URL or a file")
        parser.add_argument(
            "--section", metavar="SLUG", default="news", help="(default: news)"
        )

    @classmethod
    def from_options(cls, options: dict) -> PageSource:
        return cls(section=Term.of(options["section"]))

    def entries(self, location: str, run: Run) -> Iterator[Entry]:
        # Loaded here, not with the module: trafilatura takes most of a second
        # and some 20 MB to load, and the command lists every source.
        import trafilatura
        from trafilatura.utils import decode_file

        data = read(location, policy=run.policy, max_bytes=MAX_PAGE_BYTES)
        if data.count(b"<") > MAX_PAGE_TAGS:
            raise ImportRefused(
                f"{location}: more than {MAX_PAGE_TAGS:,} tags, far more than an "
                "article page holds; not read"
            )
        # The page's own charset (header or <meta>), guessed when it has none.
        html = decode_file(data)
        url = location if is_url(location) else None
        body = trafilatura.extract(
            html,
            url=url,
            output_format="html",
            include_comments=False,
            include_tables=True,
            include_images=True,
            include_links=True,
            include_formatting=True,
            favor_precision=True,
        )
        # A page with no article still yields its menus: ask for a few sentences.
        if not body or len(html_to_text(body).split()) < MIN_WORDS:
            raise ImportRefused(f"{location}: found no article text in the page")
        meta = trafilatura.extract_metadata(html, default_url=url)
        title = " ".join((meta.title or "").split()) or "Untitled"
        publish_at = None
        if meta.date:
            try:
                publish_at = datetime.strptime(meta.date[:10], "%Y-%m-%d").replace(
                    tzinfo=UTC
                )
            except ValueError:
                run.report.warn(f"{location}: unreadable date “{meta.date}”")
        authors = [
            Term("", name.strip())
            for name in (meta.author or "").split(";")
            if name.strip()
        ]
        yield Entry(
            # Not the page's canonical link: a page may name any page's.
            key=KEY,
            title=title,
            body=_body(body, title),
            slug=title,
            standfirst=(meta.description or "").strip(),
            status=Article.Status.DRAFT,
            publish_at=publish_at,
            section=self.page_section,
            authors=authors,
            label=location,
        )


def _body(extracted: str, title: str) -> str:
    """Return the inner HTML of trafilatura's <html><body>…</body></html>, without
    the headline (the article shows its title itself)."""
    start = extracted.find("<body>")
    end = extracted.rfind("</body>")
    if start != -1 and end != -1:
        extracted = extracted[start + len("<body>") : end]
    return re.sub(r"<h1>\s*(.*?)\s*</h1>", _drop_title(title), extracted, count=1)


def _drop_title(title: str):
    def replace(match: re.Match) -> str:
        same = " ".join(match.group(1).split()) == title
        return "" if same else match.group(0)

    return replace
