"""Count reader views and rank articles by them."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum

from newsdesk.content.models import Article
from newsdesk.popularity.models import HourlyViews, this_hour

# Crawlers, link previewers and command-line clients: their hits are not readers.
BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|"
    r"monitor|pingdom|lighthouse|curl|wget|python-requests|python-urllib|httpx|"
    r"go-http-client|java/|libwww|scrapy|feedfetcher|^$",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    """Tell whether a User-Agent belongs to a crawler or a script, not a reader."""
    return bool(BOT_PATTERN.search(user_agent.strip()))


def most_popular(*, limit: int = 5, hours: int | None = None) -> list[Article]:
    """Return the published articles most read in the last `hours` hours.

    The ranking is cached for a few minutes: views arrive in batches anyway.
    """
    hours = hours or settings.NEWSDESK_POPULAR_HOURS
    key = f"popular:{hours}:{limit}"
    ranked = cache.get(key)
    if ranked is None:
        since = this_hour() - timedelta(hours=hours - 1)
        ranked = list(
            HourlyViews.objects.filter(
                hour__gte=since, article__in=Article.objects.published()
            )
            .values("article")
            .annotate(total=Sum("views"))
            .filter(total__gt=0)
            .order_by("-total", "-article__publish_at")
            .values_list("article", "total")[:limit]
        )
        cache.set(key, ranked, settings.NEWSDESK_POPULAR_CACHE_SECONDS)
    if not ranked:
        return []
    # Fetched afresh: an article unpublished since the ranking was made drops out.
    found = (
        Article.objects.published()
        .select_related("section")
        .in_bulk([pk for pk, _ in ranked])
    )
    articles = []
    for pk, total in ranked:
        if pk in found:
            found[pk].recent_views = total
            articles.append(found[pk])
    return articles
