"""Helpers the tests import: parsing pages, personas' logins, subprocess settings.

Fixtures are in conftest.py files (the project-wide ones in the checkout's root);
this module holds the plain functions and constants next to them.
"""

from __future__ import annotations

import os

#: Every persona's password (conftest.py's `writer` and `editor`).
PASSWORD = "correct horse battery"

#: The demo's China article: the seed page's own story.
SEED_ARTICLE_SLUG = "china-russia-strategic-security-consultations"

#: Long and varied enough for `newsdesk serve`'s check; for tests only.
SERVE_SECRET_KEY = "tests-only-" + "0123456789abcdefghijklmnopqrstuvwxyz" * 2

#: Real Chromium for the browser tests (marked "browser").
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Generous for a loaded machine, bounded so a broken page fails instead of hanging.
TIMEOUT_MS = 15_000


def parse(response):
    """Return the response's HTML as a selectolax tree."""
    from selectolax.lexbor import LexborHTMLParser

    return LexborHTMLParser(response.content.decode())


def texts(tree, selector: str) -> list[str]:
    """Return the stripped text of every element matching the selector."""
    return [node.text(strip=True) for node in tree.css(selector)]


def member(username: str, role: str):
    """Make a newsroom account with the role (a group: "Writer", "Editor")."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, password=PASSWORD)
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


def newsdesk_env(**env: str) -> dict[str, str]:
    """Return an environment for a `newsdesk` subprocess: these settings, no others."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("NEWSDESK_") and k not in ("DATABASE_URL", "REDIS_URL")
    }
    return base | {"SECRET_KEY": SERVE_SECRET_KEY, "NEWSDESK_WEATHER_CITY": ""} | env


def desk_login(page, username: str) -> None:
    """Log a persona into the newsroom in a Playwright page."""
    from playwright.sync_api import expect

    page.goto("/desk/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # Django 5 logs out through a form, so "Log out" is a button.
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
