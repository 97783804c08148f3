"""Revisions: record each saved state of an article, compare two, restore one.

The publishing module (content/publishing.py), which every write path calls,
calls `record()` once the article and its tags and authors are saved, so a
revision holds exactly what was saved, with who and when. The kind of a
revision (published, scheduled, unpublished…) makes the history an audit trail.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from newsdesk.content.models import Article, Author, Revision, Section, Tag
from newsdesk.lib.markup import html_to_text
from newsdesk.media.models import Image

# What a restore brings back. Whether and when an article is public is an
# editor's decision, taken with Publish, not a side effect of restoring text.
RESTORED_FIELDS = ("title", "slug", "standfirst", "body")
SEO_FIELDS = ("seo_title", "seo_description")
LABELS = {
    "title": "Headline", "slug": "Address (slug)", "section": "Section",
    "standfirst": "Standfirst", "body": "Body", "lead_image": "Lead image",
    "authors": "Authors", "tags": "Tags",
    "seo_title": "Title for search engines",
    "seo_description": "Description for search engines",
    "status": "Status", "publish_at": "Publish time", "featured": "Lead story",
}  # fmt: skip
TEXT_FIELDS = ("title", "standfirst", "body")
WORDS = re.compile(r"\s+|[^\s]+")


def snapshot(article: Article) -> dict:
    """Return every editable field of the article, as JSON."""
    return {
        "title": article.title,
        "slug": article.slug,
        "section": {"id": article.section_id, "name": article.section.name},
        "standfirst": article.standfirst,
        "body": article.body,
        # The library image by id, its alt text to name it should it be deleted.
        "lead_image": (
            {"id": article.lead_image_id, "alt": article.lead_image.alt}
            if article.lead_image_id
            else None
        ),
        "authors": [{"id": a.pk, "name": a.name} for a in article.authors.all()],
        "tags": [{"id": t.pk, "name": t.name} for t in article.tags.all()],
        "status": article.status,
        "publish_at": article.publish_at.isoformat() if article.publish_at else None,
        "featured": article.featured,
        "seo_title": article.seo_title,
        "seo_description": article.seo_description,
    }


def kind_of(previous: dict | None, current: dict) -> str:
    """Name what a save did to the article's publishing state."""
    published = Article.Status.PUBLISHED
    was_published = previous is not None and previous["status"] == published
    if current["status"] != published:
        return Revision.Kind.UNPUBLISH if was_published else Revision.Kind.SAVE
    moment = parse_datetime(current["publish_at"])
    future = moment is not None and moment > timezone.now()
    if not was_published:
        return Revision.Kind.SCHEDULE if future else Revision.Kind.PUBLISH
    if previous["publish_at"] == current["publish_at"]:
        return Revision.Kind.SAVE
    before = parse_datetime(previous["publish_at"])
    if future:
        return Revision.Kind.SCHEDULE  # Rescheduled.
    if before is not None and before > timezone.now():
        return Revision.Kind.PUBLISH  # A scheduled article published early.
    return Revision.Kind.SAVE


def record(
    article: Article, *, by=None, kind: str | None = None, note: str = ""
) -> Revision:
    """Keep the article's saved state as its next revision.

    A save that changed nothing adds no revision (the latest one already holds
    it); a change of publishing state always does, as the audit trail needs it.
    """
    with transaction.atomic():
        # Lock the article row so two saves can't take the same number.
        Article._base_manager.select_for_update().filter(pk=article.pk).first()
        latest = article.revisions.order_by("-number").first()
        data = snapshot(article)
        kind = kind or kind_of(latest.data if latest else None, data)
        if latest is not None and latest.data == data and kind == Revision.Kind.SAVE:
            return latest
        return Revision.objects.create(
            article=article,
            number=(latest.number + 1) if latest else 1,
            version=article.version,
            kind=kind,
            note=note[:500],
            data=data,
            created_by=by if getattr(by, "pk", None) else None,
        )


def ensure_baseline(article: Article) -> None:
    """Record an article made outside the newsroom as it is, before a first edit.

    Later revisions, and an edit conflict's "what changed", compare against it.
    """
    if not article.revisions.exists():
        record(
            article,
            kind=Revision.Kind.SAVE,
            note="As it was when first opened in the newsroom.",
        )


@dataclass
class Restored:
    article: Article
    revision: Revision
    notes: list[str] = field(default_factory=list)


