"""Security headers on every answer: Content-Security-Policy and Permissions-Policy.

Django 5.2 has no CSP of its own (6.0 does); the policy is read from
`SECURE_CSP`, in the shape Django 6.0 reads, so moving to its middleware later
is a matter of deleting this one. No nonces: whole pages are cached and shared,
and a nonce in a shared page would be no secret. Scripts come from files; the
one inline script the newsroom carries (the editor's import map) and the one
style element its editor adds are allowed by their hashes.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

FRAME_ANCESTORS = {"DENY": "'none'", "SAMEORIGIN": "'self'"}
# The base style Tiptap (inside django-prose-editor 0.28.0) puts in a <style>
# element of its own. A new version may change it: the browser test
# (web/tests/test_csp_browser.py) then fails with the new hash in its message.
DESK_STYLES = ("'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='",)


def script_hash(text: str) -> str:
    """Return the CSP source that allows one inline script or style by content."""
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


@cache
def media_origin() -> str | None:
    """Return the origin uploads are served from, when it isn't the site's own."""
    from django.core.files.storage import default_storage

    try:
        address = urlsplit(default_storage.url("csp-probe.webp"))
    except Exception:  # A storage that can't say (no credentials yet): no origin.
        logger.warning("No media address for the Content-Security-Policy")
        return None
    if address.scheme in ("http", "https") and address.netloc:
        return f"{address.scheme}://{address.netloc}"
    return None


@cache
def desk_inline_scripts() -> tuple[str, ...]:
    """Return the hashes of the newsroom's inline scripts: the editor's import map.

    django-prose-editor loads its modules through an import map, which browsers
    take only inline. Its content is fixed for a release (the static files'
    addresses), so its hash is computed once from the same object the widget
    renders.
    """
    from django_prose_editor.widgets import importmap

    content = re.fullmatch(r"<script[^>]*>(.*)</script>", str(importmap), re.S)
    return (script_hash(content.group(1)),) if content else ()


def build_policy(*, desk: bool, frame_options: str) -> str:
    directives = {name: list(sources) for name, sources in settings.SECURE_CSP.items()}
    origin = media_origin()
    if origin:
        directives.setdefault("img-src", ["'self'"]).append(origin)
    if desk:
        directives.setdefault("script-src", ["'self'"]).extend(desk_inline_scripts())
        directives.setdefault("style-src", ["'self'"]).extend(DESK_STYLES)
    ancestors = FRAME_ANCESTORS.get(frame_options.upper())
    if ancestors:
        directives["frame-ancestors"] = [ancestors]
    return "; ".join(
        " ".join([name, *dict.fromkeys(sources)])
        for name, sources in directives.items()
    )


@cache
def policy(desk: bool, frame_options: str) -> str:
    return build_policy(desk=desk, frame_options=frame_options)


def policy_with_styles(page: str) -> str:
    """Return the public policy, allowing the <style> elements of one of our pages.

    Only for pages made from templates alone (the error pages, which load
    nothing): a page with readers' or editors' text in it must not be hashed.
    """
    if not settings.SECURE_CSP:
        return ""
    styles = re.findall(r"<style>(.*?)</style>", page, re.S)
    public = policy(False, settings.X_FRAME_OPTIONS)
    hashes = " ".join(script_hash(style) for style in styles)
    return re.sub(r"style-src ([^;]*)", rf"style-src \1 {hashes}", public, count=1)


def permissions_policy() -> str:
    return ", ".join(
        f"{feature}=({' '.join(allowed)})"
        for feature, allowed in settings.PERMISSIONS_POLICY.items()
    )


@receiver(setting_changed)
def _forget_policies(**kwargs) -> None:
    policy.cache_clear()
    media_origin.cache_clear()


class SecurityHeadersMiddleware:
    """Add the Content-Security-Policy and Permissions-Policy to every answer.

    Placed above XFrameOptionsMiddleware, so frame-ancestors follows the
    X-Frame-Options each answer ends up with. A view that sets its own policy
    keeps it.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.SECURE_CSP and "Content-Security-Policy" not in response:
            desk = request.path_info.startswith("/desk/") and not (
                request.path_info.startswith("/desk/preview/")
            )
            frame_options = response.get("X-Frame-Options", "")
            response["Content-Security-Policy"] = policy(desk, frame_options)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", permissions_policy())
        return response
