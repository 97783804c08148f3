"""What the newsroom keeps of an article's past: revisions, autosaves, presence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from newsdesk.content.models.articles import Article


class Revision(models.Model):
    """One saved state of an article: every editable field, who and when."""

    class Kind(models.TextChoices):
        SAVE = "save", "Saved"
        PUBLISH = "publish", "Published"
        SCHEDULE = "schedule", "Scheduled"
        UNPUBLISH = "unpublish", "Unpublished"
        RESTORE = "restore", "Restored"
        IMPORT = "import", "Imported"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    version = models.PositiveIntegerField(help_text="The article's version it holds.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SAVE)
    note = models.CharField(max_length=500, blank=True)
    data = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="one_revision_number_per_article"
            )
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of article {self.article_id}"


class Autosave(models.Model):
    """The text one person was typing, kept until they save: one slot each."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    base_version = models.PositiveIntegerField()
    data = models.JSONField()
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"], name="one_autosave_per_user_and_article"
            )
        ]

    def __str__(self) -> str:
        return f"Autosave of article {self.article_id} by user {self.user_id}"


class Presence(models.Model):
    """Who has an article open in the newsroom, as of their last heartbeat."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"], name="one_presence_per_user_and_article"
            )
        ]

    def __str__(self) -> str:
        return f"User {self.user_id} on article {self.article_id}"
