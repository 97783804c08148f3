"""The health check a load balancer or monitor polls: /healthz."""

from __future__ import annotations

import logging
import secrets

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.error("Health check: database unreachable: %s", error)
        return "error"
    return "ok"


def _cache() -> str:
    probe = secrets.token_hex(8)
    try:
        cache.set("healthz", probe, 30)
        return "ok" if cache.get("healthz") == probe else "error"
    except Exception as error:  # Any backend's failure is a "no" here.
        logger.error("Health check: cache failed: %s", error)
        return "error"


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 while the database answers; say how the cache is doing."""
    status = {"database": _database(), "cache": _cache()}
    healthy = status["database"] == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "error", **status},
        status=200 if healthy else 503,
    )
