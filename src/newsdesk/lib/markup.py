"""The HTML allowlist for article bodies, and HTML-to-text for excerpts."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "h2", "h3", "h4", "ol", "ul", "li", "blockquote", "a",
        "strong", "em", "b", "i", "u", "s", "sub", "sup", "code", "pre", "hr",
        "figure", "figcaption", "img", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start", "type", "reversed"},
    "img": {"src", "alt", "width", "height", "loading"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    link_rel="noopener noreferrer",
    strip_comments=True,
)
_EMPTY = re.compile(r"^(\s|<p>\s*(<br>)?\s*</p>)*$")


def clean_html(value: str) -> str:
    """Return the HTML with everything outside the allowlist removed."""
    cleaned = _cleaner.clean(value or "").strip()
    return "" if _EMPTY.match(cleaned) else cleaned


_BLOCKS = frozenset(
    {"p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "div",
     "figcaption", "tr", "td", "th", "pre", "hr", "ol", "ul", "section"}
)  # fmt: skip


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("script", "style", "template"):
            self._skip += 1
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(value: str) -> str:
    """Return the readable text of an HTML fragment, blocks separated by spaces."""
    collector = _TextCollector()
    collector.feed(value or "")
    collector.close()
    return " ".join("".join(collector.parts).split())


__all__ = ["clean_html", "html_to_text"]
