"""The shape every importer shares: sources yield entries, the base class writes.

A source module subclasses `Importer` and implements one method, `entries()`,
which reads its source and yields an `Entry` per article. Everything else is here,
once: matching earlier imports (a second run changes nothing), unique slugs,
sections, tags and authors, sanitizing, old addresses, the report, and doing all
of it in one transaction so that a refused source changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from newsdesk.content import revisions
from newsdesk.content.models import (
    RESERVED_SLUGS,
    Article,
    Author,
    Redirect,
    Revision,
    Section,
    Tag,
)
from newsdesk.content.signals import content_changed
from newsdesk.imports.models import (
    ImportedItem,
    ImportedMedia,
    ImportSource,
)
from newsdesk.lib.markup import clean_html

logger = logging.getLogger(__name__)

KINDS = {"section": (Section, 100), "tag": (Tag, 100), "author": (Author, 150)}
# Past this many changed articles, they are indexed for search in bulk instead of
# announced one by one.
SIGNAL_EACH_UP_TO = 500
MAX_SOURCE_NAME = 500


class ImportRefused(Exception):
    """The source can't be imported; nothing was changed."""


@dataclass(frozen=True)
class Term:
    """A section, tag or author as the source names it."""

    slug: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Media:
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
    new_source: bool = False

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


