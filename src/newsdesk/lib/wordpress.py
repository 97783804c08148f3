"""WordPress post content to plain HTML: blocks, shortcodes and `wpautop`.

Django-free text functions used by the WordPress importer. The result still goes
through the site's HTML allowlist (`newsdesk.lib.markup.clean_html`).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# Gutenberg stores blocks as HTML comments: <!-- wp:paragraph {"x":1} --> ... <!--
# /wp:paragraph -->, or self-closing <!-- wp:latest-posts /-->.
_BLOCK_COMMENT = re.compile(
    r"<!--\s+/?wp:[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?.*?-->", re.S
)


def has_blocks(content: str) -> bool:
    """Tell whether the content was written in the block editor."""
    return "<!-- wp:" in content


def remove_block_comments(content: str) -> str:
    """Remove the block editor's comment delimiters, keeping the blocks' HTML."""
    return _BLOCK_COMMENT.sub("", content)


# --- wpautop: a port of WordPress's wp-includes/formatting.php wpautop() ---------

_ALLBLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li"
    r"|pre|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section"
    r"|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
_TAG = re.compile(r"<[^>]*>")


def _sub(pattern: str, replacement, text: str, flags: int = 0) -> str:
    compiled = _COMPILED.get((pattern, flags))
    if compiled is None:
        compiled = _COMPILED[pattern, flags] = re.compile(pattern, flags)
    return compiled.sub(replacement, text)


_COMPILED: dict[tuple[str, int], re.Pattern] = {}


def _newlines_in_tags(text: str) -> str:
    return _TAG.sub(lambda m: m.group(0).replace("\n", " <!-- wpnl --> "), text)


def wpautop(text: str, br: bool = True) -> str:
    """Turn double line breaks into paragraphs and single ones into <br />, as
    WordPress does for classic-editor posts."""
    if not text.strip():
        return ""
    text += "\n"
    pre_tags: dict[str, str] = {}
    if "<pre" in text:
        parts = text.split("</pre>")
        last = parts.pop()
        text = ""
        for number, part in enumerate(parts):
            start = part.find("<pre")
            if start == -1:
                text += part
                continue
            name = f"<pre wp-pre-tag-{number}></pre>"
            pre_tags[name] = part[start:] + "</pre>"
            text += part[:start] + name
        text += last
    text = _sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text)
    text = _sub(r"(<" + _ALLBLOCKS + r"[\s/>])", r"\n\n\1", text)
    text = _sub(r"(</" + _ALLBLOCKS + r">)", r"\1\n\n", text)
    text = _sub(r"(<hr\s*?/?>)", r"\1\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _newlines_in_tags(text)
    if "<option" in text:
        text = _sub(r"\s*<option", "<option", text)
        text = _sub(r"</option>\s*", "</option>", text)
    if "</object>" in text:
        text = _sub(r"(<object[^>]*>)\s*", r"\1", text)
        text = _sub(r"\s*</object>", "</object>", text)
        text = _sub(r"\s*(</?(?:param|embed)[^>]*>)\s*", r"\1", text)
    if "<source" in text or "<track" in text:
        text = _sub(r"([<\[](?:audio|video)[^>\]]*[>\]])\s*", r"\1", text)
        text = _sub(r"\s*([<\[]/(?:audio|video)[>\]])", r"\1", text)
        text = _sub(r"\s*(<(?:source|track)[^>]*>)\s*", r"\1", text)
    if "<figcaption" in text:
        text = _sub(r"\s*(<figcaption[^>]*>)", r"\1", text)
        text = _sub(r"</figcaption>\s*", "</figcaption>", text)
    text = _sub(r"\n\n+", "\n\n", text)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p]
    text = "".join("<p>" + p.strip("\n") + "</p>\n" for p in paragraphs)
    text = _sub(r"<p>\s*</p>", "", text)
    text = _sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = _sub(r"<p>\s*(</?" + _ALLBLOCKS + r"[^>]*>)\s*</p>", r"\1", text)
    text = _sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = _sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.I)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = _sub(r"<p>\s*(</?" + _ALLBLOCKS + r"[^>]*>)", r"\1", text)
    text = _sub(r"(</?" + _ALLBLOCKS + r"[^>]*>)\s*</p>", r"\1", text)
    if br:
        text = _sub(
            r"<(script|style|svg|math).*?</\1>",
            lambda m: m.group(0).replace("\n", "<WPPreserveNewline />"),
            text,
            flags=re.S,
        )
        text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
        text = _sub(r"(?<!<br />)\s*\n", "<br />\n", text)
        text = text.replace("<WPPreserveNewline />", "\n")
    text = _sub(r"(</?" + _ALLBLOCKS + r"[^>]*>)\s*<br />", r"\1", text)
    text = _sub(
        r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text
    )
    text = _sub(r"\n</p>$", "</p>", text)
    for name, block in pre_tags.items():
        text = text.replace(name, block)
    if "<!-- wpnl -->" in text:
        text = text.replace(" <!-- wpnl --> ", "\n").replace("<!-- wpnl -->", "\n")
    return text


# --- Shortcodes -----------------------------------------------------------------

_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)"""
)
_CAPTION = re.compile(
    r"\[(caption|wp_caption)(?P<attrs>[^\]]*)\](?P<inner>.*?)\[/\1\]", re.S | re.I
)
_GALLERY = re.compile(r"\[gallery(?P<attrs>[^\]]*)\]", re.I)
# Any other shortcode's opening tag: [name], [name attr="x"], [name /].
_SHORTCODE = re.compile(r"\[([a-zA-Z][\w-]*)(?:\s[^\]\[]*)?/?\]")
_LEADING_MEDIA = re.compile(
    r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S
)


