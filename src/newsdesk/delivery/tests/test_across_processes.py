"""An edit in one process reaches every worker of the server at once."""

from __future__ import annotations

import subprocess
import sys
import urllib.request

import pytest

from newsdesk.tests.support import SEED_ARTICLE_SLUG, newsdesk_env

TITLE = "China-Russia Strategic Security Consultations"


def fetch(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers.get("X-Cache", ""), response.read().decode()


@pytest.fixture(params=["file", "redis"])
def generation_store(request):
    """The content generation in a file (the default) or in Redis."""
    if request.param == "file":
        return {}
    server = request.getfixturevalue("redis_server")
    return {"REDIS_URL": server.url}


def test_an_edit_from_another_process_is_seen_by_every_worker(
    serve_demo, tmp_path, generation_store
):
    base = serve_demo(workers=2, **generation_store)
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
        env=newsdesk_env(NEWSDESK_DATA_DIR=str(tmp_path / "var"), **generation_store),
        check=True,
        capture_output=True,
        timeout=60,
    )
    for _ in range(12):
        _, html = fetch(f"{base}/")
        assert "Talks rescheduled" in html
        assert TITLE not in html
