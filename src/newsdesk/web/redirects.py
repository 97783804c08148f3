"""Answer an article's old addresses with a permanent redirect.

One lookup for every old address (`content.Redirect`): a published article's
earlier slug, section or date, and the addresses imported articles had on the
old site, including WordPress's `/?p=ID`.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from newsdesk.content.models import Redirect
from newsdesk.content.models.redirects import ID_PARAMETERS


def _redirect(key: str | None) -> HttpResponse | None:
    article = Redirect.objects.target(key) if key else None
    if article is None:
        return None
    return HttpResponsePermanentRedirect(article.get_absolute_url())


class RedirectMiddleware:
    """Redirect `/?p=ID`, and old addresses that nothing else on the site answers."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reading = request.method in ("GET", "HEAD")
        if reading and request.path == "/":
            # The root is the front page, never a 404: its old queries go first.
            for name in ID_PARAMETERS:
                value = request.GET.get(name, "")
                if value.isdigit():
                    moved = _redirect(f"?{name}={int(value)}")
                    if moved is not None:
                        return moved
        response = self.get_response(request)
        if reading and response.status_code == 404:
            return _redirect(request.path.rstrip("/")) or response
        return response
