"""The HTML allowlist for article bodies, and HTML-to-text for excerpts."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
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

# Lazy-loading markup (WordPress plugins, many feeds) keeps the real address in
# these and a placeholder, often a data: URL, in src. They pass the cleaner only
# to be read by _usable_image, which writes the address into src.
LAZY_SOURCES = ("data-src", "data-lazy-src")
LAZY_SRCSETS = ("data-srcset", "data-lazy-srcset")
_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()}
    | {"img": ALLOWED_ATTRIBUTES["img"] | set(LAZY_SOURCES) | set(LAZY_SRCSETS)},
    url_schemes=set(URL_SCHEMES),
    link_rel="noopener noreferrer",
    strip_comments=True,
)
_EMPTY = re.compile(r"^(\s|<p>\s*(<br>)?\s*</p>)*$")


def clean_html(value: str) -> str:
    """Return the HTML with everything outside the allowlist removed."""
    cleaned = replace_images(_cleaner.clean(value or "").strip(), _usable_image)
    cleaned = unwrap_empty_figures(cleaned)
    return "" if _EMPTY.match(cleaned) else cleaned


_FIGURE_TAG = re.compile(r"</?figure>")


def _flatten_figures(html: str) -> str:
    """Drop figure tags inside a figure: a figure holds one image and its caption.

    The cleaner keeps nesting as it came (`<figure><figure><img>...`), which the
    editor can't hold; nh3 writes `<figure>` bare, so the tags are plain to find.
    """
    parts, depth, position = [], 0, 0
    for tag in _FIGURE_TAG.finditer(html):
        closing = tag[0][1] == "/"
        keep = depth == (1 if closing else 0)
        depth = max(0, depth - 1) if closing else depth + 1
        parts.append(html[position : tag.start()] + (tag[0] if keep else ""))
        position = tag.end()
    parts.append(html[position:])
    return "".join(parts)


# A figure holding no image (once unusable images are dropped). Figures are
# flattened first, so the innermost <figure>...</figure> is the whole one.
_EMPTY_FIGURE = re.compile(
    r"<figure>((?:(?!<figure|</figure>|<img).)*)</figure>", re.DOTALL
)
_CAPTION = re.compile(r"</?figcaption>")


def unwrap_empty_figures(html: str) -> str:
    """Turn each figure without an image into its caption's text, as a paragraph.

    The editor can't hold a figure without an image (it would make up an empty
    one), and the caption's words are kept rather than lost.
    """
    if "<figure" not in html:
        return html
    html = _flatten_figures(html)
    unwrapped = _EMPTY_FIGURE.sub(
        lambda m: _CAPTION.sub(lambda t: "</p>" if t[0][1] == "/" else "<p>", m[1]),
        html,
    )
    # The cleaner again: a caption may have held blocks that a <p> can't.
    if unwrapped == html:
        return html
    return _cleaner.clean(unwrapped).strip().replace("<p></p>", "")


_WEB = re.compile(r"^https?://[^/\\\s]", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_WIDTH = re.compile(r"^(\d+(?:\.\d+)?)[wx]$", re.IGNORECASE)


def _largest(srcset: str) -> str:
    """Return the widest http(s) candidate of a srcset, or ""."""
    best, best_size = "", -1.0
    for candidate in re.split(r",\s+", srcset.strip()):
        url, _, descriptor = candidate.strip().partition(" ")
        size = _WIDTH.match(descriptor.strip())
        value = float(size.group(1)) if size else 0.0
        if _WEB.match(url) and value > best_size:
            best, best_size = url, value
    return best


def image_source(attrs: dict[str, str]) -> str:
    """Return the address an <img> shows, or "" if it has no usable one.

    A lazy-loading http(s) address wins over src (which then holds a
    placeholder). src may be http(s) or a path on this site; anything else
    (missing, data:, javascript:, mailto:) is not an image source.
    """
    for name in LAZY_SOURCES:
        if _WEB.match(url := attrs.get(name, "").strip()):
            return url
    for name in LAZY_SRCSETS:
        if url := _largest(attrs.get(name, "")):
            return url
    src = attrs.get("src", "").strip()
    # A browser reads a backslash after the first slash as a slash: `//host`.
    local = src.startswith("/") and src[1:2] not in ("/", "\\")
    if _WEB.match(src) or (local and not _SCHEME.match(src)):
        return src
    return ""


def _usable_image(attrs: dict[str, str]) -> str:
    src = image_source(attrs)
    if not src:
        return ""
    kept = [("src", src)] + [
        (name, attrs[name])
        for name in ("alt", "width", "height", "data-file")
        if name in attrs
    ]
    return "<img " + " ".join(f'{name}="{escape(value)}"' for name, value in kept) + ">"


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


__all__ = [
    "clean_html",
    "find_images",
    "html_to_text",
    "image_source",
    "replace_images",
    "unwrap_empty_figures",
]
