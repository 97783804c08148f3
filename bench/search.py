#!/usr/bin/env python3
"""Search latency: 200 realistic queries against N seeded articles, beside a naive
`icontains` search on the same data.

    .venv/bin/python bench/search.py --articles 100000            # SQLite
    DATABASE_URL=postgres://… .venv/bin/python bench/search.py --articles 100000

Seeds a fresh database (SQLite in a temporary directory unless DATABASE_URL is
set, in which case that database is emptied first), indexes it, then times
`newsdesk.search.service.search()` in-process. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument("--articles", type=int, default=10_000)
parser.add_argument("--naive", type=int, default=20, help="queries for icontains")
args = parser.parse_args()

os.environ.setdefault("NEWSDESK_DATA_DIR", tempfile.mkdtemp(prefix="newsdesk-search-"))
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 40)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402

from newsdesk.content.models import Article  # noqa: E402
from newsdesk.content.seeding import vocabulary  # noqa: E402
from newsdesk.search.service import search  # noqa: E402


def queries(count: int = 200, seed: int = 7) -> list[str]:
    """Queries shaped like readers': 1–3 words, some phrases, a few exclusions."""
    chooser = random.Random(seed)
    words = [w.lower() for w in vocabulary() if len(w) > 3]
    made = []
    for n in range(count):
        picked = chooser.sample(words, chooser.choice([1, 1, 2, 2, 2, 3]))
        if n % 10 == 0 and len(picked) > 1:
            made.append(f'"{picked[0]} {picked[1]}"')
        elif n % 15 == 0 and len(picked) > 1:
            made.append(f"{picked[0]} -{picked[1]}")
        else:
            made.append(" ".join(picked))
    return made


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


call_command("migrate", verbosity=0)
call_command("flush", interactive=False, verbosity=0)
started = time.monotonic()
with open(os.devnull, "w") as quiet:
    call_command("seed-data", articles=args.articles, stdout=quiet, stderr=quiet)
seeded = time.monotonic() - started  # includes the index rebuild seed-data starts
if connection.vendor == "sqlite":
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
else:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE search_document")
        cursor.execute("ANALYZE content_article")

sample = queries()
for raw in sample[:20]:
    search(raw)  # warm caches
timings, totals = [], []
for raw in sample:
    begin = time.perf_counter()
    found = search(raw)
    timings.append((time.perf_counter() - begin) * 1000)
    totals.append(found.total)

naive = []
for raw in sample[: args.naive]:
    words = [w.strip('"-') for w in raw.split() if not w.startswith("-")]
    condition = Q()
    for word in words:
        condition &= Q(title__icontains=word) | Q(body__icontains=word)
    begin = time.perf_counter()
    list(Article.objects.published().filter(condition).order_by("-publish_at")[:20])
    Article.objects.published().filter(condition).count()
    naive.append((time.perf_counter() - begin) * 1000)

print(json.dumps({
    "database": connection.vendor,
    "articles": args.articles,
    "seed_and_index_seconds": round(seeded, 1),
    "queries": len(sample),
    "search_p50_ms": round(percentile(timings, 0.50), 2),
    "search_p95_ms": round(percentile(timings, 0.95), 2),
    "search_max_ms": round(max(timings), 2),
    "median_hits": statistics.median(totals),
    "naive_queries": len(naive),
    "naive_p50_ms": round(percentile(naive, 0.50), 2),
    "naive_p95_ms": round(percentile(naive, 0.95), 2),
}))  # fmt: skip
sys.exit(0)
