"""The `newsdesk` console command: Django's management commands for this project."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command, as django-admin does, with Newsdesk's settings."""
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "demo":
        # The demo runs with no configuration at all, as the seed page's site.
        os.environ.setdefault("NEWSDESK_DEMO", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 (loads the settings)
    except ImproperlyConfigured as error:
        sys.exit(f"newsdesk: {error}")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
