"""Reader views per article and day: the data behind Most Popular."""

from __future__ import annotations

from django.db import models

from newsdesk.content.models import Article


class DailyViews(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="daily_views"
    )
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="one_row_per_day")
        ]
        indexes = [models.Index(fields=["day", "article"])]
        verbose_name_plural = "daily views"

    def __str__(self) -> str:
        return f"{self.article_id} on {self.day}: {self.views}"
