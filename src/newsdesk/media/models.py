"""The media library: images with their alt text, caption, credit and renditions."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models


class Image(models.Model):
    file = models.FileField(max_length=255, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    mime_type = models.CharField(max_length=20, editable=False)
    size = models.PositiveIntegerField("bytes", default=0, editable=False)
    alt = models.CharField(
        "alt text",
        max_length=250,
        help_text="What the image shows, for readers who can't see it. Required.",
    )
    caption = models.TextField(blank=True, help_text="Shown under the image.")
    credit = models.CharField(
        max_length=200, blank=True, help_text="Photographer or agency."
    )
    # [{"width": 480, "height": 320, "mime_type": "image/webp", "name": "..."}]
    # sorted by width; made once at upload (newsdesk.media.images).
    renditions = models.JSONField(default=list, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(alt=""), name="media_image_alt_required"
            )
        ]

    def __str__(self) -> str:
        return self.alt

    @property
    def url(self) -> str:
        return self.file.url

    def files(self) -> list[str]:
        """Return the storage names of the original and every rendition."""
        return [self.file.name] + [r["name"] for r in self.renditions]

    def srcset(self, mime_type: str) -> str:
        return ", ".join(
            f"{default_storage.url(r['name'])} {r['width']}w"
            for r in self.renditions
            if r["mime_type"] == mime_type
        )

    def rendition_url(self, width: int = 960, mime_type: str | None = None) -> str:
        """Return the URL of the smallest rendition at least `width` wide.

        In the original's format unless told; the original when none is as wide.
        """
        mime_type = mime_type or self.mime_type
        fitting = [
            r
            for r in self.renditions
            if r["mime_type"] == mime_type and r["width"] >= width
        ]
        if not fitting:
            return self.url
        return default_storage.url(min(fitting, key=lambda r: r["width"])["name"])

    @property
    def thumbnail_url(self) -> str:
        return self.rendition_url(480, "image/webp")

    def largest(self) -> dict:
        """Describe the largest rendition in the original's format (for sharing)."""
        own = [r for r in self.renditions if r["mime_type"] == self.mime_type]
        if not own:
            return {"url": self.url, "width": self.width, "height": self.height}
        best = max(own, key=lambda r: r["width"])
        return {
            "url": default_storage.url(best["name"]),
            "width": best["width"],
            "height": best["height"],
        }
