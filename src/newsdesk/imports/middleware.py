"""Answer an imported article's old addresses with a permanent redirect."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from newsdesk.content.models import Article
from newsdesk.imports.models import OldAddress

# WordPress answers these on its root whatever the permalink structure.
ID_PARAMETERS = ("p", "page_id")


def normalize(url: str) -> str | None:
    """Return the key an old address is stored under, or None for the bare root.

    `http://old.example/2010/10/hello/` → `/2010/10/hello`; `http://old/?p=12` →
    `?p=12`.
    """
    parts = urlsplit(url.strip())
    path = unquote(parts.path).rstrip("/")
    if path:
        return path
    query = dict(pair.split("=", 1) for pair in parts.query.split("&") if "=" in pair)
    for name in ID_PARAMETERS:
        if query.get(name, "").isdigit():
            return f"?{name}={int(query[name])}"
    return None


def _redirect(key: str) -> HttpResponse | None:
    found = (
        OldAddress.objects.filter(path=key, article__in=Article.objects.published())
        .select_related("article__section")
        .first()
    )
    if found is None:
        return None
    return HttpResponsePermanentRedirect(found.article.get_absolute_url())


class OldAddressMiddleware:
    """Redirect `/?p=ID` and old permalinks that nothing else on the site answers."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/" and request.method in ("GET", "HEAD"):
            for name in ID_PARAMETERS:
                value = request.GET.get(name, "")
                if value.isdigit():
                    moved = _redirect(f"?{name}={int(value)}")
                    if moved is not None:
                        return moved
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            key = request.path.rstrip("/")
            if key:
                return _redirect(key) or response
        return response
