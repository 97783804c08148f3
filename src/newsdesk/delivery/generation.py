"""The content generation: a stamp that changes whenever public content may have.

Every publish, edit, unpublish, delete or bulk write bumps it once the transaction
commits (delivery listens to content's content_changed, see apps.py), so anything
cached under the current generation is exact: a new generation means nothing
cached before it is used again. It lives where every worker process sees it:
in Redis when REDIS_URL is set, else in a small file in NEWSDESK_DATA_DIR.

A bump that can't be stored (Redis away, disk full) is remembered in a marker file
and retried on this machine's next request, so an outage can delay a change but
never lose it.
"""

from __future__ import annotations

import bisect
import contextlib
import logging
import os
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from newsdesk.content.models import Article

logger = logging.getLogger(__name__)
CACHE_KEY = "content-generation"
UPCOMING_LIMIT = 200


def _file(name: str = "content-generation") -> Path:
    return Path(settings.DATA_DIR) / name


def _pending() -> Path:
    return _file("content-generation.pending")


def current() -> str | None:
    """Return the current generation, or None when it can't be read."""
    if os.path.exists(_pending()) and bump() is None:
        return None  # Still can't store the bump: don't serve from the caches.
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
    stored = _store_in_redis(value) if settings.REDIS_URL else _store_in_file(value)
    if stored:
        with _quietly():
            os.unlink(_pending())
        return value
    logger.error("Can't store a new content generation; will retry")
    with _quietly():
        _pending().parent.mkdir(parents=True, exist_ok=True)
        _pending().touch()
    return None


def start_afresh(**kwargs) -> None:
    """Bump the generation: the receiver of content_changed and post_migrate."""
    bump()


def _store_in_redis(value: str) -> bool:
    cache.set(CACHE_KEY, value, None)
    # The tolerant cache swallows errors: read back to know it stuck.
    return cache.get(CACHE_KEY) == value


def _store_in_file(value: str) -> bool:
    path = _file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".generation-")
        with os.fdopen(handle, "w") as out:
            out.write(value)
        os.replace(temporary, path)
    except OSError as error:
        logger.error("Can't store the content generation: %s", error)
        return False
    return True


def _quietly():
    return contextlib.suppress(OSError)


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
    known = cache.get(key)
    if known is None:
        # The list's own stamp goes into the state: should the list be lost and
        # made again, counting restarts in a new namespace, not an old one.
        known = (secrets.token_hex(4), _upcoming())
        if not cache.add(key, known, 24 * 3600):
            known = cache.get(key) or known
    stamp, upcoming = known
    went_live = bisect.bisect_right(upcoming, time.time())
    if went_live == len(upcoming) == UPCOMING_LIMIT:
        # Past the known schedule: list it afresh (under a new stamp).
        cache.delete(key)
    return f"{current_generation}.{stamp}.{went_live}"


REQUEST_KEY = "newsdesk.content_state"


def state_for(environ: dict) -> str | None:
    """Return the content state for one request, read once and kept in its environ.

    The page cache and the page's fragments must agree on it: read twice, an edit
    committed in between would file parts drawn from old data under the new state.
    """
    if REQUEST_KEY not in environ:
        environ[REQUEST_KEY] = state()
    return environ[REQUEST_KEY]


def _upcoming() -> list[float]:
    times = (
        Article.objects.filter(
            status=Article.Status.PUBLISHED, publish_at__gt=timezone.now()
        )
        .order_by("publish_at")
        .values_list("publish_at", flat=True)[:UPCOMING_LIMIT]
    )
    return [moment.timestamp() for moment in times]
