"""`newsdesk serve`: the production server refuses to start in a broken state."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

from newsdesk.dev.servers import free_port, wait_for_port
from newsdesk.tests.support import SERVE_SECRET_KEY


def newsdesk(*args: str, tmp_path, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    base.pop("DATABASE_URL", None)
    base.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "newsdesk", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=base
        | {"SECRET_KEY": SERVE_SECRET_KEY, "NEWSDESK_DATA_DIR": str(tmp_path)}
        | env,
    )


def test_it_refuses_to_start_with_unapplied_migrations(tmp_path):
    result = newsdesk("serve", "--port", str(free_port()), tmp_path=tmp_path)
    assert result.returncode != 0
    assert "migration(s) not applied" in result.stderr
    assert "newsdesk migrate" in result.stderr


def test_it_refuses_to_start_with_debug_on(tmp_path):
    result = newsdesk("serve", tmp_path=tmp_path, DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG is on" in result.stderr


def test_it_serves_hashed_compressed_static_files_for_good(tmp_path):
    assert newsdesk("migrate", tmp_path=tmp_path).returncode == 0
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "serve", "--port", str(port),
         "--workers", "1"],
        env=env | {"SECRET_KEY": SERVE_SECRET_KEY, "NEWSDESK_DATA_DIR": str(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(port, timeout=60)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
            assert page.headers["Server"].startswith("gunicorn")
            html = page.read().decode()
        css = html.split('href="/static/newsdesk/site.', 1)[1].split('"', 1)[0]
        assert css.endswith(".css") and len(css) > len("x.css")  # hashed name
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/static/newsdesk/site.{css}",
            headers={"Accept-Encoding": "gzip"},
        )
        with urllib.request.urlopen(request, timeout=10) as static:
            assert static.headers["Content-Encoding"] == "gzip"
            assert "immutable" in static.headers["Cache-Control"]
        # A load balancer's probe by address, a Host not in ALLOWED_HOSTS.
        probe = urllib.request.Request(
            f"http://127.0.0.1:{port}/healthz", headers={"Host": "10.1.2.3"}
        )
        with urllib.request.urlopen(probe, timeout=10) as health:
            assert json.loads(health.read()) == {
                "status": "ok",
                "database": "ok",
                "cache": "ok",
            }
    finally:
        server.terminate()
        server.wait(timeout=20)


def placeholder_key() -> str:
    example = Path(__file__).parents[3] / "deploy" / "env.example"
    [line] = [x for x in example.read_text().splitlines() if x.startswith("SECRET_")]
    return line.split("=", 1)[1]


def test_it_refuses_a_short_or_placeholder_secret_key(tmp_path):
    for key in ("s" * 49, "ab" * 40, placeholder_key()):
        result = newsdesk("serve", tmp_path=tmp_path, SECRET_KEY=key)
        assert result.returncode != 0, key
        [line] = result.stderr.strip().splitlines()  # One line, no traceback.
        assert "SECRET_KEY" in line, key
        assert key not in line  # The key itself is never printed.


def test_a_long_secret_key_passes_the_check(tmp_path):
    # It gets as far as the next check, the database's migrations.
    result = newsdesk("serve", tmp_path=tmp_path, SECRET_KEY="k0123" * 10)
    assert "SECRET_KEY" not in result.stderr
    assert "migration(s) not applied" in result.stderr
