"""Publishing: the one module that changes an article's text or its place on the site.

Every write path calls it: the newsroom's form and list actions, restoring a
revision, the importers, and (next) the Content API. Each action

1. checks, once, that the person may take it (`check`),
2. sets the publish time when an article goes public without one,
3. saves the article (and its tags and authors) in one transaction,
4. records the revision, with who and what kind of change it was.

The announcement of the change (`content.signals.content_changed`) follows from
the save itself, after the commit, so delivery and search hear of every write,
this module's or not.

`by=OPERATOR` is the operator at the command line (an import, the seed data):
they run the site and may publish. A person in the newsroom is always a user;
`None` is no one, and may not publish.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from newsdesk.content import revisions
from newsdesk.content.models import Article, Author, Revision, Tag
from newsdesk.lib.markup import clean_html
from newsdesk.media.body import bind_images

PUBLISH_PERMISSION = "content.publish_article"
REFUSAL = (
    "Only editors can publish. Save the article as a draft and ask an editor "
    "to publish it."
)


class _Operator:
    """The command line's `by`: trusted, recorded in history as no one."""

    pk = None

    def __repr__(self) -> str:
        return "OPERATOR"


OPERATOR = _Operator()


def can_publish(user) -> bool:
    """Tell whether the user may publish, unpublish and schedule articles."""
    if user is OPERATOR:
        return True
    return bool(user and user.has_perm(PUBLISH_PERMISSION))


def check(article: Article, *, by, was_published: bool | None = None) -> None:
    """Refuse a change of publishing state that `by` may not make.

    Whether the article is public (or scheduled), and when, is an editor's
    decision: a writer may save a draft, never publish, schedule or unpublish.
    """
    if can_publish(by):
        return
    if was_published is None:
        was_published = (
            article.pk is not None
            and Article._base_manager.filter(
                pk=article.pk, status=Article.Status.PUBLISHED
            ).exists()
        )
    if article.status == Article.Status.PUBLISHED or was_published:
        raise PermissionDenied(REFUSAL)


def now() -> datetime:
    """The publish time of an article published now: whole seconds, as the
    newsroom's form shows and sends it back."""
    return timezone.now().replace(microsecond=0)


def _prepare(article: Article) -> None:
    if article.status == Article.Status.PUBLISHED and article.publish_at is None:
        article.publish_at = now()


def save(
    article: Article,
    *,
    by,
    tags: Iterable[Tag] | None = None,
    authors: Iterable[Author] | None = None,
    kind: str | None = None,
    note: str = "",
    checked: bool = False,
) -> Revision:
    """Save the article as it stands (a draft, published or scheduled).

    `tags` and `authors`, when given, replace the article's. `checked=True`
    says the caller has run `check` on the state before its edits (the
    newsroom's form does, to report the refusal on the field).
    """
    if not checked:
        check(article, by=by)
    _prepare(article)
    with transaction.atomic():
        if article.pk is None and getattr(by, "pk", None):
            article.created_by = by
        article.save()
        if tags is not None:
            article.tags.set(tags)
        if authors is not None:
            article.authors.set(authors)
        return revisions.record(article, by=by, kind=kind, note=note)


def publish(article: Article, *, by, at: datetime | None = None) -> Revision:
    """Publish the article now, or at `at` (a future time schedules it).

    An article already public keeps its publish time, and so its address.
    """
    if not can_publish(by):
        raise PermissionDenied(REFUSAL)
    if at is not None:
        article.publish_at = at
    elif not article.is_public:
        article.publish_at = now()
    article.status = Article.Status.PUBLISHED
    return save(article, by=by, checked=True)


def schedule(article: Article, *, by, at: datetime) -> Revision:
    """Publish the article at a future time."""
    if at <= timezone.now():
        raise ValidationError("A scheduled time must be in the future.")
    return publish(article, by=by, at=at)


def unpublish(article: Article, *, by) -> Revision:
    """Take the article off the public site; it becomes a draft again."""
    if not can_publish(by):
        raise PermissionDenied(REFUSAL)
    # Said, not inferred: an article made outside the newsroom has no earlier
    # revision to compare with.
    was_published = article.status == Article.Status.PUBLISHED
    article.status = Article.Status.DRAFT
    kind = Revision.Kind.UNPUBLISH if was_published else None
    return save(article, by=by, kind=kind, checked=True)


def restore(revision: Revision, *, by) -> revisions.Restored:
    """Bring back a revision's text as the article's newest one.

    Whether and when the article is public stays as it is: that is taken with
    Publish, not as a side effect of restoring text. Restoring changes what
    readers see of a published article, so it is an editor's, as publishing is.
    """
    check(revision.article, by=by)
    return revisions.restore(revision, by=by)


@dataclass
class New:
    """An article to add in bulk, with its tags and authors."""

    article: Article
    tags: Sequence[int] = field(default_factory=tuple)
    authors: Sequence[int] = field(default_factory=tuple)


def add_many(new: Sequence[New], *, by=OPERATOR, note: str = "") -> list[Article]:
    """Add many articles at once (an import): each as `save` would, in bulk.

    The bodies are sanitized and bound to the media library, publish times
    set, and each article gets its first revision, in a number of queries
    that doesn't grow with the number of articles.
    """
    if not new:
        return []
    for item in new:
        check(item.article, by=by, was_published=False)
        item.article.body = bind_images(clean_html(item.article.body))
        _prepare(item.article)
        if getattr(by, "pk", None):
            item.article.created_by = by
    with transaction.atomic():
        created = Article.objects.bulk_create([item.article for item in new])
        links = (
            (Article.tags.through, "tag_id", "tags"),
            (Article.authors.through, "author_id", "authors"),
        )
        for through, column, name in links:
            through.objects.bulk_create(
                [
                    through(article_id=article.pk, **{column: pk})
                    for article, item in zip(created, new, strict=True)
                    for pk in dict.fromkeys(getattr(item, name))
                ],
                batch_size=1000,
            )
        saved = (
            Article.objects.filter(pk__in=[a.pk for a in created])
            .select_related("section", "lead_image")
            .prefetch_related("authors", "tags")
        )
        Revision.objects.bulk_create(
            [
                Revision(
                    article=article,
                    number=1,
                    version=article.version,
                    kind=Revision.Kind.IMPORT
                    if by is OPERATOR
                    else revisions.kind_of(None, data),
                    note=note[:500],
                    data=data,
                    created_by=by if getattr(by, "pk", None) else None,
                )
                for article, data in ((a, revisions.snapshot(a)) for a in saved)
            ],
            batch_size=500,
        )
    return created
