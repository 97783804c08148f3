"""The one importer: runs any source in a transaction and writes what it read.

A source (`types.Source`, one module each in `imports/sources/`) reads its
location and yields an `Entry` per article. Everything else is here, once:
matching earlier imports (a second run changes nothing), unique slugs, sections,
tags and authors, old addresses, the media records, the report, and doing all of
it in one transaction so that a refused source changes nothing. Articles are
written only through `newsdesk.content.publishing`, which sanitizes, binds body
images to the media library, sets publish times and records the revisions.

Images are downloaded after the commit, as a step of its own (`downloads.py`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import shlex
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from newsdesk.content import publishing
from newsdesk.content.models import (
    RESERVED_SLUGS,
    Article,
    Redirect,
    Revision,
)
from newsdesk.imports.fetching import AddressPolicy, public_only
from newsdesk.imports.models import (
    ImportedItem,
    ImportedMedia,
    ImportSource,
)
from newsdesk.imports.terms import Terms, slug_of
from newsdesk.imports.types import Entry, ImportRefused, Media, Report, Source, Term

logger = logging.getLogger(__name__)

MAX_SOURCE_NAME = 500


def fallback_slug(key: str) -> str:
    """Return a short slug, stable for the entry, when its title and slug give none."""
    return "article-" + hashlib.sha1(key.encode()).hexdigest()[:10]


class Importer:
    """Import the articles of one source, in one transaction (a `types.Run`)."""

    def __init__(
        self,
        source: Source,
        *,
        batch_size: int = 500,
        progress: Callable[[Report], None] = lambda report: None,
        name: str | None = None,
        update_status: bool = False,
        update_section: bool = False,
        policy: AddressPolicy = public_only,
        keep_bodies: bool = False,
    ) -> None:
        self.source = source
        self.kind = source.name
        self.default_section = source.default_section
        self.batch_size = batch_size
        self.progress = progress
        self.named_source = (name or "").strip()
        self.update_status = update_status
        self.update_section = update_section
        self.policy = policy
        # The downloads after the commit point bodies at the images they fetch.
        self.keep_bodies = keep_bodies
        self.report = Report()
        self.location = ""
        self._origin: ImportSource | None = None
        self.terms = Terms(
            self.report, default_section=self.default_section, batch_size=batch_size
        )
        self._kept: list[Media] = []
        # Keys met in this run, to skip repeats: the one thing kept per item.
        self._seen: set[str] = set()

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
            self.report.source_id = self._origin.pk
        return self._origin

    def open_source(self) -> ImportSource:
        """Find the source by its name; refuse a new one whose site another holds.

        Keys (a WordPress post's id) are only unique within a site, and the site
        is what the file says: a file can't be trusted to say it's the same
        source as another.
        """
        kind, name, site = self.kind, self.source_name, self.source.site[:1000]
        origin = ImportSource.objects.filter(kind=kind, name=name).first()
        if origin is None:
            other = (
                ImportSource.objects.filter(kind=kind, site=site).first()
                if site
                else None
            )
            if other is not None and not self.named_source:
                raise ImportRefused(
                    f"{self.location}: this export is of {site[:200]}, which was "
                    f"imported before as the source “{other.name}”. If this file "
                    f"is a newer export of it, run again with --source "
                    f"{shlex.quote(other.name)} to update those articles; to import "
                    "its posts as new articles beside them, name it with --source "
                    "NEW-NAME. "
                    "Nothing was imported."
                )
            if other is not None:
                self.report.warn(
                    f"{site[:200]} was imported before as the source “{other.name}”; "
                    f"this file's posts are imported as new articles of the source "
                    f"“{name}”, not matched with those"
                )
            self.report.new_source = True
            return ImportSource.objects.create(kind=kind, name=name, site=site)
        if site and origin.site and origin.site != site:
            self.report.warn(
                f"the export says its site is {site[:200]}; the source “{name}” "
                f"was first imported from {origin.site[:200]}"
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
        if self.keep_bodies:
            # Read and closed by the downloads, after the commit.
            self.report.bodies = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        with transaction.atomic():
            batch: list[Entry] = []
            for entry in self.source.entries(location, self):
                self.report.read += 1
                batch.append(entry)
                if len(batch) >= self.batch_size:
                    self._write(batch)
                    batch = []
            self._write(batch)
            self.terms.resolve_declared()
            self._flush_kept()
            # A source with nothing in it is recorded too. The articles' writes
            # announce themselves (content_changed, after the commit).
            self.claim()
        return self.report

    # --- Sections, tags, authors ---------------------------------------------

    def declare(self, kind: str, term: Term) -> None:
        """Make sure a section, tag or author exists, even if no article names it."""
        self.terms.declare(kind, term)

    # --- Writing ------------------------------------------------------------

    def _write(self, batch: list[Entry]) -> None:
        self.terms.resolve_declared()
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
        sections = self.terms.resolve(
            "section", [e.section or self.default_section for e in entries]
        )
        self.terms.resolve("tag", [t for e in entries for t in e.tags])
        self.terms.resolve("author", [a for e in entries for a in e.authors])
        new = [
            publishing.New(
                Article(
                    title=entry.title[:250],
                    slug=slug,
                    section=section,
                    standfirst=entry.standfirst,
                    body=entry.body,
                    status=entry.status,
                    publish_at=entry.publish_at,
                    seo_title=entry.seo_title[:200],
                    seo_description=entry.seo_description[:320],
                ),
                tags=[self.terms.tag(term).pk for term in entry.tags],
                authors=[self.terms.author(term).pk for term in entry.authors],
            )
            for entry, slug, section in zip(entries, slugs, sections, strict=True)
        ]
        created = publishing.add_many(
            new, by=publishing.OPERATOR, note=f"Imported from {self.origin.name}."
        )
        pairs = list(zip(created, entries, strict=True))
        self._dated(pairs)
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
        self._keep_bodies(pairs)
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
            article.section_id != self.terms.section(entry.section).pk
        )

    def _update(self, item: ImportedItem, entry: Entry) -> None:
        article = item.article
        label = entry.label or entry.key
        article.title = entry.title[:250]
        article.standfirst = entry.standfirst
        article.body = entry.body  # Publishing sanitizes it.
        article.seo_title = entry.seo_title[:200]
        article.seo_description = entry.seo_description[:320]
        # Where an article stands is the newsroom's: changed only when asked.
        section = self.terms.section(entry.section)
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
        publishing.save(
            article,
            by=publishing.OPERATOR,
            tags={self.terms.tag(t) for t in entry.tags},
            authors={self.terms.author(a) for a in entry.authors},
            kind=Revision.Kind.IMPORT,
            note="Updated by an import.",
        )
        self._dated([(article, entry)])
        item.digest = entry.digest()
        item.guid = entry.guid[:500]
        item.save()
        self._old_addresses([(article, entry)])
        self._media([(article, entry)])
        self._keep_bodies([(article, entry)])
        self.report.updated += 1
        self.report.article_ids.append(article.pk)

    def _dated(self, pairs: list[tuple[Article, Entry]]) -> None:
        """Date the articles' last update as the source did, not at the import.

        `updated_at` is when an article last changed: the source's time, or
        its publish time when the source gives none, so readers aren't told of
        an update the import made. Never later than now: a newsroom edit, which
        saves with the time it happens, must still count as one, and tell the
        next import the article was edited here.
        """
        moment = timezone.now()
        dated = []
        for article, entry in pairs:
            when = entry.modified_at or article.publish_at
            if when is not None:
                article.updated_at = min(when, moment)
                dated.append(article)
        # bulk_update leaves auto_now alone and announces the change itself.
        Article.objects.bulk_update(dated, ["updated_at"], batch_size=500)

    def _free_slugs(self, entries: list[Entry]) -> list[str]:
        wanted = [
            slug_of(e.slug or e.title, fallback=fallback_slug(e.key), max_length=240)
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

    def keep(self, media: Media) -> None:
        """Record an image of the source that is no one article's (an attachment)."""
        self._kept.append(media)
        if len(self._kept) >= self.batch_size:
            self._flush_kept()

    def _flush_kept(self) -> None:
        kept, self._kept = self._kept, []
        if not kept:
            return
        rows = [
            ImportedMedia(
                source=self.origin,
                key=m.key[:500],
                url=m.url[:1000],
                alt=m.alt[:500],
                role=m.role,
            )
            for m in kept
        ]
        known = set(
            ImportedMedia.objects.filter(
                source=self.origin,
                role__in={r.role for r in rows},
                key__in=[r.key for r in rows],
            ).values_list("key", "role")
        )
        fresh = {(r.key, r.role): r for r in rows if (r.key, r.role) not in known}
        ImportedMedia.objects.bulk_create(fresh.values())
        self.report.created["media records"] += len(fresh)

    def _keep_bodies(self, pairs: list[tuple[Article, Entry]]) -> None:
        """Keep the bodies with images as the source gave them, for the downloads."""
        if self.report.bodies is None:
            return
        for article, entry in pairs:
            if "<img" in entry.body:
                self.report.bodies.write(json.dumps([article.pk, entry.body]) + "\n")


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert plain rows with one statement per thousand, skipping the ORM.

    For the import's own tables only: rows that have no save() logic and no
    signals of their own. The import's commit starts a new content generation
    (through the articles' bulk_create, in publishing).
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
