"""An edit in one process reaches every worker of the server at once."""

from __future__ import annotations

import subprocess
import sys
import urllib.request

from newsdesk.testing import SEED_ARTICLE_SLUG, newsdesk_env

TITLE = "China-Russia Strategic Security Consultations"


def fetch(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers.get("X-Cache", ""), response.read().decode()


def test_an_edit_from_another_process_is_seen_by_every_worker(serve_demo, tmp_path):
    base = serve_demo(workers=2)
    # Enough requests that both workers cache the page.
    states = [fetch(f"{base}/")[0] for _ in range(12)]
    assert "HIT" in states
    edit = (
        "from newsdesk.content.models import Article; "
        f"a = Article.objects.get(slug='{SEED_ARTICLE_SLUG}'); "
        "a.title = 'Talks rescheduled'; a.save()"
    )
    subprocess.run(
        [sys.executable, "-m", "newsdesk", "shell", "-c", edit],
        env=newsdesk_env(NEWSDESK_DATA_DIR=str(tmp_path / "var")),
        check=True,
        capture_output=True,
        timeout=60,
    )
    for _ in range(12):
        _, html = fetch(f"{base}/")
        assert "Talks rescheduled" in html
        assert TITLE not in html
