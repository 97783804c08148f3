"""The address a request came from, read through trusted proxies only."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable, Mapping

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

logger = logging.getLogger(__name__)
# The warning about a proxy missing from the trusted ones is given once a process.
_warned_untrusted_proxy = False


def trusted_networks(proxies: Iterable[str]) -> list[Network] | None:
    """Parse proxy addresses and networks (`127.0.0.1`, `10.0.0.0/8`); `*` is all.

    Returns None for "trust every address", as gunicorn reads `*`.
    """
    networks: list[Network] = []
    for item in proxies:
        item = item.strip()
        if item == "*":
            return None
        if item:
            networks.append(ipaddress.ip_network(item, strict=False))
    return networks


def client_address(
    remote_addr: str, forwarded_for: str, trusted: list[Network] | None
) -> str:
    """Return the client's address: the first hop, from the right, not a proxy.

    `remote_addr` is the peer that connected; only when it is a trusted proxy is
    its `X-Forwarded-For` read, from the right (the entry the proxy added) to
    the left, while each hop is trusted too. A malformed entry ends the walk, so
    what a client writes into the header counts only behind proxies it can't
    reach past.
    """
    # A peer that is no IP address (a Unix socket) is no one's address.
    address = _parse(remote_addr.strip()) or ""
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    while hops and _is_trusted(address, trusted):
        hop = _parse(hops.pop())
        if hop is None:
            break
        address = hop
    return address


def address_of(meta: Mapping[str, str], trusted: list[Network] | None) -> str:
    """Return the client's address of a request from its WSGI environ (`META`)."""
    remote_addr = meta.get("REMOTE_ADDR") or ""
    forwarded_for = meta.get("HTTP_X_FORWARDED_FOR") or ""
    if forwarded_for:
        _warn_if_untrusted_proxy(remote_addr, trusted)
    return client_address(remote_addr, forwarded_for, trusted)


def network_key(address: str) -> str:
    """Return what counts as one client: an IPv4 address, or an IPv6 address's /64.

    One host usually holds a whole IPv6 /64 and can rotate through it. The /64
    is named by its first address, so the key still fits an IP address field.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def _warn_if_untrusted_proxy(remote_addr: str, trusted: list[Network] | None) -> None:
    """Warn once when a private or loopback peer forwards but isn't trusted.

    That peer is most likely the site's own proxy, listed wrongly: then every
    client has the proxy's address, and a few failed logins by anyone pause
    logging in for the whole newsroom.
    """
    global _warned_untrusted_proxy
    if _warned_untrusted_proxy:
        return
    peer = _parse(remote_addr.strip())
    if peer is None or _is_trusted(peer, trusted):
        return
    ip = ipaddress.ip_address(peer)
    if not (ip.is_private or ip.is_loopback):
        return
    _warned_untrusted_proxy = True
    logger.warning(
        "A request from %s carried X-Forwarded-For, but %s is not in "
        "NEWSDESK_PROXIES. If it is this site's proxy, add it: until then every "
        "client has the proxy's address, so failed logins by anyone pause logging "
        "in for everyone, and Most Popular counts them all as one address.",
        peer,
        peer,
    )


def _parse(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _is_trusted(address: str, trusted: list[Network] | None) -> bool:
    parsed = _parse(address)
    if parsed is None:
        return False
    if trusted is None:
        return True
    ip = ipaddress.ip_address(parsed)
    return any(ip in network for network in trusted)
