"""The health check a load balancer or monitor polls: /healthz."""

from __future__ import annotations

import json
import logging
import secrets

from django.core.cache import cache
from django.db import DatabaseError, close_old_connections, connection
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
    key = f"healthz:{probe}"  # Its own key: app servers check at the same time.
    try:
        cache.set(key, probe, 30)
        return "ok" if cache.get(key) == probe else "error"
    except Exception as error:  # Any backend's failure is a "no" here.
        logger.error("Health check: cache failed: %s", error)
        return "error"


def check() -> tuple[int, dict[str, str]]:
    """Return the HTTP status and the report: 503 when the database is away."""
    report = {"database": _database(), "cache": _cache()}
    healthy = report["database"] == "ok"
    return (200 if healthy else 503), {"status": "ok" if healthy else "error", **report}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 while the database answers; say how the cache is doing."""
    status, report = check()
    return JsonResponse(report, status=status)


class HealthCheckApp:
    """Answer /healthz before Django checks the Host header.

    Load balancers probe each server by its address, which is rarely among
    ALLOWED_HOSTS; the answer holds no page content, so any Host may ask.
    """

    def __init__(self, application) -> None:
        self.application = application

    def __call__(self, environ: dict, start_response):
        if environ.get("PATH_INFO") != "/healthz":
            return self.application(environ, start_response)
        try:
            status, report = check()
        finally:
            close_old_connections()
        body = json.dumps(report).encode()
        start_response(
            "200 OK" if status == 200 else "503 Service Unavailable",
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"),
            ],
        )
        return [body]