def restore(revision: Revision, *, by) -> Restored:
    """Bring back a revision's text, section, image, authors and tags as a new one.

    Relations deleted since (a section, a tag, an author) can't come back; what
    is missing is noted on the new revision, and the rest is restored.
    """
    data = revision.data
    notes: list[str] = []
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=revision.article_id)
        for name in RESTORED_FIELDS:
            setattr(article, name, data[name])
        for name in SEO_FIELDS:  # Revisions from before them have none.
            setattr(article, name, data.get(name, ""))
        taken = Article.objects.filter(slug=data["slug"]).exclude(pk=article.pk)
        if taken.exists():
            current = Article.objects.values_list("slug", flat=True).get(pk=article.pk)
            notes.append(
                f"The address “{data['slug']}” is now another article's; "
                f"kept “{current}”."
            )
            article.slug = current
        notes += _restore_lead_image(article, data)
        section = Section.objects.filter(pk=data["section"]["id"]).first()
        if section is None:
            notes.append(
                f"Section “{data['section']['name']}” no longer exists; "
                f"kept “{article.section.name}”."
            )
        else:
            article.section = section
        article.save()
        for model, key, label in ((Tag, "tags", "Tag"), (Author, "authors", "Author")):
            wanted = data[key]
            found = set(
                model.objects.filter(pk__in=[x["id"] for x in wanted]).values_list(
                    "pk", flat=True
                )
            )
            notes += [
                f"{label} “{x['name']}” no longer exists."
                for x in wanted
                if x["id"] not in found
            ]
            getattr(article, key).set(found)
        note = f"Restored revision {revision.number}." + "".join(" " + n for n in notes)
        record(article, by=by, kind=Revision.Kind.RESTORE, note=note)
    return Restored(article, revision, notes)


def _restore_lead_image(article: Article, data: dict) -> list[str]:
    """Point the article at the revision's library image; say if it is gone."""
    wanted = data.get("lead_image")
    if not wanted:
        article.lead_image = None
        return []
    if isinstance(wanted, str):
        # A revision from before the media library: the file's name, which the
        # library kept when the image moved into it.
        found = Image.objects.filter(file=wanted).first()
        label = data.get("lead_image_alt") or wanted
    else:
        found = Image.objects.filter(pk=wanted["id"]).first()
        label = wanted["alt"]
    if found is None:
        current = (
            f"kept “{article.lead_image.alt}”" if article.lead_image else "kept none"
        )
        return [f"Lead image “{label}” no longer exists; {current}."]
    article.lead_image = found
    return []


@dataclass(frozen=True)
class Change:
    """One field that differs between two revisions."""

    field: str
    label: str
    # For text: (operation, words) pieces, operation "equal", "insert" or "delete".
    pieces: tuple[tuple[str, str], ...] = ()
    before: str = ""
    after: str = ""


def as_text(data: dict, name: str) -> str:
    value = data.get(name)
    if name == "body":
        return html_to_text(value or "")
    if name == "section":
        return value["name"] if value else ""
    if name in ("authors", "tags"):
        return ", ".join(x["name"] for x in value or [])
    if name == "publish_at":
        moment = parse_datetime(value) if value else None
        if moment is None:
            return "—"
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    if name == "lead_image":
        if isinstance(value, dict):
            return f"{value['alt']} (image {value['id']})"
        # Before the media library: a file name, with the alt text beside it.
        return " ".join(filter(None, [data.get("lead_image_alt"), value or ""]))
    if name == "featured":
        return "yes" if value else "no"
    if name == "status":
        return Article.Status(value).label if value else ""
    return value or ""


def word_diff(before: str, after: str) -> tuple[tuple[str, str], ...]:
    """Mark the words inserted and deleted between two texts."""
    old, new = WORDS.findall(before), WORDS.findall(after)
    pieces: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("equal", "".join(old[a1:a2])))
            continue
        if a2 > a1:
            pieces.append(("delete", "".join(old[a1:a2])))
        if b2 > b1:
            pieces.append(("insert", "".join(new[b1:b2])))
    return tuple(pieces)


def compare(older: dict, newer: dict) -> list[Change]:
    """List what changed from one revision's data to another's, field by field."""
    changes = []
    for name, label in LABELS.items():
        before, after = as_text(older, name), as_text(newer, name)
        if name == "body" and older.get(name) != newer.get(name) and before == after:
            after += " (formatting changed)"
        if before == after:
            continue
        pieces = word_diff(before, after) if name in TEXT_FIELDS else ()
        changes.append(Change(name, label, pieces, before, after))
    return changes


def prune(*, older_than: timedelta) -> int:
    """Delete old revisions of unpublished states; return how many went.

    Kept whatever their age: every revision of a published state (each version
    readers saw), each article's newest revision, and every publish, schedule,
    unpublish, restore and import (the audit trail).
    """
    cutoff = timezone.now() - older_than
    newest = Revision.objects.filter(article=OuterRef("article")).order_by("-number")
    newest_published = newest.filter(data__status=Article.Status.PUBLISHED)
    doomed = (
        Revision.objects.filter(created_at__lt=cutoff, kind=Revision.Kind.SAVE)
        # Every version readers saw can be seen again: only drafts' saves go.
        .exclude(data__status=Article.Status.PUBLISHED)
        .annotate(
            newest=Subquery(newest.values("number")[:1]),
            # Revision numbers start at 1: 0 stands for "never published".
            newest_published=Coalesce(
                Subquery(newest_published.values("number")[:1]), Value(0)
            ),
        )
        .exclude(number=F("newest"))
        .exclude(number=F("newest_published"))
    )
    ids = list(doomed.values_list("pk", flat=True))
    deleted = 0
    for start in range(0, len(ids), 500):
        deleted += Revision.objects.filter(pk__in=ids[start : start + 500]).delete()[0]
    return deleted
