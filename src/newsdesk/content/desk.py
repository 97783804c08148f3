"""The newsroom's article tools: history, compare, restore, edit conflicts,
presence and autosave. The article admin (content/admin.py) routes to them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from newsdesk.content import publishing, revisions
from newsdesk.content.models import Article, Autosave, Presence, Revision
from newsdesk.lib.markup import clean_html

PRESENCE_SECONDS = 60
AUTOSAVED_FIELDS = ("title", "standfirst", "body")
AUTOSAVE_MAX_CHARS = 1_000_000
MAX_INT = 2**31 - 1  # What every database's integer column holds.


@dataclass
class Conflict:
    """A save refused because the article changed since the editor opened it."""

    base_version: int
    current_version: int
    by: str
    at: datetime | None
    changes: list[revisions.Change]

    @property
    def message(self) -> str:
        when = timezone.localtime(self.at).strftime("%H:%M") if self.at else "meanwhile"
        changed = ", ".join(c.label.lower() for c in self.changes) or "the article"
        return (
            f"Not saved: {self.by} saved this article at {when}, after you opened "
            f"it (changed: {changed}). Your text is still below; what they changed "
            "is shown above it. Merge what you need, then save again to replace "
            "their version; theirs stays in the history."
        )


def name_of(user) -> str:
    if user is None:
        return "someone"
    return user.get_full_name() or user.get_username()


def find_conflict(pk: int, base: int) -> Conflict | None:
    """Return what changed since version `base`, or None if nothing did."""
    article = (
        Article.objects.select_related("section")
        .prefetch_related("tags", "authors")
        .filter(pk=pk)
        .first()
    )
    if article is None or article.version == base:
        return None
    history = Revision.objects.filter(article=article).select_related("created_by")
    seen = history.filter(version=base).order_by("-number").first()
    latest = history.order_by("-number").first()
    now = revisions.snapshot(article)
    return Conflict(
        base_version=base,
        current_version=article.version,
        by=name_of(latest.created_by) if latest else "someone",
        at=latest.created_at if latest else article.updated_at,
        changes=revisions.compare(seen.data, now) if seen else [],
    )


def _article(admin, request: HttpRequest, pk) -> Article:
    """Find an article this person may see in the newsroom, or 404."""
    article = admin.get_object(request, str(pk))
    if article is None or not admin.has_view_or_change_permission(request, article):
        raise Http404("No such article")
    return article


def _context(admin, request: HttpRequest, article: Article, title: str) -> dict:
    return {
        **admin.admin_site.each_context(request),
        "opts": Article._meta,
        "article": article,
        "original": article,
        "title": title,
        "change_url": reverse("admin:content_article_change", args=[article.pk]),
        "history_url": reverse("admin:content_article_history", args=[article.pk]),
    }


def history(admin, request: HttpRequest, object_id: str) -> HttpResponse:
    """List an article's revisions, newest first: who, when, what kind."""
    article = _article(admin, request, object_id)
    found = list(
        article.revisions.select_related("created_by").order_by("-number")[:500]
    )
    context = _context(admin, request, article, f"History: {article.title}")
    context |= {
        "revisions": found,
        "can_restore": admin.has_change_permission(request, article),
        "compare_url": reverse("admin:content_article_compare", args=[article.pk]),
    }
    return TemplateResponse(request, "admin/content/article/history.html", context)


def compare_view(admin):
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        """Show what changed between two revisions: words inserted and deleted."""
        article = _article(admin, request, pk)
        numbers = article.revisions.order_by("-number").values_list("number", flat=True)
        latest = list(numbers[:2])
        if not latest:
            raise Http404("No revisions yet")
        try:
            newer = int(request.GET.get("b", latest[0]))
            older = int(request.GET.get("a", latest[-1]))
        except ValueError:
            return HttpResponseBadRequest("Revision numbers are whole numbers.")
        if not (1 <= older <= MAX_INT and 1 <= newer <= MAX_INT):
            raise Http404("No such revision")
        older, newer = sorted((older, newer))
        pair = {
            r.number: r for r in article.revisions.filter(number__in=[older, newer])
        }
        if older not in pair or newer not in pair:
            raise Http404("No such revision")
        context = _context(admin, request, article, f"Compare: {article.title}")
        context |= {
            "older": pair[older],
            "newer": pair[newer],
            "changes": revisions.compare(pair[older].data, pair[newer].data),
            "can_restore": admin.has_change_permission(request, article),
        }
        return TemplateResponse(request, "admin/content/article/compare.html", context)

    return view


