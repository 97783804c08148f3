"""What each import brought in: the source's keys and media.

Old addresses are `content.Redirect` rows, like every article's.
"""

from __future__ import annotations

from django.db import models

from newsdesk.content.models import Article


class ImportSource(models.Model):
    """A source the operator imports from, by the name the operator gives it.

    The name is the feed's or page's URL, the file's absolute path, or what
    `--source` says. Items are matched only within their own source, so what one
    file or feed declares can never reach another's articles.
    """

    class Kind(models.TextChoices):
        WORDPRESS = "wordpress", "WordPress export"
        FEED = "feed", "RSS or Atom feed"
        HTML = "html", "Web page"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=500)
    site = models.CharField(
        max_length=1000,
        blank=True,
        help_text="A WordPress export's site address, as its first import declared.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="import_source_name")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


class ImportedItem(models.Model):
    """An article made from one item of a source (a WordPress post, a feed entry)."""

    source = models.ForeignKey(
        ImportSource, on_delete=models.PROTECT, related_name="items"
    )
    key = models.CharField(
        max_length=500, help_text="The item's identity in its source, e.g. its GUID."
    )
    guid = models.CharField(max_length=500, blank=True, db_index=True)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="imported_from"
    )
    digest = models.CharField(
        max_length=64, help_text="Fingerprint of what was imported, to spot changes."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="imported_item_key")
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.key}"


class ImportedMedia(models.Model):
    """An image or attachment of the old site, by its original address."""

    class Role(models.TextChoices):
        FEATURED = "featured", "Featured image"
        ATTACHMENT = "attachment", "Attachment"

    source = models.ForeignKey(
        ImportSource, on_delete=models.PROTECT, related_name="media"
    )
    key = models.CharField(max_length=500)
    url = models.URLField(max_length=1000)
    alt = models.CharField(max_length=500, blank=True)
    role = models.CharField(max_length=10, choices=Role.choices)
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="imported_media",
    )
    file = models.FileField(upload_to="imported/%Y/%m/", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "key", "role"], name="imported_media_key"
            )
        ]

    def __str__(self) -> str:
        return self.url
