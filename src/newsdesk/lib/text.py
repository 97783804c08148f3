"""Plain-text helpers: excerpts cut at a word boundary."""

from __future__ import annotations

import re

_SPACE = re.compile(r"\s+")
# Punctuation that reads badly right before an ellipsis ("Manus AI,...").
_TRAILING = ".,;:-–—([{\"'“‘"


def truncate(text: str, *, words: int, chars: int = 0, ellipsis: str = "...") -> str:
    """Cut text after `words` words (and within `chars` characters), adding ellipsis.

    Text that already fits is returned whole, without an ellipsis. Text with no
    spaces (Chinese, Japanese) is cut at `chars` characters.
    """
    text = _SPACE.sub(" ", text).strip()
    parts = text.split(" ")
    cut = " ".join(parts[:words]) if words else text
    if chars and len(cut) > chars:
        head = cut[:chars]
        boundary = head.rfind(" ")
        cut = head[:boundary] if boundary > 0 else head
    if cut == text:
        return text
    return cut.rstrip(_TRAILING + " ") + ellipsis
