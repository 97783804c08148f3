"""The page widgets: top bar, latest strip, Read More, other content, tags, popular."""

from __future__ import annotations

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from newsdesk.content.models import Article, Tag
from newsdesk.popularity.ranking import most_popular
from newsdesk.web.weather import current_weather

register = template.Library()
RECENT_FOR_TAGS = 500


@register.inclusion_tag("web/widgets/top_bar.html")
def top_bar() -> dict:
    return {"today": timezone.localdate(), "weather": current_weather()}


SECTION_BLOCK_SIZE = 4


@register.inclusion_tag("web/widgets/front_page.html")
def front_page() -> dict:
    """Build the front page: the lead story, then a block per section."""
    published = Article.objects.published()
    lead = (
        published.featured().newest_first().for_listing().first()
        or published.newest_first().for_listing().first()
    )
    ranked = (
        published.newest_per_section(SECTION_BLOCK_SIZE + 1)
        .exclude(pk=lead.pk if lead else None)
        .for_listing()
        .order_by("section__position", "section__name", "-publish_at", "-pk")
    )
    blocks: dict = {}
    for article in ranked:
        block = blocks.setdefault(article.section, [])
        if len(block) < SECTION_BLOCK_SIZE:
            block.append(article)
    return {"lead": lead, "blocks": blocks.items()}


@register.inclusion_tag("web/widgets/latest_strip.html")
def latest_strip(count: int = 3) -> dict:
    articles = Article.objects.published().newest_first().select_related("section")
    return {"articles": articles[:count]}


@register.inclusion_tag("web/widgets/read_more.html")
def read_more(article: Article, count: int = 4) -> dict:
    published = Article.objects.published().exclude(pk=article.pk).newest_first()
    # Two small index walks instead of one OR across a join over every article.
    sharing_tags = published.filter(tags__in=article.tags.all()).values("pk")[:count]
    same_section = published.filter(section_id=article.section_id).values("pk")[:count]
    related = (
        Article.objects.filter(Q(pk__in=sharing_tags) | Q(pk__in=same_section))
        .newest_first()
        .select_related("section")
    )
    return {"articles": related[:count]}


@register.inclusion_tag("web/widgets/other_content.html")
def other_content(article: Article | None = None, count: int = 4) -> dict:
    articles = Article.objects.published().newest_first().select_related("section")
    if article is not None:
        articles = articles.exclude(section_id=article.section_id)
    return {"articles": articles[:count]}


@register.inclusion_tag("web/widgets/tags.html")
def tag_list(article: Article | None = None, count: int = 20) -> dict:
    if article is not None:
        return {"tags": article.tags.all()}
    # The tags of recent news, not of the whole archive: cheap at any size.
    recent = Article.objects.published().newest_first().values("pk")[:RECENT_FOR_TAGS]
    tags = (
        Tag.objects.filter(articles__in=recent)
        .annotate(uses=Count("articles"))
        .order_by("-uses", "name")
    )
    return {"tags": tags[:count]}


@register.inclusion_tag("web/widgets/most_popular.html")
def popular(count: int = 5) -> dict:
    return {"articles": most_popular(limit=count)}


@register.filter
def iso(value):
    """Format a datetime for a `datetime` attribute: local time, whole seconds."""
    if not value:
        return ""
    return timezone.localtime(value).isoformat(timespec="seconds")
