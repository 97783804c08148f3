from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from newsdesk.search.indexing import refresh_statistics

# deploy/env.example's SECRET_KEY: a copied file that was never edited.
PLACEHOLDER_KEY = "change-me-to-a-long-random-string"
MIN_KEY_LENGTH = 50
# Django's own check (security.W009) asks for as many different characters.
MIN_KEY_CHARACTERS = 5
NEW_KEY = "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"


def secret_key_problem(key: str) -> str | None:
    """Say what is wrong with a SECRET_KEY for a public server, or None."""
    if key == PLACEHOLDER_KEY:
        return (
            "SECRET_KEY is still the placeholder from deploy/env.example: "
            f"set it to a long random string ({NEW_KEY})."
        )
    if len(key) < MIN_KEY_LENGTH:
        return (
            f"SECRET_KEY is {len(key)} characters long; it must be at least "
            f"{MIN_KEY_LENGTH} ({NEW_KEY})."
        )
    if len(set(key)) < MIN_KEY_CHARACTERS:
        return (
            f"SECRET_KEY repeats {len(set(key))} character(s); a random key has "
            f"at least {MIN_KEY_CHARACTERS} different ones ({NEW_KEY})."
        )
    return None


class Command(BaseCommand):
    help = (
        "Serve Newsdesk in production with gunicorn: checks migrations, collects "
        "static files, then starts one worker per core."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.NEWSDESK_HOST)
        parser.add_argument("--port", type=int, default=settings.NEWSDESK_PORT)
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.NEWSDESK_WORKERS,
            help="Worker processes (default: NEWSDESK_WORKERS, else one per core).",
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="Skip collecting static files (when the build step did it).",
        )

    def handle(self, *args, host, port, workers, no_collectstatic, **options):
        if settings.DEBUG:
            raise CommandError("DEBUG is on: unset DEBUG to serve in production.")
        problem = secret_key_problem(settings.SECRET_KEY)
        if problem:
            raise CommandError(problem)
        pending = self.unapplied_migrations()
        if pending:
            raise CommandError(
                f"{len(pending)} database migration(s) not applied "
                f"(first: {pending[0]}). Run `newsdesk migrate`, then start again."
            )
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        # The archive has grown since the last start: let SQLite plan with that.
        refresh_statistics()
        connections.close_all()
        self.stdout.write(f"Serving on http://{host}:{port}/ with {workers} worker(s)")
        sys.stdout.flush()
        # gunicorn takes over this process; settings come from the environment,
        # and it trusts the same proxies as the app does.
        os.execv(
            sys.executable,
            [
                sys.executable, "-m", "gunicorn", "newsdesk.wsgi:application",
                "--bind", f"{host}:{port}",
                "--workers", str(workers),
                "--access-logfile", "-",
                "--forwarded-allow-ips", ",".join(settings.NEWSDESK_PROXIES),
                "--timeout", "30",
                "--graceful-timeout", "20",
                "--max-requests", "5000",
                "--max-requests-jitter", "500",
            ],
        )  # fmt: skip

    def unapplied_migrations(self) -> list[str]:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
