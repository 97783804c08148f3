"""Read a source given as a URL or a file, with limits.

Addresses from the web are fetched with rules that keep an import from being
turned against this machine or its network: http(s) only; each host resolved
once, its addresses checked, and the connection made to the address checked
(so a second DNS answer can't swap in another); redirects followed here, a few
at most, each hop checked the same way; one deadline for the whole download and a
size cap. Whatever goes wrong below HTTP (refused, reset, silent, too slow, not
HTTP at all) gives the same message, so reports don't tell which ports answer.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import os
import socket
import ssl
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from newsdesk.imports.types import ImportRefused

#: Seconds for a whole download, redirects included.
DEADLINE = 30
MAX_BYTES = 50 * 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = "Newsdesk importer"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: Says whether a resolved address (and port) may be connected to.
AddressPolicy = Callable[[IPAddress, int], bool]

# Cloud metadata services on addresses that the checks below would not all
# catch by their kind (most are link-local or private already).
METADATA = {
    ipaddress.ip_address("169.254.169.254"),
    ipaddress.ip_address("169.254.170.2"),
    ipaddress.ip_address("100.100.100.200"),
    ipaddress.ip_address("fd00:ec2::254"),
}
NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def public_only(address: IPAddress, port: int) -> bool:
    """Allow only addresses on the public internet (the default policy)."""
    if address in METADATA:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None and not public_only(embedded, port):
            return False
        if address.teredo:
            return False
    return address.is_global and not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def any_address(address: IPAddress, port: int) -> bool:
    """Allow every address (--allow-private-addresses)."""
    return True


def read(
    location: str,
    *,
    policy: AddressPolicy = public_only,
    max_bytes: int = MAX_BYTES,
) -> bytes:
    """Return the bytes at a URL or in a file; refuse what can't be read.

    A URL is the operator's own choice: its first address is fetched whatever
    it is; addresses it redirects to must pass `policy`.
    """
    if is_url(location):
        return fetch(location, policy=policy, trust_first=True, max_bytes=max_bytes)
    try:
        with Path(location).open("rb") as source:
            data = source.read(max_bytes + 1)
    except OSError as error:
        raise ImportRefused(f"{location}: can't read it: {error}") from None
    if len(data) > max_bytes:
        raise ImportRefused(f"{location}: larger than {_size(max_bytes)}")
    return data


def fetch(
    url: str,
    *,
    policy: AddressPolicy = public_only,
    trust_first: bool = False,
    max_bytes: int = MAX_BYTES,
    deadline: float | None = None,
) -> bytes:
    """Return the body of an http(s) URL, following redirects; raise ImportRefused.

    `trust_first` lets the first hop go to any address (one the operator named).
    """
    seconds = DEADLINE if deadline is None else deadline
    ends = time.monotonic() + seconds
    silent = ImportRefused(
        f"{url}: can't fetch it: no complete answer within {seconds:g} seconds"
    )
    current = url
    for hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(current)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            where = "it" if hop == 0 else f"its redirect to {current[:200]}"
            raise ImportRefused(
                f"{url}: not fetched: {where} is not an http(s) address"
            )
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise ImportRefused(f"{url}: not fetched: a bad port number") from None
        addresses = _resolve(parts.hostname, port, ends, silent)
        check = any_address if (hop == 0 and trust_first) else policy
        refused = [a for a in addresses if not check(a, port)]
        if refused:
            where = "it" if hop == 0 else f"its redirect to {parts.hostname[:200]}"
            raise ImportRefused(
                f"{url}: not fetched: {where} leads to {refused[0]}, an address on "
                "this machine or a private network (--allow-private-addresses "
                "allows such addresses)"
            )
        status, location, body = _get(
            parts, addresses, port, ends, silent, max_bytes, url
        )
        if status in (301, 302, 303, 307, 308) and location:
            current = urljoin(current, location)
            continue
        if status != 200:
            raise ImportRefused(f"{url}: can't fetch it: the server answered {status}")
        return body
    raise ImportRefused(f"{url}: can't fetch it: more than {MAX_REDIRECTS} redirects")


def _resolve(
    host: str, port: int, ends: float, silent: ImportRefused
) -> list[IPAddress]:
    """Return the host's addresses, resolved once, within the deadline."""
    try:
        return [ipaddress.ip_address(host.split("%")[0])]
    except ValueError:
        pass
    # getaddrinfo has no timeout of its own: wait for it no longer than allowed.
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        future = pool.submit(socket.getaddrinfo, host, port, 0, socket.SOCK_STREAM)
        infos = future.result(timeout=max(ends - time.monotonic(), 0.001))
    except (FutureTimeout, OSError, UnicodeError):
        raise silent from None
    finally:
        pool.shutdown(wait=False)
    found: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if address not in found:
            found.append(address)
    if not found:
        raise silent
    return found


def _get(parts, addresses, port, ends, silent, max_bytes, url):
    """GET from the first of `addresses` that connects, naming the URL's host.

    Return the status, the Location header and the body.
    """
    remaining = ends - time.monotonic()
    if remaining <= 0:
        raise silent
    host = parts.hostname
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            host, port, timeout=remaining, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(host, port, timeout=remaining)
    # Connect to the address that was checked; Host and SNI still name the host.
    opened: list[int] = []

    def connect(_address, timeout, source):
        for address in addresses:
            try:
                sock = socket.create_connection((str(address), port), timeout, source)
            except OSError:
                if address == addresses[-1] or late.is_set():
                    raise
                continue
            opened.append(sock.fileno())  # TLS keeps the descriptor; http.client not.
            return sock

    connection._create_connection = connect
    late = threading.Event()
    lock = threading.Lock()
    finished = False

    def stop() -> None:
        # The deadline is for the whole answer, not each read: cut it off.
        with lock:
            late.set()
            if finished or not opened:
                return
            with (
                contextlib.suppress(OSError),
                socket.socket(fileno=os.dup(opened[0])) as sock,
            ):
                sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(remaining, stop)
    timer.daemon = True
    timer.start()
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(
            "GET",
            path,
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
        )
        response = connection.getresponse()
        status = response.status
        location = response.getheader("Location", "")
        if status != 200:
            return status, location, b""
        length = response.getheader("Content-Length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise ImportRefused(f"{url}: larger than {_size(max_bytes)}")
        chunks, size = [], 0
        while chunk := response.read(65536):
            size += len(chunk)
            if size > max_bytes:
                raise ImportRefused(f"{url}: larger than {_size(max_bytes)}")
            if late.is_set():
                raise silent
            chunks.append(chunk)
        if late.is_set():
            raise silent
        return status, location, b"".join(chunks)
    except (OSError, http.client.HTTPException, ValueError):
        raise silent from None
    finally:
        with lock:
            finished = True
            timer.cancel()
        connection.close()


def _size(max_bytes: int) -> str:
    return f"{max_bytes / 2**20:g} MB"
