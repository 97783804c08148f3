"""RSS 2.0 and Atom feeds: the whole site, and each section, tag and author."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from newsdesk.content.models import Article, Author, Section, Tag
from newsdesk.delivery.pagecache import cached_page
from newsdesk.web.seo import absolute

ITEMS = 20
# XML 1.0 allows no control characters but tab, newline and carriage return.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return NOT_XML.sub("", text or "")


# Every feed below inherits the declaration: cached, reading no query parameter.
@cached_page()
class LatestFeed(Feed):
    """The newest published articles of the whole site.

    Every address is on the site's own domain (NEWSDESK_SITE_URL), not the Host
    the request came with: Django's add_domain leaves absolute URLs alone.
    """

    description_template = None
    url_name = "web:feed"

    def title(self, obj=None) -> str:
        return settings.NEWSDESK_SITE_NAME

    def link(self, obj=None) -> str:
        return absolute("/")

    def feed_url(self, obj=None) -> str:
        return absolute(reverse(self.url_name, args=[obj.slug] if obj else []))

    def description(self, obj=None) -> str:
        return f"The latest from {settings.NEWSDESK_SITE_NAME}"

    def articles(self, obj=None):
        return Article.objects.published()

    def items(self, obj=None):
        return (
            self.articles(obj)
            .newest_first()
            .select_related("section", "lead_image")
            .prefetch_related("tags", "authors")[:ITEMS]
        )

    def item_title(self, item: Article) -> str:
        return xml_safe(item.title)

    def item_description(self, item: Article) -> str:
        if settings.NEWSDESK_FEED_FULL_CONTENT:
            return xml_safe(item.body)
        return xml_safe(item.teaser)

    def item_link(self, item: Article) -> str:
        return absolute(item.get_absolute_url())

    def item_guid(self, item: Article) -> str:
        # Stable whatever the slug or section becomes.
        return f"{settings.NEWSDESK_SITE_URL}/#article-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Article):
        return item.publish_at

    def item_updateddate(self, item: Article):
        return item.last_changed

    def item_author_name(self, item: Article) -> str | None:
        names = [xml_safe(author.name) for author in item.authors.all()]
        return ", ".join(names) or None

    def item_categories(self, item: Article) -> list[str]:
        return [xml_safe(item.section.name)] + [
            xml_safe(t.name) for t in item.tags.all()
        ]

    # The enclosure is the lead image as uploaded (cleaned of EXIF), whose size
    # the library keeps, so a feed needs no look at the storage.
    def item_enclosure_url(self, item: Article) -> str | None:
        return absolute(item.lead_image.url) if item.lead_image else None

    def item_enclosure_length(self, item: Article) -> int:
        return item.lead_image.size if item.lead_image else 0

    def item_enclosure_mime_type(self, item: Article) -> str:
        return item.lead_image.mime_type if item.lead_image else ""


class LatestAtomFeed(LatestFeed):
    feed_type = Atom1Feed
    url_name = "web:feed-atom"

    def subtitle(self, obj=None) -> str:
        return self.description(obj)


class SectionFeed(LatestFeed):
    url_name = "web:section-feed"

    def get_object(self, request, slug: str) -> Section:
        return get_object_or_404(Section, slug=slug)

    def title(self, obj=None) -> str:
        return f"{xml_safe(obj.name)} | {settings.NEWSDESK_SITE_NAME}"

    def link(self, obj=None) -> str:
        return absolute(obj.get_absolute_url())

    def description(self, obj=None) -> str:
        return f"The latest in {xml_safe(obj.name)}"

    def articles(self, obj=None):
        return Article.objects.published().in_section(obj)


class TagFeed(SectionFeed):
    url_name = "web:tag-feed"

    def get_object(self, request, slug: str) -> Tag:
        return get_object_or_404(Tag, slug=slug)

    def articles(self, obj=None):
        return Article.objects.published().tagged(obj)


class AuthorFeed(SectionFeed):
    url_name = "web:author-feed"

    def get_object(self, request, slug: str) -> Author:
        return get_object_or_404(Author, slug=slug)

    def description(self, obj=None) -> str:
        return f"The latest by {xml_safe(obj.name)}"

    def articles(self, obj=None):
        return Article.objects.published().by(obj)


class SectionAtomFeed(SectionFeed):
    feed_type = Atom1Feed
    url_name = "web:section-feed-atom"


class TagAtomFeed(TagFeed):
    feed_type = Atom1Feed
    url_name = "web:tag-feed-atom"


class AuthorAtomFeed(AuthorFeed):
    feed_type = Atom1Feed
    url_name = "web:author-feed-atom"