class Importer:
    """Import articles from one kind of source. Subclasses implement `entries()`."""

    #: The kind of source, ImportSource.Kind; keys are unique per source.
    kind = ""

    def __init__(
        self,
        *,
        default_section: Term = Term("uncategorized", "Uncategorized"),
        batch_size: int = 500,
        progress: Callable[[Report], None] = lambda report: None,
        download_media: bool = False,
        source: str | None = None,
        update_status: bool = False,
        update_section: bool = False,
        address_policy: Callable | None = None,
    ) -> None:
        from newsdesk.imports.fetching import public_only

        self.default_section = default_section
        self.batch_size = batch_size
        self.progress = progress
        self.download_media = download_media
        self.named_source = (source or "").strip()
        self.update_status = update_status
        self.update_section = update_section
        self.address_policy = address_policy or public_only
        self.report = Report()
        self.location = ""
        self._origin: ImportSource | None = None
        self._terms: dict[tuple[str, Term], Section | Tag | Author] = {}
        self._by_slug: dict[str, dict] = {kind: {} for kind in KINDS}
        self._declared: list[tuple[str, Term]] = []
        # Keys met in this run, to skip repeats: the one thing kept per item.
        self._seen: set[str] = set()

    def entries(self, location: str) -> Iterator[Entry]:
        """Read the source at `location`; yield an Entry for each article in it.

        Record what is left out with `self.report.skip()` and problems with
        `self.report.warn()`; raise ImportRefused when the source as a whole
        can't be read, and everything is rolled back.
        """
        raise NotImplementedError

    # --- The source -----------------------------------------------------------

    @property
    def source_name(self) -> str:
        """Return the source's name: --source, else the URL or the file's path."""
        if self.named_source:
            return self.named_source
        if self.location.startswith(("http://", "https://")):
            return self.location
        return str(Path(self.location).resolve())

    @property
    def origin(self) -> ImportSource:
        return self.claim()

    def claim(self) -> ImportSource:
        """Return the source being imported, recorded at its first import."""
        if self._origin is None:
            self._origin = self.open_source()
            self.report.source = self._origin.name
        return self._origin

    def open_source(self) -> ImportSource:
        """Find or record the source by its name; refuse what can't be told apart."""
        origin, self.report.new_source = ImportSource.objects.get_or_create(
            kind=self.kind, name=self.source_name
        )
        return origin

    # --- Running --------------------------------------------------------------

    def run(self, location: str) -> Report:
        """Import everything at `location` in one transaction; return the report."""
        self.started = timezone.now()
        self.location = location
        if len(self.source_name) > MAX_SOURCE_NAME:
            raise ImportRefused(
                f"{location}: a source name is at most {MAX_SOURCE_NAME} characters; "
                "name this one with --source NAME"
            )
        with transaction.atomic():
            batch: list[Entry] = []
            for entry in self.entries(location):
                self.report.read += 1
                batch.append(entry)
                if len(batch) >= self.batch_size:
                    self._write(batch)
                    batch = []
            self._write(batch)
            self._resolve_declared()
            changed = list(self.report.article_ids)
            transaction.on_commit(lambda: _announce(changed), robust=True)
        if self.download_media:
            from newsdesk.imports.media import download

            download(self.origin, changed, self.report, policy=self.address_policy)
        return self.report

    # --- Sections, tags, authors ---------------------------------------------
    #
    # Found or made in bulk, once per batch: one query and one insert per kind,
    # however many articles name them.

    def declare(self, kind: str, term: Term) -> None:
        """Make sure a section, tag or author exists, even if no article names it."""
        self._declared.append((kind, term))
        if len(self._declared) >= self.batch_size:
            self._resolve_declared()

    def section(self, term: Term | None) -> Section:
        """Return the section for a term (the default section for None)."""
        return self._resolve("section", [term or self.default_section])[0]

    def tag(self, term: Term) -> Tag:
        """Return the tag for a term."""
        return self._resolve("tag", [term])[0]

    def author(self, term: Term) -> Author:
        """Return the author for a term (its slug made from the login)."""
        return self._resolve("author", [term])[0]

    def _resolve_declared(self) -> None:
        declared, self._declared = self._declared, []
        for kind in KINDS:
            self._resolve(kind, [t for k, t in declared if k == kind])

    def _resolve(self, kind: str, terms: list[Term]) -> list:
        """Return the objects for the terms, finding or making them in bulk."""
        model, max_length = KINDS[kind]
        known = self._terms
        todo: dict[str, list[Term]] = {}
        for term in terms:
            if (kind, term) not in known:
                slug = _slug(
                    term.slug or term.name, fallback=kind, max_length=max_length
                )
                if kind == "section" and slug in RESERVED_SLUGS:
                    slug = f"{slug}-section"
                todo.setdefault(slug, []).append(term)
        if todo:
            by_slug = self._by_slug[kind]
            missing = [slug for slug in todo if slug not in by_slug]
            for found in model.objects.filter(slug__in=missing):
                by_slug[found.slug] = found
            made = self._make(
                kind, [(s, todo[s][0]) for s in missing if s not in by_slug]
            )
            for obj in made:
                by_slug[obj.slug] = obj
            for slug, same in todo.items():
                for term in same:
                    known[kind, term] = by_slug[slug]
        return [known[kind, term] for term in terms]

    def _make(self, kind: str, wanted: list[tuple[str, Term]]) -> list:
        if not wanted:
            return []
        model, max_length = KINDS[kind]
        names = {
            slug: " ".join(term.name.split())[:max_length] or slug
            for slug, term in wanted
        }
        taken = set()
        if kind != "author":  # Section and tag names are unique.
            taken = set(
                model.objects.filter(name__in=names.values()).values_list(
                    "name", flat=True
                )
            )
        rows = []
        for slug, term in wanted:
            name = names[slug]
            if name in taken:
                name = f"{name[: max_length - len(slug) - 3]} ({slug})"
            taken.add(name)
            fields = {"slug": slug, "name": name}
            if kind == "section":
                fields["description"] = term.description
            elif kind == "author":
                fields["bio"] = term.description
            rows.append(model(**fields))
        self.report.created[f"{kind}s"] += len(rows)
        return model.objects.bulk_create(rows)

    # --- Writing ------------------------------------------------------------

    def _write(self, batch: list[Entry]) -> None:
        self._resolve_declared()
        if not batch:
            return
        fresh = []
        for entry in batch:
            if entry.key in self._seen:
                self.report.skip("duplicate item", entry.label or entry.key, warn=True)
                continue
            self._seen.add(entry.key)
            fresh.append(entry)
        keys = [e.key for e in fresh]
        known = {
            item.key: item
            for item in ImportedItem.objects.filter(
                source=self.origin, key__in=keys
            ).select_related("article")
        }
        guids = [e.guid for e in fresh if e.key not in known and e.guid]
        by_guid = {
            item.guid: item
            # Only earlier imports: within one source, a repeated GUID is a copy.
            for item in ImportedItem.objects.filter(
                source=self.origin, guid__in=guids, created_at__lt=self.started
            ).select_related("article")
        }
        new = []
        for entry in fresh:
            item = known.get(entry.key) or by_guid.get(entry.guid)
            if item is None:
                new.append(entry)
            elif item.digest == entry.digest() and not self._asked_to_change(
                item.article, entry
            ):
                self.report.unchanged += 1
            elif item.article.updated_at > item.updated_at:
                # An editor's work is not overwritten by the old site's.
                self.report.skip(
                    "edited here since the last import",
                    entry.label or entry.key,
                    warn=True,
                )
            else:
                self._update(item, entry)
        self._create(new)
        self.progress(self.report)

    def _create(self, entries: list[Entry]) -> None:
        if not entries:
            return
        slugs = self._free_slugs(entries)
        sections = self._resolve(
            "section", [e.section or self.default_section for e in entries]
        )
        self._resolve("tag", [t for e in entries for t in e.tags])
        self._resolve("author", [a for e in entries for a in e.authors])
        now = timezone.now()
        articles = []
        for entry, slug, section in zip(entries, slugs, sections, strict=True):
            publish_at = entry.publish_at
            if entry.status == Article.Status.PUBLISHED and publish_at is None:
                publish_at = now
            articles.append(
                Article(
                    title=entry.title[:250],
                    slug=slug,
                    section=section,
                    standfirst=entry.standfirst,
                    body=clean_html(entry.body),
                    status=entry.status,
                    publish_at=publish_at,
                )
            )
        created = Article.objects.bulk_create(articles)
        pairs = list(zip(created, entries, strict=True))
        _insert(
            Article.tags.through,
            ("article_id", "tag_id"),
            [
                (a.pk, pk)
                for a, e in pairs
                for pk in {self._terms["tag", term].pk for term in e.tags}
            ],
        )
        _insert(
            Article.authors.through,
            ("article_id", "author_id"),
            [
                (a.pk, pk)
                for a, e in pairs
                for pk in {self._terms["author", term].pk for term in e.authors}
            ],
        )
        # After the articles' own updated_at, which tells later edits apart.
        stamp = connection.ops.adapt_datetimefield_value(timezone.now())
        _insert(
            ImportedItem,
            ("source_id", "key", "guid", "article_id", "digest", "created_at",
             "updated_at"),
            [
                (self.origin.pk, e.key[:500], e.guid[:500], a.pk, e.digest(), stamp,
                 stamp)
                for a, e in pairs
            ],
        )  # fmt: skip
        self._old_addresses(pairs)
        self._media(pairs)
        self.report.imported += len(created)
        self.report.article_ids.extend(a.pk for a in created)

    def _asked_to_change(self, article: Article, entry: Entry) -> bool:
        """Say whether --update-status or --update-section has work on the article."""
        if self.update_status and (
            article.status != entry.status
            or (entry.publish_at and article.publish_at != entry.publish_at)
        ):
            return True
        return self.update_section and (
            article.section_id != self.section(entry.section).pk
        )

    def _update(self, item: ImportedItem, entry: Entry) -> None:
        article = item.article
        label = entry.label or entry.key
        article.title = entry.title[:250]
        article.standfirst = entry.standfirst
        article.body = entry.body  # save() sanitizes.
        # Where an article stands is the newsroom's: changed only when asked.
        section = self.section(entry.section)
        if self.update_section:
            article.section = section
        elif section.pk != article.section_id:
            self.report.warn(
                f"{label}: the source puts it in “{section.slug}”; kept in "
                f"“{article.section.slug}” (--update-section moves it)"
            )
        if self.update_status:
            article.status = entry.status
            article.publish_at = entry.publish_at or (
                article.publish_at if entry.status == Article.Status.PUBLISHED else None
            )
        elif entry.status != article.status:
            self.report.warn(
                f"{label}: {entry.status} in the source; kept {article.status} "
                "(--update-status changes it)"
            )
        article.save()
        article.tags.set({self.tag(t) for t in entry.tags})
        article.authors.set({self.author(a) for a in entry.authors})
        revisions.record(
            article, kind=Revision.Kind.IMPORT, note="Updated by an import."
        )
        item.digest = entry.digest()
        item.guid = entry.guid[:500]
        item.save()
        self._old_addresses([(article, entry)])
        self._media([(article, entry)])
        self.report.updated += 1
        self.report.article_ids.append(article.pk)

    def _free_slugs(self, entries: list[Entry]) -> list[str]:
        wanted = [
            _slug(e.slug or e.title, fallback=f"article-{e.key}", max_length=240)
            for e in entries
        ]
        taken = set(
            Article.objects.filter(slug__in=wanted).values_list("slug", flat=True)
        )
        result = []
        for entry, slug in zip(entries, wanted, strict=True):
            chosen, number = slug, 1
            while chosen in taken:
                number += 1
                chosen = f"{slug[:230]}-{number}"
                if Article.objects.filter(slug=chosen).exists():
                    taken.add(chosen)
            if chosen != slug:
                self.report.warn(
                    f"{entry.label or entry.key}: slug “{slug}” is taken, "
                    f"imported as “{chosen}”"
                )
            # Earlier batches are in the database already; this one is not yet.
            taken.add(chosen)
            result.append(chosen)
        return result

    def _old_addresses(self, pairs: list[tuple[Article, Entry]]) -> None:
        wanted: dict[str, tuple[Article, Entry]] = {}
        for article, entry in pairs:
            for url in entry.old_urls:
                key = Redirect.key(url)
                if not key or len(key) > 1000:
                    continue
                if key[0] == "/" and key.split("/")[1] in RESERVED_SLUGS:
                    self.report.warn(
                        f"{entry.label or entry.key}: old address {key} is one of "
                        "the site's own; not redirected"
                    )
                    continue
                wanted.setdefault(key, (article, entry))
        existing = dict(
            Redirect.objects.filter(path__in=list(wanted)).values_list(
                "path", "article_id"
            )
        )
        rows = []
        for key, (article, entry) in wanted.items():
            if key not in existing:
                rows.append((key, article.pk))
            elif existing[key] != article.pk:
                self.report.warn(
                    f"{entry.label or entry.key}: old address {key} already leads "
                    "to another article; left as it was"
                )
        _insert(Redirect, ("path", "article_id"), rows)
        self.report.created["redirects"] += len(rows)

    def _media(self, pairs: list[tuple[Article, Entry]]) -> None:
        rows = [
            ImportedMedia(
                source=self.origin,
                key=m.key[:500],
                url=m.url[:1000],
                alt=m.alt[:500],
                role=m.role,
                article=article,
            )
            for article, entry in pairs
            for m in entry.media
        ]
        if rows:
            ImportedMedia.objects.bulk_create(rows, ignore_conflicts=True)
            self.report.created["media records"] += len(rows)


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert plain rows with one statement per thousand, skipping the ORM.

    For the import's own tables and the tag and author links only: rows that
    have no save() logic and no signals of their own. The import's commit
    starts a new content generation (through the articles' bulk_create).
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(c) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            cursor.executemany(sql, rows[start : start + 1000])


def _slug(value: str, *, fallback: str, max_length: int) -> str:
    from urllib.parse import unquote

    slug = slugify(unquote(value or ""))[:max_length].strip("-")
    return slug or slugify(fallback)[:max_length]


def _announce(ids: Iterable[int]) -> None:
    """Tell the rest of the site (search, caches) which articles changed."""
    ids = list(ids)
    if len(ids) <= SIGNAL_EACH_UP_TO:
        for pk in ids:
            content_changed.send(sender=Article, instance=None, pk=pk)
        return
    # The "many changed" signal (pk=None) makes search rebuild its whole index,
    # a cost in the size of the site, not of the import: index just these. The
    # articles' bulk insert has already started a new content generation.
    from newsdesk.search.indexing import index_articles

    index_articles(ids)
