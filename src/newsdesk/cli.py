"""The `newsdesk` console command: Django's management commands for this project."""

from __future__ import annotations

import os
import sys

DEMO_ENVIRONMENT = {
    "NEWSDESK_DEMO": "true",
    "NEWSDESK_TIME_ZONE": "Asia/Shanghai",
    "NEWSDESK_WEATHER_CITY": "Beijing",
}


def main(argv: list[str] | None = None) -> None:
    """Run a management command, as django-admin does, with Newsdesk's settings."""
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "demo":
        # The demo runs with no configuration at all, as the seed page's site.
        for name, value in DEMO_ENVIRONMENT.items():
            os.environ.setdefault(name, value)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
