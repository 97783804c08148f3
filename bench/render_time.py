"""Time renders of the front and article pages in-process, page cache off.

Run with the environment of the database to measure; NEWSDESK_FRAGMENT_CACHE=false
times a cold render (no caches at all). Prints JSON.
"""

import json
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
os.environ["NEWSDESK_PAGE_CACHE"] = "false"
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from newsdesk.content.models import Article  # noqa: E402


def timed(client: Client, path: str, runs: int) -> dict:
    for _ in range(10):
        assert client.get(path).status_code == 200, path
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
    return {
        "median_ms": statistics.median(samples),
        "mean_ms": statistics.fmean(samples),
    }


runs = int(sys.argv[1]) if len(sys.argv) > 1 else 100
client = Client()
middle = Article.objects.published().newest_first()[Article.objects.count() // 2]
print(
    json.dumps(
        {
            "articles": Article.objects.count(),
            "front": timed(client, "/", runs),
            "article": timed(client, middle.get_absolute_url(), runs),
        }
    )
)