@dataclass(frozen=True)
class Image:
    url: str
    alt: str = ""


def attributes(text: str) -> dict[str, str]:
    """Return a shortcode's attributes."""
    found = {}
    for match in _ATTRIBUTE.finditer(text):
        name = match.group(1) or match.group(3) or match.group(5)
        value = match.group(2) if match.group(1) else match.group(4) or match.group(6)
        found[name.lower()] = value or ""
    return found


def _caption(match: re.Match) -> str:
    attrs = attributes(match.group("attrs"))
    inner = match.group("inner")
    media = _LEADING_MEDIA.match(inner)
    if media:
        image, caption = media.group(1), media.group(2).strip()
    else:
        image, caption = inner, ""
    caption = caption or attrs.get("caption", "")
    figcaption = f"<figcaption>{caption}</figcaption>" if caption.strip() else ""
    return f"<figure>{image.strip()}{figcaption}</figure>"


def convert_shortcodes(
    content: str, gallery: Callable[[Sequence[int] | None], list[Image]]
) -> tuple[str, Counter]:
    """Convert [caption] and [gallery]; count the shortcodes left as text.

    `gallery` returns the images of a gallery: of the given attachment ids, or of
    the post's own attachments when the shortcode names none.
    """
    content = _CAPTION.sub(_caption, content)

    def _gallery(match: re.Match) -> str:
        attrs = attributes(match.group("attrs"))
        ids = [int(i) for i in re.findall(r"\d+", attrs.get("ids", ""))] or None
        images = gallery(ids)
        if not images:
            return ""
        tags = "".join(
            f'<img src="{html.escape(i.url)}" alt="{html.escape(i.alt)}">'
            for i in images
        )
        return f"<figure>{tags}</figure>"

    content = _GALLERY.sub(_gallery, content)
    unknown = Counter(match.group(1).lower() for match in _SHORTCODE.finditer(content))
    return content, unknown


def to_html(
    content: str,
    gallery: Callable[[Sequence[int] | None], list[Image]] = lambda ids: [],
) -> tuple[str, Counter]:
    """Return a post's content as HTML (not yet sanitized) and the shortcodes kept."""
    blocks = has_blocks(content)
    if blocks:
        content = remove_block_comments(content)
    content, unknown = convert_shortcodes(content, gallery)
    if not blocks:
        content = wpautop(content)
    return content, unknown
