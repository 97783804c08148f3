"""What search engines and social sites read about a page.

One `PageMeta` per page: its canonical address on the site's own domain
(NEWSDESK_SITE_URL, never the request's Host), the OpenGraph and Twitter card
fields, and the schema.org JSON-LD (NewsArticle, BreadcrumbList, WebSite).
`templates/web/includes/meta.html` writes it into the page's head.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import to_locale

from newsdesk.content.models import Article
from newsdesk.lib.text import truncate

# As Django's json_script: nothing in the data can end the <script> element.
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
DESCRIPTION_CHARS = 157


@dataclass(frozen=True)
class Image:
    url: str
    width: int | None = None
    height: int | None = None
    alt: str = ""


@dataclass
class PageMeta:
    title: str
    description: str
    canonical: str
    image: Image
    kind: str = "website"
    article: Article | None = None
    published: str = ""
    modified: str = ""
    structured: list[dict] = field(default_factory=list)

    @property
    def card(self) -> str:
        return "summary_large_image" if (self.image.width or 0) >= 600 else "summary"

    @property
    def jsonld(self) -> SafeString:
        data = {"@context": "https://schema.org", "@graph": self.structured}
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return mark_safe(text.translate(JSON_ESCAPES))  # noqa: S308 (escaped above)


def absolute(path_or_url: str) -> str:
    """Return an address on the site's own domain (absolute URLs pass through)."""
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return settings.NEWSDESK_SITE_URL + path_or_url


def asset(setting: str) -> str:
    """Return the absolute URL of an image setting: a URL or a static path."""
    if setting.startswith(("http://", "https://", "/")):
        return absolute(setting)
    return absolute(static(setting))


def iso(moment: datetime) -> str:
    """Write a time in ISO 8601 with the site's UTC offset."""
    local = timezone.localtime(moment, timezone.get_default_timezone())
    return local.isoformat(timespec="seconds")


def language() -> str:
    """Return the site's language as BCP 47, e.g. en-US."""
    return to_locale(settings.LANGUAGE_CODE).replace("_", "-")


def short(text: str) -> str:
    return truncate(" ".join(text.split()), words=40, chars=DESCRIPTION_CHARS)


def share_image() -> Image:
    if settings.NEWSDESK_SHARE_IMAGE == "newsdesk/share.png":
        return Image(asset(settings.NEWSDESK_SHARE_IMAGE), 1200, 630)
    return Image(asset(settings.NEWSDESK_SHARE_IMAGE))


def home_url() -> str:
    return absolute(reverse("web:front"))


def publisher() -> dict:
    logo = {"@type": "ImageObject", "url": asset(settings.NEWSDESK_SITE_LOGO)}
    if settings.NEWSDESK_SITE_LOGO == "newsdesk/logo.png":
        logo |= {"width": 600, "height": 60}
    return {
        "@type": "NewsMediaOrganization",
        "@id": home_url() + "#publisher",
        "name": settings.NEWSDESK_SITE_NAME,
        "url": home_url(),
        "logo": logo,
    }


def website() -> dict:
    return {
        "@type": "WebSite",
        "@id": home_url() + "#website",
        "url": home_url(),
        "name": settings.NEWSDESK_SITE_NAME,
        "description": settings.NEWSDESK_SITE_DESCRIPTION,
        "inLanguage": language(),
        "publisher": {"@id": home_url() + "#publisher"},
        "potentialAction": {
            "@type": "SearchAction",
            "target": absolute(reverse("web:search")) + "?q={search_term_string}",
            "query-input": "required name=search_term_string",
        },
    }


def breadcrumbs(*trail: tuple[str, str]) -> dict:
    """Build a BreadcrumbList from (name, address) pairs, the home page first."""
    items = [("Home", home_url()), *trail]
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": url}
            for n, (name, url) in enumerate(items, start=1)
        ],
    }


def for_front() -> PageMeta:
    return PageMeta(
        title=settings.NEWSDESK_SITE_NAME,
        description=settings.NEWSDESK_SITE_DESCRIPTION,
        canonical=home_url(),
        image=share_image(),
        structured=[publisher(), website()],
    )


def for_archive(
    *, kind: str, heading: str, description: str, path: str, page_number: int
) -> PageMeta:
    canonical = absolute(path) + (f"?page={page_number}" if page_number > 1 else "")
    return PageMeta(
        title=f"{heading} | {settings.NEWSDESK_SITE_NAME}",
        description=short(description) or f"{kind} {heading}: the latest articles.",
        canonical=canonical,
        image=share_image(),
        structured=[
            {
                "@type": "CollectionPage",
                "@id": canonical,
                "url": canonical,
                "name": heading,
                "isPartOf": {"@id": home_url() + "#website"},
                "inLanguage": language(),
            },
            breadcrumbs((heading, absolute(path))),
            publisher(),
            website(),
        ],
    )


def article_image(article: Article) -> Image:
    if not article.lead_image:
        return share_image()
    # The largest rendition: big enough for cards, far lighter than the original.
    large = article.lead_image.largest()
    return Image(
        absolute(large["url"]),
        large["width"],
        large["height"],
        article.lead_image.alt,
    )


def for_article(article: Article) -> PageMeta:
    """Describe a published article: OpenGraph article, NewsArticle, breadcrumbs."""
    canonical = absolute(article.get_absolute_url())
    image = article_image(article)
    authors = [
        {"@type": "Person", "name": a.name, "url": absolute(a.get_absolute_url())}
        for a in article.authors.all()
    ]
    section_url = absolute(article.section.get_absolute_url())
    news = {
        "@type": "NewsArticle",
        "@id": canonical + "#article",
        "headline": truncate(article.title, words=40, chars=107),
        "description": short(article.teaser),
        "url": canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "datePublished": iso(article.publish_at),
        "dateModified": iso(article.last_changed),
        # With no byline, the publication itself is the author.
        "author": authors or [{"@id": home_url() + "#publisher"}],
        "publisher": {"@id": home_url() + "#publisher"},
        "image": [
            {
                "@type": "ImageObject",
                "url": image.url,
                **({"width": image.width} if image.width else {}),
                **({"height": image.height} if image.height else {}),
            }
        ],
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tags.all()],
        "inLanguage": language(),
        "isAccessibleForFree": True,
        "isPartOf": {"@id": home_url() + "#website"},
    }
    # The newsroom's words for search engines, when it gave some.
    description = article.seo_description.strip() or short(article.teaser)
    news["description"] = description
    return PageMeta(
        title=article.seo_title.strip() or article.title,
        description=description,
        canonical=canonical,
        image=image,
        kind="article",
        article=article,
        published=news["datePublished"],
        modified=news["dateModified"],
        structured=[
            news,
            breadcrumbs(
                (article.section.name, section_url), (article.title, canonical)
            ),
            publisher(),
            website(),
        ],
    )
