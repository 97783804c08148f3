"""Publishing workflow: who may publish, and what publishing does."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from newsdesk.content import revisions
from newsdesk.content.models import Article

PUBLISH_PERMISSION = "content.publish_article"
REFUSAL = (
    "Only editors can publish. Save the article as a draft and ask an editor "
    "to publish it."
)


def can_publish(user) -> bool:
    """Tell whether the user may publish, unpublish and schedule articles."""
    return bool(user and user.has_perm(PUBLISH_PERMISSION))


def publish(*, article: Article, by, at: datetime | None = None) -> Article:
    """Publish the article now, or schedule it for a future time."""
    if not can_publish(by):
        raise PermissionDenied(REFUSAL)
    article.status = Article.Status.PUBLISHED
    article.publish_at = (
        at or article.publish_at or timezone.now().replace(microsecond=0)
    )
    article.save()
    revisions.record(article, by=by)
    return article


def unpublish(*, article: Article, by) -> Article:
    """Take the article off the public site; it becomes a draft again."""
    if not can_publish(by):
        raise PermissionDenied(REFUSAL)
    article.status = Article.Status.DRAFT
    article.save()
    revisions.record(article, by=by)
    return article
