"""The view beacon: article pages report a reader's view here, cached or not."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from newsdesk.lib.clientaddress import client_address, trusted_networks
from newsdesk.popularity.counting import count_reader_view
from newsdesk.popularity.ranking import is_bot

# A 1×1 transparent GIF, for the no-JavaScript fallback.
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00"
    b"\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def reader_address(request: HttpRequest) -> str:
    """Return the reader's address; X-Forwarded-For counts from NEWSDESK_PROXIES."""
    return client_address(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        trusted_networks(settings.NEWSDESK_PROXIES),
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def beacon(request: HttpRequest, pk: str) -> HttpResponse:
    """Count one view of an article; unknown and unpublished ids are dropped later.

    Checking the id here would cost a query per view; the batch writer keeps only
    published articles, so a flood of made-up ids costs a buffer entry each.
    """
    user_agent = request.headers.get("User-Agent", "")
    if not is_bot(user_agent):
        count_reader_view(
            int(pk), address=reader_address(request), user_agent=user_agent
        )
    if request.method == "GET":
        return HttpResponse(PIXEL, content_type="image/gif")
    return HttpResponse(status=204)
