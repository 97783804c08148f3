"""The client's address of a request, read through NEWSDESK_PROXIES."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

from newsdesk.lib.clientaddress import Network, address_of, trusted_networks


def request_address(request: HttpRequest) -> str:
    """Return the client's address; X-Forwarded-For counts from NEWSDESK_PROXIES."""
    return address_of(request.META, _trusted(tuple(settings.NEWSDESK_PROXIES)))


@lru_cache(maxsize=4)
def _trusted(proxies: tuple[str, ...]) -> list[Network] | None:
    # Parsed once per process (settings.py has checked them already).
    return trusted_networks(proxies)
