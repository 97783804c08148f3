"""The content generation: a stamp that changes whenever public content may have.

Every publish, edit, unpublish or delete bumps it (once the transaction commits),
so anything cached under the current generation is exact: a new generation means
nothing cached before it is used again. It lives where every worker process sees it:
in Redis when REDIS_URL is set, else in a small file in NEWSDESK_DATA_DIR.
"""

from __future__ import annotations

import bisect
import logging
import os
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)
CACHE_KEY = "content-generation"


def _file() -> Path:
    return Path(settings.DATA_DIR) / "content-generation"


def current() -> str | None:
    """Return the current generation, or None when it can't be read."""
    if settings.REDIS_URL:
        value = cache.get(CACHE_KEY)
        if value is None:
            # First use, or Redis lost it (or is down): start a new generation.
            return bump()
        return str(value)
    try:
        # Not the file's time and inode: the kernel's clock is coarse and freed
        # inodes come back, so two quick bumps could repeat an old generation.
        with open(_file()) as stamp:
            return stamp.read() or None
    except FileNotFoundError:
        return current() if bump() else None
    except OSError as error:
        logger.warning("Can't read the content generation: %s", error)
        return None


def bump() -> str | None:
    """Start a new generation; return it, or None when it can't be stored."""
    value = f"{time.time_ns()}-{os.getpid()}-{secrets.token_hex(4)}"
    if settings.REDIS_URL:
        cache.set(CACHE_KEY, value, None)
        # The tolerant cache swallows errors: read back to know it stuck.
        return value if cache.get(CACHE_KEY) == value else None
    path = _file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".generation-")
        with os.fdopen(handle, "w") as out:
            out.write(value)
        os.replace(temporary, path)
    except OSError as error:
        logger.error("Can't store the content generation: %s", error)
        return None
    return value


def state() -> str | None:
    """Return a stamp of what readers can see now: the generation, plus how many
    scheduled articles have gone live since it began.

    It changes on every content change and the moment a scheduled article's time
    comes, so it can key caches of anything public. None when it can't be read.
    """
    current_generation = current()
    if current_generation is None:
        return None
    key = f"content-upcoming:{current_generation}"
    upcoming = cache.get(key)
    if upcoming is None:
        upcoming = _upcoming()
        cache.set(key, upcoming, 24 * 3600)
    went_live = bisect.bisect_right(upcoming, time.time())
    if went_live == len(upcoming) == UPCOMING_LIMIT:
        # Past the known schedule: count afresh rather than guess.
        cache.delete(key)
    return f"{current_generation}.{went_live}"


UPCOMING_LIMIT = 200


def _upcoming() -> list[float]:
    from newsdesk.content.models import Article

    times = (
        Article.objects.filter(
            status=Article.Status.PUBLISHED, publish_at__gt=timezone.now()
        )
        .order_by("publish_at")
        .values_list("publish_at", flat=True)[:UPCOMING_LIMIT]
    )
    return [moment.timestamp() for moment in times]
