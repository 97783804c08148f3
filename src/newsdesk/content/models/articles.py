"""Sections, tags, authors and articles, and the one rule of what is public."""

from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from contextvars import ContextVar
from datetime import datetime
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Greatest
from django.urls import URLResolver, get_resolver, get_urlconf, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField

from newsdesk.content.changes import BULK_PKS_LIMIT, announce
from newsdesk.lib.markup import clean_html, html_to_text
from newsdesk.lib.text import truncate
from newsdesk.media.body import bind_images

EDITOR_EXTENSIONS = {
    "Paragraph": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "Bold": True,
    "Italic": True,
    "Link": {"enableTarget": False},
    "HardBreak": True,
    "History": True,
    # Images come from the media library: "Browse..." opens its picker, and on
    # save any image not in the library is dropped (newsdesk.media.body).
    "Figure": {"pickerUrl": "/desk/media/image/picker/"},
    "Image": True,
    "Caption": True,
    # Typing over a selected picture goes after its figure (settings.py).
    "FigureKeeper": True,
}


class ContentQuerySet(models.QuerySet):
    """Bulk writes, which skip save() and its signals, still announce the change.

    Each call sends content_changed once, after the commit, with the rows' keys.
    """

    def update(self, **kwargs) -> int:
        if _in_bulk_update.get():
            return super().update(**kwargs)  # bulk_update() announces once.
        # Read before the update: it may change what the filter matches.
        keys = list(self.values_list("pk", flat=True)[: BULK_PKS_LIMIT + 1])
        rows = super().update(**kwargs)
        if rows:
            pks = tuple(keys) if len(keys) <= BULK_PKS_LIMIT else None
            announce(self.model, pks=pks)
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            self._announce_objects(created)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs) -> int:
        objs = list(objs)
        token = _in_bulk_update.set(True)
        try:
            rows = super().bulk_update(objs, fields, *args, **kwargs)
        finally:
            _in_bulk_update.reset(token)
        if rows:
            self._announce_objects(objs)
        return rows

    def _announce_objects(self, objs) -> None:
        pks = tuple(obj.pk for obj in objs)
        # Without RETURNING (ignore_conflicts, say) created rows have no key here.
        announce(self.model, pks=None if None in pks else pks)


# Set while bulk_update() runs the update() calls it is made of.
_in_bulk_update: ContextVar[bool] = ContextVar("in_bulk_update", default=False)


class EditConflict(Exception):
    """Raised when an article is saved on top of a version its editor never saw."""

    def __init__(self, article: Article) -> None:
        super().__init__(
            f"Article {article.pk} changed since version {article.version} was loaded"
        )
        self.article = article


def reserved_slugs() -> frozenset[str]:
    """Return the top-level paths the site answers itself: no section may take one.

    Read from the URL configuration (and the static and media addresses), so a
    new top-level page is reserved the moment it is routed.
    """
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reserved_slugs(urlconf, settings.STATIC_URL, settings.MEDIA_URL)


@lru_cache(maxsize=8)
def _reserved_slugs(urlconf, *served: str | None) -> frozenset[str]:
    slugs = set(_first_segments(get_resolver(urlconf).url_patterns))
    for url in served:
        parts = urlsplit(url or "")
        if not parts.netloc and parts.path.strip("/"):
            slugs.add(parts.path.strip("/").split("/")[0])
    return frozenset(slugs)


# The literal first segment of a regex route: `^media/...` gives "media"; a route
# that starts with a group (`^(?P<section>...`) gives none.
REGEX_START = re.compile(r"\^?((?:[\w~-]|\\[.-])*)(?:/|\$|\\Z|$)")


def _first_segments(patterns) -> Iterator[str]:
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            head = str(pattern).split("/")[0]
            first = None if "<" in head else head
        elif isinstance(pattern, RegexPattern):
            found = REGEX_START.match(str(pattern))
            first = found and found[1].replace("\\", "")
        else:
            first = None  # A language prefix, say: not a fixed path.
        if first:
            yield first
        elif first == "" and isinstance(entry, URLResolver):
            yield from _first_segments(entry.url_patterns)


