"""Read a source given as a URL or a file, with limits."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

from newsdesk.imports.base import ImportRefused

TIMEOUT = 20
MAX_BYTES = 50 * 1024 * 1024
USER_AGENT = "Newsdesk importer"


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def read(location: str) -> bytes:
    """Return the bytes at a URL or in a file; refuse what can't be read."""
    if not is_url(location):
        try:
            with Path(location).open("rb") as source:
                data = source.read(MAX_BYTES + 1)
        except OSError as error:
            raise ImportRefused(f"{location}: can't read it: {error}") from None
    else:
        request = urllib.request.Request(location, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                data = response.read(MAX_BYTES + 1)
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise ImportRefused(f"{location}: can't fetch it: {error}") from None
    if len(data) > MAX_BYTES:
        raise ImportRefused(f"{location}: larger than {MAX_BYTES // 2**20} MB")
    return data