def restore_view(admin):
    @require_POST
    def view(request: HttpRequest, pk: int, number: int) -> HttpResponse:
        """Restore a revision as the article's newest one."""
        article = _article(admin, request, pk)
        if not admin.has_change_permission(request, article):
            raise PermissionDenied
        revision = article.revisions.filter(number=number).first()
        if revision is None:
            raise Http404("No such revision")
        try:
            done = publishing.restore(revision, by=request.user)
        except PermissionDenied as refusal:
            messages.error(request, str(refusal))
            return redirect("admin:content_article_history", article.pk)
        messages.success(request, f"Restored revision {number} as a new revision.")
        for note in done.notes:
            messages.warning(request, note)
        return redirect("admin:content_article_change", article.pk)

    return view


def others_here(article: Article, user) -> list[str]:
    """Name the other people who have the article open right now."""
    since = timezone.now() - timedelta(seconds=PRESENCE_SECONDS)
    found = (
        Presence.objects.filter(article=article, seen_at__gte=since)
        .exclude(user=user)
        .select_related("user")
        .order_by("seen_at")
    )
    return [name_of(p.user) for p in found]


def note_presence(article: Article, user) -> None:
    Presence.objects.update_or_create(
        article=article, user=user, defaults={"seen_at": timezone.now()}
    )


def presence_view(admin):
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        """Say this person still has the article open; answer who else has."""
        article = _article(admin, request, pk)
        note_presence(article, request.user)
        return JsonResponse({"others": others_here(article, request.user)})

    return view


def autosave_view(admin):
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        """Keep (or with "discard", drop) this person's unsaved text of an article."""
        article = _article(admin, request, pk)
        if not admin.has_change_permission(request, article):
            raise PermissionDenied
        try:
            payload = json.loads(request.body)
            if payload.get("discard"):
                Autosave.objects.filter(article=article, user=request.user).delete()
                return JsonResponse({"discarded": True})
            data = {name: str(payload[name]) for name in AUTOSAVED_FIELDS}
            base = int(payload["version"])
            if not 1 <= base <= MAX_INT:
                raise ValueError("version out of range")
        except (ValueError, KeyError, TypeError, AttributeError, OverflowError):
            return JsonResponse({"error": "Send title, standfirst, body and version."},
                                status=400)  # fmt: skip
        if sum(len(v) for v in data.values()) > AUTOSAVE_MAX_CHARS:
            return JsonResponse({"error": "Too long to autosave."}, status=413)
        data["body"] = clean_html(data["body"])
        saved, _ = Autosave.objects.update_or_create(
            article=article,
            user=request.user,
            defaults={"data": data, "base_version": base},
        )
        return JsonResponse({"saved_at": saved.saved_at.isoformat()})

    return view


def pending_autosave(article: Article, user) -> dict | None:
    """Return this person's autosaved text, if it differs from the article."""
    kept = Autosave.objects.filter(article=article, user=user).first()
    if kept is None:
        return None
    if all(kept.data.get(n) == getattr(article, n) for n in AUTOSAVED_FIELDS):
        kept.delete()
        return None
    return {
        **kept.data,
        "version": kept.base_version,
        "saved_at": kept.saved_at.isoformat(),
        "saved_at_text": timezone.localtime(kept.saved_at).strftime("%b %d, %H:%M"),
    }


SUBMISSION_FIELD = "desk_submission"
SAVED_SUBMISSIONS = "newsdesk-saved-submissions"
_SUBMISSION = re.compile(r"^[0-9a-z-]{1,40}$")


def note_submission(request: HttpRequest) -> None:
    """Remember, once the save commits, that the form's submission went through.

    desk.js keeps the text it sent until the next page lists its submission
    as saved, so a save that fails anywhere loses nothing.
    """
    token = request.POST.get(SUBMISSION_FIELD, "")
    if not _SUBMISSION.match(token):
        return

    def saved() -> None:
        kept = request.session.get(SAVED_SUBMISSIONS, [])
        request.session[SAVED_SUBMISSIONS] = [*kept, token][-20:]

    transaction.on_commit(saved)


def saved_submissions(request: HttpRequest) -> list[str]:
    return list(request.session.get(SAVED_SUBMISSIONS, []))


def change_form_context(request: HttpRequest, article: Article) -> dict:
    """What the article form shows beyond its fields."""
    note_presence(article, request.user)
    revisions.ensure_baseline(article)
    return {
        "others_here": others_here(article, request.user),
        "history_url": reverse("admin:content_article_history", args=[article.pk]),
        "desk_config": {
            "presenceUrl": reverse("admin:content_article_presence", args=[article.pk]),
            "autosaveUrl": reverse("admin:content_article_autosave", args=[article.pk]),
            "storageKey": f"newsdesk-autosave-{article.pk}",
            "version": article.version,
            "server": pending_autosave(article, request.user),
            "saved": saved_submissions(request),
        },
    }
