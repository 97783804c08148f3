"""Settings come from the environment; bad values stop the start with a clear error."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

GOOD = {"SECRET_KEY": "x" * 50, "NEWSDESK_DATA_DIR": "/tmp/newsdesk-settings-test"}


def load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    clean.pop("SECRET_KEY", None)
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "newsdesk", "check"],
        capture_output=True,
        text=True,
        env=clean | env,
        timeout=60,
    )


def test_good_settings_load():
    result = load_settings(**GOOD)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("NEWSDESK_PAGE_SIZE", "0"),
        ("NEWSDESK_PAGE_SIZE", "ten"),
        ("NEWSDESK_TIME_ZONE", "Mars/Olympus"),
        ("NEWSDESK_LANGUAGE", "zz-bogus"),
        ("NEWSDESK_LOG_LEVEL", "LOUD"),
        ("NEWSDESK_PROXIES", "nginx.internal"),
        ("NEWSDESK_LOGIN_FAILURES", "0"),
        ("DATABASE_URL", "garbage"),
        ("NEWSDESK_SITE_URL", "news.example.com"),
        ("NEWSDESK_WEATHER_LATITUDE", "999"),
        ("NEWSDESK_WEATHER_TIMEOUT", "-1"),
        ("NEWSDESK_WEATHER_MAX_AGE", "-5"),
        ("NEWSDESK_SITEMAP_LIMIT", "60000"),
        ("NEWSDESK_TWITTER_SITE", "not a handle"),
        ("NEWSDESK_PORT", "eighty"),
        ("NEWSDESK_PORT", "70000"),
        ("NEWSDESK_WORKERS", "-1"),
    ],
)
def test_a_bad_value_names_the_variable(name, value):
    result = load_settings(**GOOD, **{name: value})
    assert result.returncode != 0
    assert name in result.stderr
    assert "Traceback" not in result.stderr


def test_production_needs_a_secret_key():
    result = load_settings(NEWSDESK_DATA_DIR=GOOD["NEWSDESK_DATA_DIR"])
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_mode_runs_without_a_secret_key_in_beijing_time():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "newsdesk",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.TIME_ZONE, "
            "settings.NEWSDESK_WEATHER_CITY)",
        ],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
        | {"NEWSDESK_DEMO": "true", "NEWSDESK_DATA_DIR": GOOD["NEWSDESK_DATA_DIR"]},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "Asia/Shanghai Beijing"


def test_https_mode_trusts_the_proxy_and_secures_cookies():
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk", "shell", "-c",
         "from django.conf import settings as s; print(s.SECURE_PROXY_SSL_HEADER, "
         "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"],
        capture_output=True,
        text=True,
        env=os.environ | GOOD | {"NEWSDESK_HTTPS": "true"},
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last == "('HTTP_X_FORWARDED_PROTO', 'https') True True"
