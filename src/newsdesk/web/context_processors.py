from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import to_locale

from newsdesk.content.models import Section
from newsdesk.delivery import generation


def site(request: HttpRequest) -> dict:
    """Give every template the site's name, its sections, and the content state.

    `content_state` keys the page's fragment caches ({% cache %}): it changes with
    any change readers could see, so a cached fragment is never stale.
    """
    return {
        "site_name": settings.NEWSDESK_SITE_NAME,
        "site_url": settings.NEWSDESK_SITE_URL,
        "site_description": settings.NEWSDESK_SITE_DESCRIPTION,
        "meta_locale": to_locale(settings.LANGUAGE_CODE),
        "twitter_site": settings.NEWSDESK_TWITTER_SITE,
        "nav_sections": Section.objects.all(),
        **_fragment_keys(request),
    }


def content_state(request: HttpRequest) -> str | None:
    """Return the request's content state, or None when fragments aren't cached."""
    if not settings.NEWSDESK_FRAGMENT_CACHE:
        return None
    return generation.state_for(request.META)


def _fragment_keys(request: HttpRequest) -> dict:
    state = content_state(request)
    return {
        "content_state": state or "unknown",
        # Without a known state nothing may be cached: a timeout of 0 stores nothing.
        "fragment_seconds": settings.NEWSDESK_PAGE_CACHE_SECONDS if state else 0,
        # Most Popular moves with reader views, not content: refresh it on a clock.
        "popular_period": int(
            time.time() // max(1, settings.NEWSDESK_POPULAR_CACHE_SECONDS)
        ),
    }
