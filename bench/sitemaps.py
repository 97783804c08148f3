#!/usr/bin/env python3
"""Sitemap speed and memory at scale: the index, one month, the news sitemap, tags.

    .venv/bin/python bench/sitemaps.py --articles 100000            # SQLite
    DATABASE_URL=postgres://… .venv/bin/python bench/sitemaps.py --articles 1000000

Seeds a fresh database (SQLite in a temporary directory unless DATABASE_URL is
set, in which case that database must be empty or already hold the articles:
`--reuse` skips seeding), then fetches each sitemap in-process with the page
cache off, reading streamed bodies to the end. Memory is the peak of Python
allocations (tracemalloc) while one month's sitemap is written. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
import tracemalloc

parser = argparse.ArgumentParser()
parser.add_argument("--articles", type=int, default=100_000)
parser.add_argument("--runs", type=int, default=5)
parser.add_argument("--reuse", action="store_true", help="don't seed")
args = parser.parse_args()

os.environ.setdefault("NEWSDESK_DATA_DIR", tempfile.mkdtemp(prefix="newsdesk-sm-"))
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 40)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")
os.environ["NEWSDESK_PAGE_CACHE"] = "false"
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from newsdesk.content.models import Article  # noqa: E402
from newsdesk.dev.seeding import Seeder  # noqa: E402

call_command("migrate", verbosity=0)
if not args.reuse:
    started = time.perf_counter()
    Seeder().run(articles=args.articles)
    seeded = time.perf_counter() - started
else:
    seeded = 0.0
client = Client()


def body(path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return b"".join(response) if response.streaming else response.content


def timed(path: str) -> dict:
    body(path)
    samples = []
    for _ in range(args.runs):
        started = time.perf_counter()
        size = len(body(path))
        samples.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(samples), 1), "bytes": size}


index = body("/sitemap.xml").decode()
months = [
    line.split("<loc>")[1].split("</loc>")[0].split("/")[-1]
    for line in index.splitlines()
    if "sitemap-articles-" in line
]
busiest = max(
    months,
    key=lambda name: Article.objects.published()
    .filter(publish_at__year=int(name[17:21]), publish_at__month=int(name[22:24]))
    .count(),
)
results = {
    "database": connection.vendor,
    "articles": Article.objects.published().count(),
    "seconds_to_seed": round(seeded, 1),
    "months": len(months),
    "index": timed("/sitemap.xml"),
    "news": timed("/sitemap-news.xml"),
    "tags": timed("/sitemap-tags.xml"),
    "busiest_month": {"path": "/" + busiest, **timed("/" + busiest)},
}
tracemalloc.start()
urls = sum(chunk.count(b"<url>") for chunk in client.get("/" + busiest))
_, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
results["busiest_month"] |= {"urls": urls, "peak_python_mib": round(peak / 2**20, 1)}
print(json.dumps(results, indent=2))
