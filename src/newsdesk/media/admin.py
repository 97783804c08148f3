"""The media library in the newsroom: upload, describe, pick for an article."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.files.storage import default_storage
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from newsdesk.lib.images import supported_labels
from newsdesk.media.images import ImageRefused, check_upload, store
from newsdesk.media.models import Image
from newsdesk.media.rendering import thumbnail

PICKER_PAGE_SIZE = 60


def articles_using(image: Image) -> QuerySet:
    """Return the articles that show the image, as lead image or in the body."""
    from newsdesk.content.models import Article

    # The one place the library looks up at articles: this newsroom page.
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
    from newsdesk.content import publishing
    from newsdesk.content.models import Article

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


class UploadForm(forms.ModelForm):
    upload = forms.FileField(
        label="Image file",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    class Meta:
        model = Image
        fields = ["alt", "caption", "credit"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = (
            f"{supported_labels()}, at most {settings.NEWSDESK_MAX_UPLOAD_MB} MB "
            f"and {settings.NEWSDESK_MAX_IMAGE_PIXELS / 1_000_000:g} megapixels. "
            "Location and other EXIF data are removed."
        )

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        try:
            self.processed = check_upload(upload)
        except ImageRefused as refused:
            raise forms.ValidationError(str(refused), code="image_refused") from None
        return upload


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["preview", "alt", "credit", "dimensions", "created_at"]
    list_display_links = ["preview", "alt"]
    search_fields = ["alt", "caption", "credit"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "large_preview", "dimensions", "mime_type", "size", "uploaded_by",
        "created_at", "used_in", "addresses", "read_only_note",
    ]  # fmt: skip

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = UploadForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj=None) -> list[str]:
        if obj is None:
            return ["upload", "alt", "caption", "credit"]
        fields = [
            "large_preview",
            "alt",
            "caption",
            "credit",
            *self.readonly_fields[1:-1],
        ]
        if why_read_only(request.user, obj):
            fields.insert(0, "read_only_note")
        return fields

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        image = super().get_object(request, object_id, from_field)
        if image is not None:
            # What the page may show ("Used in", why read-only) depends on who asks.
            image.viewer = request.user
        return image

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or why_read_only(request.user, obj) is None

    def save_model(self, request: HttpRequest, obj: Image, form, change: bool):
        if change:
            return super().save_model(request, obj, form, change)
        obj.uploaded_by = request.user
        store(obj, form.processed, name=form.cleaned_data["upload"].name)

    def get_urls(self):
        picker = path(
            "picker/",
            self.admin_site.admin_view(self.picker_view),
            name="media_image_picker",
        )
        return [picker, *super().get_urls()]

    def picker_view(self, request: HttpRequest) -> TemplateResponse:
        """List library images for the body editor's "Browse..." window."""
        images: QuerySet[Image] = Image.objects.all()
        query = request.GET.get("q", "").strip()
        if query:
            images = self.get_search_results(request, images, query)[0]
        context = {
            **self.admin_site.each_context(request),
            "title": "Choose an image",
            "images": images[:PICKER_PAGE_SIZE],
            "query": query,
            "func_num": request.GET.get("CKEditorFuncNum", ""),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/media/image/picker.html", context)

    @admin.display(description="Image")
    def preview(self, obj: Image) -> str:
        return thumbnail(obj, width=120)

    @admin.display(description="Image")
    def large_preview(self, obj: Image) -> str:
        return thumbnail(obj, width=480)

    @admin.display(description="Size in pixels")
    def dimensions(self, obj: Image) -> str:
        return f"{obj.width} × {obj.height}"

    @admin.display(description="Read-only")
    def read_only_note(self, obj: Image) -> str:
        return why_read_only(obj.viewer, obj) or ""

    @admin.display(description="Used in")
    def used_in(self, obj: Image) -> str:
        from newsdesk.content import publishing
        from newsdesk.content.models import Article

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

    @admin.display(description="Renditions")
    def addresses(self, obj: Image) -> str:
        rows = [(obj.url, f"original, {obj.width} px")] + [
            (
                default_storage.url(r["name"]),
                f"{r['mime_type'].split('/')[1].upper()}, {r['width']} px",
            )
            for r in obj.renditions
        ]
        return format_html(
            "<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a></li>', rows)
        )
