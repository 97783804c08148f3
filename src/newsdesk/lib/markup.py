"""The HTML allowlist for article bodies, and HTML-to-text for excerpts."""

from __future__ import annotations

import re
from collections.abc import Callable
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
    # data-file: the media library's id of the image (django-prose-editor's
    # Figure extension writes it); images without one don't reach readers.
    "img": {"src", "alt", "width", "height", "data-file"},
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


class _ImageFinder(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lines = [0] + [m.end() for m in re.finditer("\n", html)]
        self.found: list[tuple[int, int, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "img":
            line, column = self.getpos()
            start = self.lines[line - 1] + column
            end = start + len(self.get_starttag_text() or "")
            self.found.append((start, end, {k: v or "" for k, v in attrs}))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)


def find_images(html: str) -> list[dict[str, str]]:
    """Return the attributes of every <img> in an HTML fragment, in order."""
    if "<img" not in (html or ""):
        return []
    finder = _ImageFinder(html)
    finder.feed(html)
    finder.close()
    return [attrs for _, _, attrs in finder.found]


def replace_images(html: str, replace: Callable[[dict[str, str]], str]) -> str:
    """Replace each <img> tag with what `replace(attributes)` returns ("" drops it)."""
    if "<img" not in (html or ""):
        return html or ""
    finder = _ImageFinder(html)
    finder.feed(html)
    finder.close()
    parts, position = [], 0
    for start, end, attrs in finder.found:
        parts += [html[position:start], replace(attrs)]
        position = end
    parts.append(html[position:])
    return "".join(parts)


__all__ = ["clean_html", "find_images", "html_to_text", "replace_images"]
