"""Reader views per article and hour: the data behind Most Popular."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone

from newsdesk.content.models import Article


def this_hour(now: datetime | None = None) -> datetime:
    """Return the start of the current hour, the bucket views are counted in."""
    return (now or timezone.now()).replace(minute=0, second=0, microsecond=0)


class HourlyViews(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="hourly_views"
    )
    hour = models.DateTimeField(help_text="Start of the hour, in UTC.")
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="one_row_per_hour")
        ]
        indexes = [models.Index(fields=["hour", "article"])]
        verbose_name_plural = "hourly views"

    def __str__(self) -> str:
        return f"{self.article_id} at {self.hour:%Y-%m-%d %H}:00: {self.views}"
