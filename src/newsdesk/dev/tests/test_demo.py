"""The demo set-up and the `newsdesk` command."""

from __future__ import annotations

import os
import subprocess
import sys

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from newsdesk.content.models import Article
from newsdesk.dev.demo import ensure_editor, load_demo


def login_request():
    # Login throttling (django-axes) needs to know where a login comes from.
    return RequestFactory().post("/desk/login/")


def test_the_demo_loads_the_seed_site_once(db):
    created = load_demo()
    assert created == Article.objects.count()
    assert load_demo() == 0
    public = Article.objects.published()
    assert public.filter(section__name="China").exists()
    assert not public.filter(title__startswith="DRAFT").exists()
    assert not public.filter(title__startswith="SCHEDULED").exists()


def test_the_editor_gets_the_password_from_the_settings(db, settings):
    settings.NEWSDESK_DEMO_PASSWORD = "a-long-demo-password"
    call_command("demo", no_serve=True, verbosity=0)
    user = authenticate(
        login_request(), username="editor", password="a-long-demo-password"
    )
    assert user is not None
    assert user.is_staff
    assert user.has_perm("content.publish_article")


def test_the_demo_links_to_where_it_is_served_unless_told_otherwise(db, settings):
    settings.NEWSDESK_SITE_URL_IS_SET = False
    call_command("demo", no_serve=True, port=8123, verbosity=0)
    assert settings.NEWSDESK_SITE_URL == "http://127.0.0.1:8123"
    settings.NEWSDESK_SITE_URL_IS_SET = True
    settings.NEWSDESK_SITE_URL = "https://news.example.org"
    call_command("demo", no_serve=True, port=8124, verbosity=0)
    assert settings.NEWSDESK_SITE_URL == "https://news.example.org"


def test_a_generated_password_is_returned_once(db, capsys):
    load_demo()
    password = ensure_editor()
    assert password
    assert (
        authenticate(login_request(), username="editor", password=password) is not None
    )
    assert ensure_editor() is None
    assert (
        authenticate(login_request(), username="editor", password=password) is not None
    )


def test_the_newsdesk_command_runs_djangos_commands(tmp_path):
    env = os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk", "shell", "-c", "print(6 * 7)"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "42"
