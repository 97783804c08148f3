#!/usr/bin/env python3
"""Search latency: 200 realistic queries against N seeded articles, beside a naive
`icontains` search on the same data.

    .venv/bin/python bench/search.py --articles 100000            # SQLite
    DATABASE_URL=postgres://… .venv/bin/python bench/search.py --articles 100000

Seeds a fresh database (SQLite in a temporary directory unless DATABASE_URL is
set, in which case that database is emptied first), indexes it, then times
`newsdesk.search.service.search()` in-process. Prints JSON. With `--reuse`, a
database that already holds exactly that many articles is searched as it is
(seeding a million articles on PostgreSQL takes the best part of an hour);
add `--reindex` to rebuild its search index first.
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
parser.add_argument("--reuse", action="store_true", help="keep a seeded database")
parser.add_argument("--reindex", action="store_true", help="with --reuse")
parser.add_argument("--show", action="store_true", help="print each query's time")
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
from newsdesk.dev.seeding import FUNCTION_WORDS, Seeder  # noqa: E402
from newsdesk.search.service import search  # noqa: E402


def queries(count: int = 200, seed: int = 7) -> list[str]:
    """Queries shaped like readers': mostly names and topics, some common words.

    Drawn from the seeded text's own vocabularies (`newsdesk.dev.seeding`), with
    the same Zipf weights as the articles: readers look for what is in the news.
    Out of every 20: 8 a name (a person's is two words), 2 a quoted name, 2 a name
    and a common word, 3 one or two common words, 2 a quoted two-word phrase from
    the text, 1 a rarer word, 2 with a -word left out.
    """
    chooser = random.Random(seed)
    seeder = Seeder()
    # Past the function words ("the", "of", …) and before the made-up rarer words.
    start = len(FUNCTION_WORDS.split())
    core = seeder.words[start:1500]
    core_weights = [w - seeder.word_weights[start - 1] for w in seeder.word_weights]

    def name() -> str:
        return chooser.choices(seeder.names, cum_weights=seeder.name_weights)[0]

    def common() -> str:
        return chooser.choices(core, cum_weights=core_weights[start:1500])[0]

    def phrase() -> str:
        words = chooser.choice(seeder.sentences).rstrip(".").lower().split()
        start = chooser.randrange(len(words) - 1)
        return f'"{words[start]} {words[start + 1]}"'

    kinds = [
        *[name] * 8,
        *[lambda: f'"{name()}"'] * 2,
        *[lambda: f"{name()} {common()}"] * 2,
        *[common, lambda: " ".join(dict.fromkeys([common(), common()])), common],
        *[phrase] * 2,
        lambda: chooser.choice(seeder.words[1500:]),
        lambda: f"{common()} -{common()}",
        lambda: f"{name()} -{common()}",
    ]
    return [kinds[n % len(kinds)]().lower() for n in range(count)]


def percentile(samples: list[float], fraction: float) -> float | None:
    if not samples:
        return None
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


call_command("migrate", verbosity=0)
started = time.monotonic()
if args.reuse and Article.objects.count() == args.articles:
    if args.reindex:
        call_command("reindex", verbosity=0)
else:
    call_command("flush", interactive=False, verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("seed-data", articles=args.articles, stdout=quiet, stderr=quiet)
seeded = time.monotonic() - started  # includes the index rebuild seed-data starts
if connection.vendor == "sqlite":
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        # Without statistics SQLite fetches the page's 20 articles through the
        # (status, publish_at) index, reading every published article's entry.
        cursor.execute("ANALYZE")
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
    if args.show:
        print(f"{timings[-1]:8.1f} ms {found.total:>8} {raw}", file=sys.stderr)

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
    "naive_p50_ms": naive and round(percentile(naive, 0.50), 2),
    "naive_p95_ms": naive and round(percentile(naive, 0.95), 2),
}))  # fmt: skip
sys.exit(0)
