"""What sources and the importer say to each other: entries, terms, media, reports.

A source (`Source`, one module each under `imports/sources/`) reads a location
and yields an `Entry` per article; it names sections, tags and authors as
`Term`s and the images it knows of as `Media`. The importer
(`imports/importer.py`) writes them, and hands the source a `Run` for what
belongs to no one entry: the report, terms declared on their own, images that
belong to no article, and the address policy for fetching.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from array import array
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any, ClassVar, Protocol

from newsdesk.content.models import Article
from newsdesk.imports.models import ImportedMedia


class ImportRefused(Exception):
    """The source can't be imported; nothing was changed."""


@dataclass(frozen=True)
class Term:
    """A section, tag or author as the source names it."""

    slug: str
    name: str
    description: str = ""

    @classmethod
    def of(cls, slug: str) -> Term:
        """Return the term for a slug given on the command line, named after it."""
        return cls(slug, slug.replace("-", " ").title())


@dataclass(frozen=True)
class Media:
    """An image of the source, by its original address: an entry's, or on its own."""

    key: str
    url: str
    alt: str = ""
    role: str = ImportedMedia.Role.FEATURED


@dataclass
class Entry:
    """One article as a source describes it."""

    key: str
    title: str
    body: str
    guid: str = ""
    slug: str = ""
    standfirst: str = ""
    status: str = Article.Status.DRAFT
    publish_at: datetime | None = None
    # When the source last changed it: the article's last update, once imported.
    modified_at: datetime | None = None
    seo_title: str = ""
    seo_description: str = ""
    section: Term | None = None
    tags: list[Term] = field(default_factory=list)
    authors: list[Term] = field(default_factory=list)
    old_urls: list[str] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    label: str = ""
    _digest: str = field(default="", repr=False, compare=False)

    def digest(self) -> str:
        """Return a fingerprint of everything imported from the entry."""
        if self._digest:
            return self._digest
        data = [
            self.title, self.body, self.slug, self.standfirst, self.status,
            self.publish_at.isoformat() if self.publish_at else None,
            self.section and self.section.slug,
            [t.slug for t in self.tags], [a.slug for a in self.authors],
            sorted(self.old_urls), [(m.url, m.alt) for m in self.media],
        ]  # fmt: skip
        if self.seo_title or self.seo_description:
            # Only when set: earlier imports' fingerprints stay as they were.
            data.append([self.seo_title, self.seo_description])
        self._digest = hashlib.sha256(json.dumps(data).encode()).hexdigest()
        return self._digest


@dataclass
class Report:
    """What an import did: counts, skipped items by reason, warnings."""

    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    shortcodes: Counter = field(default_factory=Counter)
    created: Counter = field(default_factory=Counter)
    read: int = 0
    done: float | None = None  # Share of the source read, when known.
    article_ids: array = field(default_factory=lambda: array("q"))
    source: str = ""  # The source's name, for the next run's --source.
    source_id: int | None = None  # Its ImportSource, for the downloads after.
    new_source: bool = False
    # The bodies with images as the source gave them, before the library kept
    # only its own: JSON lines of [article id, body], when downloads were asked.
    bodies: IO[str] | None = field(default=None, repr=False)

    def skip(
        self, reason: str, label: str = "", *, warn: bool = False, count: int = 1
    ) -> None:
        self.skipped[reason] += count
        if warn:
            self.warn(f"{label}: skipped, {reason}" if label else reason)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def lines(self, max_warnings: int = 50) -> list[str]:
        """Return the report as text lines for a person."""
        out = []
        if self.source:
            out.append(f"Source: {self.source}" + (" (new)" if self.new_source else ""))
        out += [
            f"Imported: {self.imported}",
            f"Updated: {self.updated}",
            f"Unchanged: {self.unchanged}",
        ]
        made = ", ".join(f"{n} {what}" for what, n in sorted(self.created.items()))
        if made:
            out.append(f"Created: {made}")
        out.append(f"Skipped: {sum(self.skipped.values())}")
        out += [f"  {reason}: {n}" for reason, n in sorted(self.skipped.items())]
        if self.shortcodes:
            kept = ", ".join(f"[{n}] ×{c}" for n, c in self.shortcodes.most_common())
            out.append(f"Shortcodes kept as text: {kept}")
        out.append(f"Warnings: {len(self.warnings)}")
        out += [f"  {w}" for w in self.warnings[:max_warnings]]
        if len(self.warnings) > max_warnings:
            out.append(f"  … and {len(self.warnings) - max_warnings} more")
        return out


class Run(Protocol):
    """What the importer offers a source while it reads."""

    report: Report
    #: Says whether a resolved address (and port) may be fetched from
    #: (`fetching.AddressPolicy`): for what the source itself downloads.
    policy: Callable[[Any, int], bool]

    def declare(self, kind: str, term: Term) -> None:
        """Make sure a section, tag or author exists, even if no article names it."""

    def keep(self, media: Media) -> None:
        """Record an image of the source that is no one article's (an attachment)."""


class Source(ABC):
    """A kind of source: reads a location, yields an `Entry` per article.

    One object reads one location (the command makes one per run, from its
    options), so it may keep what it learns as it reads. Subclasses set `name`
    and `help`, implement `entries()`, and, for options of their own,
    `add_arguments()` and `from_options()`. Record what is left
    out with `run.report.skip()` and problems with `run.report.warn()`; raise
    ImportRefused when the source as a whole can't be read, and everything is
    rolled back.
    """

    #: The command's word for it (`newsdesk import NAME`), stored as the
    #: ImportSource's kind: keys are unique within one source of one kind.
    name: ClassVar[str]
    #: One line for the command's help.
    help: ClassVar[str]
    #: Whether its entries name images that --download-media can fetch.
    has_media: ClassVar[bool] = False

    #: The section of entries that name none.
    default_section: Term = Term("uncategorized", "Uncategorized")
    #: The site the location says it is of, once read (a WordPress export's
    #: <link>): a new source whose site another source holds is refused.
    site: str = ""

    @classmethod
    def add_arguments(cls, parser) -> None:
        """Add the command's arguments: the location, then this source's options."""
        parser.add_argument("location", help="a URL or a file")

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> Source:
        """Return the source for the command's options."""
        return cls()

    @abstractmethod
    def entries(self, location: str, run: Run) -> Iterator[Entry]:
        """Read the source at `location`; yield an Entry for each article in it."""
