"""Count reader views and rank articles by them."""

from __future__ import annotations

import re
from datetime import timedelta

from django.db.models import Sum
from django.utils import timezone

from newsdesk.content.models import Article

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


def most_popular(*, limit: int = 5, days: int = 7):
    """Return the published articles with the most views in the last `days` days."""
    since = timezone.localdate() - timedelta(days=days - 1)
    return (
        Article.objects.published()
        .filter(daily_views__day__gte=since)
        .annotate(recent_views=Sum("daily_views__views"))
        .filter(recent_views__gt=0)
        .select_related("section")
        .order_by("-recent_views", "-publish_at")[:limit]
    )
