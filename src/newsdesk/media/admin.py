"""The media library in the newsroom: upload, describe, pick for an article.

`ImageAdmin` knows images only. Which articles show an image, and so who may
change its words, is content's to say: `newsdesk.content.library` extends this
admin with that and registers it (media sits below content and never imports it).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join

from newsdesk.lib.images import supported_labels
from newsdesk.media.images import ImageRefused, check_upload, store
from newsdesk.media.models import Image
from newsdesk.media.rendering import thumbnail

PICKER_PAGE_SIZE = 60


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


class ImageAdmin(admin.ModelAdmin):
    list_display = ["preview", "alt", "credit", "dimensions", "created_at"]
    list_display_links = ["preview", "alt"]
    search_fields = ["alt", "caption", "credit"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "large_preview", "dimensions", "mime_type", "size", "uploaded_by",
        "created_at", "addresses",
    ]  # fmt: skip

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = UploadForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj=None) -> list[str]:
        if obj is None:
            return ["upload", "alt", "caption", "credit"]
        return ["large_preview", "alt", "caption", "credit", *self.readonly_fields[1:]]

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        image = super().get_object(request, object_id, from_field)
        if image is not None:
            # What the page may show ("Used in", why read-only) depends on who asks.
            image.viewer = request.user
        return image

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
