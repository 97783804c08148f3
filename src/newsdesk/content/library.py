"""The media library as the newsroom sees it: where an image is used, who may change it.

Media knows images only; content knows articles. This extends media's
`ImageAdmin` with what only content can tell (the articles that show an image,
and so whether a writer may change its alt text, caption and credit) and
registers it: the import runs down, from content to media.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from newsdesk.content import publishing
from newsdesk.content.models import Article
from newsdesk.media.admin import ImageAdmin
from newsdesk.media.models import Image


def articles_using(image: Image) -> QuerySet[Article]:
    """Return the articles that show the image, as lead image or in the body."""
    return Article.objects.filter(
        Q(lead_image=image) | Q(body__contains=f'data-file="{image.pk}"')
    )


def why_read_only(user, image: Image) -> str | None:
    """Return why the user may not change the image's words, or None if they may.

    Editors change any image. A writer changes only images used in nothing but
    their own unpublished articles, and unused images they uploaded: what a
    published article or a colleague's article shows is the desk's to change.
    """
    # Asked several times for one page; the answer is kept on the instance.
    known = image.__dict__.setdefault("_read_only", {})
    if user.pk not in known:
        known[user.pk] = _why_read_only(user, image)
    return known[user.pk]


def _why_read_only(user, image: Image) -> str | None:
    if publishing.can_publish(user):
        return None
    used = articles_using(image)
    if used.filter(status=Article.Status.PUBLISHED).exists():
        return (
            "This image appears in a published or scheduled article, so only an "
            "editor can change its alt text, caption and credit."
        )
    if used.exclude(created_by=user).exists():
        return (
            "This image appears in another person's article, so only an editor "
            "can change its alt text, caption and credit."
        )
    if not used.exists() and image.uploaded_by_id != user.pk:
        return (
            "Someone else uploaded this image and none of your drafts uses it, so "
            "only an editor can change its alt text, caption and credit."
        )
    return None


class LibraryAdmin(ImageAdmin):
    readonly_fields = [*ImageAdmin.readonly_fields, "used_in", "read_only_note"]

    def get_fields(self, request: HttpRequest, obj=None) -> list[str]:
        fields = super().get_fields(request, obj)
        if obj is None:
            return fields
        mine = ("used_in", "read_only_note", "addresses")
        fields = [name for name in fields if name not in mine]
        fields += ["used_in", "addresses"]
        if why_read_only(request.user, obj):
            fields.insert(0, "read_only_note")
        return fields

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or why_read_only(request.user, obj) is None

    @admin.display(description="Read-only")
    def read_only_note(self, obj: Image) -> str:
        return why_read_only(obj.viewer, obj) or ""

    @admin.display(description="Used in")
    def used_in(self, obj: Image) -> str:
        user = obj.viewer
        used = articles_using(obj)
        visible = used
        if not publishing.can_publish(user):
            # Writers see published articles and their own, not colleagues' drafts.
            visible = used.filter(
                Q(pk__in=Article.objects.published().values("pk"))
                | Q(created_by=user.pk)
            )
        articles = visible.select_related("section").only(
            "pk", "title", "slug", "status", "publish_at", "created_by",
            "section__slug",
        )[:50]  # fmt: skip
        hidden = used.count() - visible.count()
        if not articles and not hidden:
            return "No article yet."
        rows = [
            (
                # Writers open their own articles; others' are read on the site.
                reverse("admin:content_article_change", args=[a.pk])
                if publishing.can_publish(user) or a.created_by_id == user.pk
                else a.get_absolute_url(),
                a.title,
            )
            for a in articles
        ]
        listed = format_html(
            "<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a></li>', rows)
        )
        if hidden:
            return format_html(
                "{}<p>And {} unpublished article(s) by others.</p>", listed, hidden
            )
        return listed
