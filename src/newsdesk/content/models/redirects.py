"""Old addresses of articles, answered with a permanent redirect."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from django.db import models
from django.db.models.functions import Now

from newsdesk.content.models.articles import Article

# WordPress answers these on its root whatever the permalink structure.
ID_PARAMETERS = ("p", "page_id")


class RedirectQuerySet(models.QuerySet):
    def target(self, path: str) -> Article | None:
        """Return the public article an old address leads to, if any."""
        found = (
            self.filter(path=path, article__in=Article.objects.published())
            .select_related("article__section")
            .first()
        )
        return found.article if found else None


class Redirect(models.Model):
    """An address an article had, here or on an old site, that leads to it now.

    `path` is kept as `Redirect.key()` gives it: a URL path without its trailing
    slash (`/china/2025/05/19/talks`, `/2010/10/20/hello`), or a query on the
    site's root (`?p=12`, `?page_id=3`), as WordPress answers both.
    """

    path = models.CharField(max_length=1000, unique=True)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="redirects"
    )
    created_at = models.DateTimeField(db_default=Now(), editable=False)

    objects = RedirectQuerySet.as_manager()

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return f"{self.path} → {self.article_id}"

    @staticmethod
    def key(url: str) -> str | None:
        """Return the key an address is stored under, or None for the bare root.

        `http://old.example/2010/10/hello/` → `/2010/10/hello`; `http://old/?p=12`
        → `?p=12`.
        """
        parts = urlsplit(url.strip())
        path = unquote(parts.path).rstrip("/")
        if path:
            return path
        query = dict(
            pair.split("=", 1) for pair in parts.query.split("&") if "=" in pair
        )
        for name in ID_PARAMETERS:
            if query.get(name, "").isdigit():
                return f"?{name}={int(query[name])}"
        return None