class _ReservedSlugs(AbstractSet):
    """The reserved slugs as a set, read afresh on each use (see reserved_slugs)."""

    def __contains__(self, value) -> bool:
        return value in reserved_slugs()

    def __iter__(self):
        return iter(reserved_slugs())

    def __len__(self) -> int:
        return len(reserved_slugs())

    @classmethod
    def _from_iterable(cls, iterable):
        return frozenset(iterable)


RESERVED_SLUGS = _ReservedSlugs()


def validate_section_slug(value: str) -> None:
    if value in reserved_slugs():
        raise ValidationError(f"“{value}” is used by the site itself; pick another.")


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        allow_unicode=True,
        validators=[validate_section_slug],
    )
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Sections are listed by this number, smallest first."
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("web:section", args=[self.slug])


class Tag(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("web:tag", args=[self.slug])


class Author(models.Model):
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True, allow_unicode=True)
    bio = models.TextField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text="The newsroom account that writes as this author.",
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("web:author", args=[self.slug])


class ArticleQuerySet(ContentQuerySet):
    # Bulk writes skip save(), so they sanitize the body themselves. (Binding its
    # images to the library stays save()'s: importers update bodies whose images
    # are still on their way.)
    def update(self, **kwargs) -> int:
        # Inside bulk_update() the bodies are cleaned already, and one CASE.
        if "body" in kwargs and not _in_bulk_update.get():
            if not isinstance(kwargs["body"], str):
                raise TypeError("A bulk update sets an article body to text only.")
            kwargs["body"] = clean_html(kwargs["body"])
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs) -> int:
        objs = list(objs)
        if "body" in fields:
            for article in objs:
                article.body = clean_html(article.body)
        return super().bulk_update(objs, fields, *args, **kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for article in objs:
            article.body = clean_html(article.body)
        return super().bulk_create(objs, *args, **kwargs)

    def published(self, *, at: datetime | None = None) -> ArticleQuerySet:
        """Return the articles readers may see: published, publish time reached."""
        return self.filter(
            status=Article.Status.PUBLISHED, publish_at__lte=at or timezone.now()
        )

    def in_section(self, section: Section) -> ArticleQuerySet:
        """Return the articles of one section."""
        return self.filter(section=section)

    def tagged(self, tag: Tag) -> ArticleQuerySet:
        """Return the articles with the tag."""
        return self.filter(tags=tag)

    def by(self, author: Author) -> ArticleQuerySet:
        """Return the articles the author wrote or co-wrote."""
        return self.filter(authors=author)

    def featured(self) -> ArticleQuerySet:
        """Return the articles editors chose as lead stories."""
        # `featured=True` becomes a bare `AND featured` on SQLite, which its planner
        # can't match to the (featured, status, publish_at) index; `IN` it can.
        return self.filter(featured__in=[True])

    def newest_first(self) -> ArticleQuerySet:
        """Order by publish time, newest first."""
        return self.order_by("-publish_at", "-pk")

    def newest_per_section(self, count: int) -> ArticleQuerySet:
        """Return the `count` newest published articles of every section.

        One statement whatever the number of sections, each part walking the
        (section, status, publish_at) index, so it costs the same at a thousand
        articles or a million.
        """
        sections = list(Section.objects.values_list("pk", flat=True))
        if not sections:
            return self.none()
        public = self.published(at=timezone.now())
        # SQLite takes no LIMIT in a part of a UNION, but does in an IN inside it.
        parts = [
            Article.objects.filter(
                pk__in=public.filter(section=pk).newest_first().values("pk")[:count]
            )
            .order_by()
            .values("pk")
            for pk in sections
        ]
        newest = parts[0].union(*parts[1:], all=True)
        # Public by construction. Repeating the conditions would lead SQLite to
        # walk the (status, publish_at) index instead of the primary key.
        return Article.objects.filter(pk__in=newest)

    def for_listing(self) -> ArticleQuerySet:
        """Fetch what a teaser shows (section, authors) without a query per row."""
        return self.select_related("section", "lead_image").prefetch_related("authors")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=250)
    slug = models.SlugField(
        max_length=250,
        unique=True,
        allow_unicode=True,
        help_text="The last part of the article's address. Changing it after "
        "publishing keeps the old address working as a redirect.",
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="articles"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    authors = models.ManyToManyField(Author, blank=True, related_name="articles")
    standfirst = models.TextField(
        blank=True,
        help_text="One or two sentences under the headline. When empty, the "
        "excerpt comes from the body.",
    )
    body = ProseEditorField(extensions=EDITOR_EXTENSIONS, sanitize=clean_html)
    lead_image = models.ForeignKey(
        "media.Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_of",
        help_text="From the media library, with its alt text, caption and credit.",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        "publish time",
        null=True,
        blank=True,
        db_index=True,
        help_text="A future time schedules the article. Empty means now, on publish.",
    )
    seo_title = models.CharField(
        "title for search engines",
        max_length=200,
        blank=True,
        help_text="Optional. The page's title in search results and on social "
        "sites, in place of the headline and the site's name.",
    )
    seo_description = models.CharField(
        "description for search engines",
        max_length=320,
        blank=True,
        help_text="Optional. The summary under the title in search results and "
        "on social sites, in place of the standfirst.",
    )
    featured = models.BooleanField(
        "lead story",
        default=False,
        help_text="Show as the lead story on the front page (the newest one wins).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: each save claims the next version, and a save based
    # on an older one is refused (EditConflict) instead of overwriting.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-pk"]
        indexes = [
            # Covers the sitemap index's count and last change per month.
            models.Index(fields=["status", "publish_at", "updated_at"]),
            # The front page's section blocks and lead story, at any archive size.
            models.Index(fields=["section", "status", "publish_at"]),
            models.Index(fields=["featured", "status", "publish_at"]),
        ]
        permissions = [("publish_article", "Can publish and unpublish articles")]
        constraints = [
            # The publishing module sets the time; a write that bypasses it
            # fails here instead of storing an article that is never public.
            models.CheckConstraint(
                condition=~models.Q(status="published")
                | models.Q(publish_at__isnull=False),
                name="published_article_has_publish_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Sanitize on every write path, not only in forms.
        self.body = bind_images(clean_html(self.body))
        if self._state.adding:
            super().save(*args, **kwargs)
            return
        with transaction.atomic():
            # The base manager: claiming a version is not a content change.
            claimed = (
                Article._base_manager.filter(pk=self.pk, version=self.version)
                .update(version=models.F("version") + 1)
            )  # fmt: skip
            if not claimed:
                raise EditConflict(self)
            self.version += 1
            try:
                super().save(*args, **kwargs)
            except BaseException:
                self.version -= 1
                raise

    def get_absolute_url(self) -> str:
        # The site's time zone, whatever zone a request may have activated.
        local = timezone.localtime(
            self.publish_at or timezone.now(), timezone.get_default_timezone()
        )
        return reverse(
            "web:article",
            kwargs={
                "section": self.section.slug,
                "year": local.year,
                "month": f"{local.month:02d}",
                "day": f"{local.day:02d}",
                "slug": self.slug,
            },
        )

    def validate_constraints(self, exclude=None) -> None:
        # A form's empty publish time means "now, on publish": the publishing
        # module sets it when it saves, after validation.
        if self.publish_at is None:
            exclude = {*(exclude or ()), "publish_at"}
        super().validate_constraints(exclude=exclude)

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )

    def excerpt(self, words: int = 7) -> str:
        """Return the standfirst, or the body's first words, cut at a word."""
        if self.standfirst:
            return truncate(self.standfirst, words=words, chars=words * 12)
        # The first words only need the start of the body, not all of it.
        start = html_to_text(self.body[: words * 60 + 500])
        return truncate(start, words=words, chars=words * 12)

    @property
    def short_excerpt(self) -> str:
        return self.excerpt(7)

    @property
    def teaser(self) -> str:
        return self.excerpt(30)

    @property
    def last_changed(self) -> datetime:
        """Return when the article last changed for readers.

        Its last save, or its going live if that came later: a scheduled article
        is not "modified" before readers could see it.
        """
        return max(self.updated_at, self.publish_at)

    @staticmethod
    def last_changed_sql() -> Greatest:
        """Return `last_changed` as a database expression, for queries."""
        return Greatest("updated_at", "publish_at")

    @property
    def was_updated(self) -> bool:
        """Tell whether the article changed meaningfully after it was published."""
        return bool(
            self.publish_at
            and (self.updated_at - self.publish_at).total_seconds() > 600
        )
