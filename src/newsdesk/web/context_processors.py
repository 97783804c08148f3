from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from newsdesk.content.models import Section


def site(request: HttpRequest) -> dict:
    """Give every template the site's name and its sections for the navigation."""
    return {
        "site_name": settings.NEWSDESK_SITE_NAME,
        "site_url": settings.NEWSDESK_SITE_URL,
        "nav_sections": Section.objects.all(),
    }
