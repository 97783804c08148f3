"""The view beacon: article pages report a reader's view here, cached or not."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from newsdesk.popularity.counting import count_reader_view, is_published
from newsdesk.popularity.ranking import is_bot
from newsdesk.proxies import request_address

# A 1×1 transparent GIF, for the no-JavaScript fallback.
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00"
    b"\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def beacon(request: HttpRequest, pk: str) -> HttpResponse:
    """Count one view of a published article; other ids are dropped at once.

    Nothing is stored for an id that is not a published article, so made-up ids
    don't fill the buffer or Redis with readers.
    """
    user_agent = request.headers.get("User-Agent", "")
    if not is_bot(user_agent) and is_published(int(pk)):
        count_reader_view(
            int(pk), address=request_address(request), user_agent=user_agent
        )
    if request.method == "GET":
        return HttpResponse(PIXEL, content_type="image/gif")
    return HttpResponse(status=204)
