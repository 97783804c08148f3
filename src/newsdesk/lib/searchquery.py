"""Reading what a reader typed into a search box, safely, for any search engine.

The result holds only words (letters and digits): no operator, quote or bracket
of the engine's syntax survives, so no query can break the engine's parser.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_LENGTH = 256
MAX_PARTS = 16
# Chinese, Japanese and Korean are written without spaces between words: each
# character is indexed as a word, and a run of them is searched as a phrase.
CJK = re.compile(
    "([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\U00020000-\U0002fa1f])"
)
TOKENS = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
WORD = re.compile(r"\w+")
# Private-use characters mark highlights in snippets; they must not come from text.
MARK_START, MARK_END = "\ue000", "\ue001"


@dataclass(frozen=True)
class Query:
    """Words and phrases every result must have, and words none may have."""

    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[tuple[str, ...], ...] = ()

    @property
    def empty(self) -> bool:
        return not self.phrases

    @property
    def words(self) -> list[str]:
        return [word for phrase in self.phrases for word in phrase]


def spaced(text: str) -> str:
    """Put spaces around CJK characters, so each is a word to a search engine."""
    return CJK.sub(r" \1 ", text).replace(MARK_START, "").replace(MARK_END, "")


def _clean(raw: str) -> str:
    # Control and format characters (NUL, bidi overrides) become spaces.
    return "".join(
        " " if unicodedata.category(char).startswith("C") else char for char in raw
    )


def parse(raw: str) -> Query:
    """Read a query: words, "quoted phrases", and -excluded words or phrases."""
    text = _clean(raw or "")[:MAX_LENGTH]
    phrases: list[tuple[str, ...]] = []
    excluded: list[tuple[str, ...]] = []
    for match in TOKENS.finditer(text):
        negative = bool(match.group(1) or match.group(3))
        quoted = match.group(2) is not None
        chunk = match.group(2) if quoted else match.group(4)
        words = WORD.findall(spaced(chunk).casefold())
        if not words:
            continue
        # Unquoted words are separate requirements; CJK runs stay phrases.
        groups = [tuple(words)] if quoted else _unquoted_groups(chunk)
        (excluded if negative else phrases).extend(groups)
    return Query(tuple(phrases[:MAX_PARTS]), tuple(excluded[:MAX_PARTS]))


def _unquoted_groups(chunk: str) -> list[tuple[str, ...]]:
    groups = []
    for word in WORD.findall(chunk.casefold()):
        parts = WORD.findall(spaced(word))
        groups.append(tuple(parts))
    return groups
