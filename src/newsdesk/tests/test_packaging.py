"""The built wheel holds the site, without the tests and the development tools."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def build_wheel(tmp_path: Path) -> Path:
    # From a copy: building in the checkout would leave build/ and egg-info there.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source)
    shutil.copytree(
        ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__")
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(tmp_path / "dist"), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return next((tmp_path / "dist").glob("newsdesk-*.whl"))


def test_the_wheel_runs_the_site_without_tests_or_development_tools(tmp_path):
    wheel = build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    assert "newsdesk/settings.py" in names
    assert "newsdesk/templates/base.html" in names
    assert "newsdesk/web/static/newsdesk/site.css" in names
    left_in = [
        name
        for name in names
        if "/tests/" in name or name.startswith("newsdesk/dev/") or "conftest" in name
    ]
    assert left_in == []

    # Installed from the wheel alone, Newsdesk starts; the demo is a checkout's.
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("NEWSDESK_") and k not in ("DATABASE_URL", "REDIS_URL")
    } | {
        "PYTHONPATH": str(site),
        "SECRET_KEY": "wheel-" + "0123456789abcdefghij" * 3,
        "NEWSDESK_DATA_DIR": str(tmp_path / "var"),
    }

    def newsdesk(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "newsdesk", *args],
            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
        )  # fmt: skip

    where = newsdesk("shell", "-c", "import newsdesk; print(newsdesk.__file__)")
    assert where.returncode == 0, where.stderr
    assert where.stdout.splitlines()[-1].startswith(str(site))
    check = newsdesk("check")
    assert check.returncode == 0, check.stderr
    demo = newsdesk("demo", "--no-serve")
    assert demo.returncode != 0
    assert "Unknown command: 'demo'" in demo.stderr
