"""The address a request came from, read through trusted proxies only."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


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
    address = remote_addr.strip()
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    while hops and _is_trusted(address, trusted):
        hop = _parse(hops.pop())
        if hop is None:
            break
        address = hop
    return address


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
