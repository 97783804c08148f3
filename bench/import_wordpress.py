#!/usr/bin/env python3
"""WordPress import rate and peak memory on a generated WXR export of N posts.

    .venv/bin/python bench/import_wordpress.py --posts 10000
    .venv/bin/python bench/import_wordpress.py --posts 100000

Writes a WXR 1.2 file of N classic-editor posts (about 400 words each, in
paragraphs with line breaks, a [caption] in every fifth, 3 tags of 300, one of 12
categories, 25 authors, one comment each), then runs `newsdesk import wordpress` on
it in a subprocess against a fresh SQLite database (or DATABASE_URL, emptied
first), twice: the import, then the second run that must change nothing. Reports
posts/s (wall time of the command, search indexing after the commit included,
and per CPU-second, steadier on a shared machine),
the command's peak resident memory (ru_maxrss) and the file's size. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

parser = argparse.ArgumentParser()
parser.add_argument("--posts", type=int, default=10_000)
parser.add_argument("--keep", help="write the export here and keep it")
args = parser.parse_args()


def words() -> list[str]:
    data = json.loads((ROOT / "src/newsdesk/dev/demo.json").read_text())
    text = " ".join(re.sub(r"<[^>]+>", " ", a["body"]) for a in data["articles"])
    return [w for w in re.findall(r"[A-Za-z][a-z]+", text) if len(w) > 1]


def generate(path: Path, posts: int) -> None:
    chooser = random.Random(2025)
    vocabulary = words()

    def sentence() -> str:
        chosen = chooser.choices(vocabulary, k=chooser.randint(8, 22))
        return chosen[0].capitalize() + " " + " ".join(chosen[1:]) + "."

    categories = [f"category-{n}" for n in range(12)]
    tags = [f"topic-{n}" for n in range(300)]
    authors = [f"writer{n}" for n in range(25)]
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            "<title>Bench</title><link>http://old.example</link>\n"
            "<wp:wxr_version>1.2</wp:wxr_version>\n"
            "<wp:base_site_url>http://old.example</wp:base_site_url>\n"
        )
        for login in authors:
            out.write(
                f"<wp:author><wp:author_login>{login}</wp:author_login>"
                f"<wp:author_display_name><![CDATA[{login.title()}]]>"
                "</wp:author_display_name></wp:author>\n"
            )
        for slug in categories:
            out.write(
                f"<wp:category><wp:category_nicename>{slug}</wp:category_nicename>"
                f"<wp:cat_name><![CDATA[{slug.title()}]]></wp:cat_name></wp:category>\n"
            )
        for n in range(1, posts + 1):
            paragraphs = []
            for _ in range(chooser.randint(5, 9)):
                lines = [
                    " ".join(sentence() for _ in range(chooser.randint(1, 3)))
                    for _ in range(chooser.randint(1, 2))
                ]
                paragraphs.append("\n".join(lines))
            if n % 5 == 0:
                paragraphs.insert(
                    2,
                    f'[caption id="attachment_{n}" width="600"]<img src="http://old.'
                    f'example/img/{n}.jpg" alt="Photo {n}" /> A caption[/caption]',
                )
            content = "\n\n".join(paragraphs)
            title = " ".join(chooser.choices(vocabulary, k=8)).capitalize()
            day = f"20{10 + n % 15:02d}-{1 + n % 12:02d}-{1 + n % 28:02d}"
            cats = (
                f'<category domain="category" nicename="{chooser.choice(categories)}">'
            )
            cats += "<![CDATA[x]]></category>"
            for tag in chooser.sample(tags, 3):
                cats += f'<category domain="post_tag" nicename="{tag}"><![CDATA[{tag}]]></category>'
            out.write(
                f"<item><title>{title}</title>"
                f"<link>http://old.example/{day.replace('-', '/')}/post-{n}/</link>"
                f"<dc:creator>{chooser.choice(authors)}</dc:creator>"
                f'<guid isPermaLink="false">http://old.example/?p={n}</guid>'
                f"<content:encoded><![CDATA[{content}]]></content:encoded>"
                f"<excerpt:encoded><![CDATA[{sentence()}]]></excerpt:encoded>"
                f"<wp:post_id>{n}</wp:post_id>"
                f"<wp:post_date_gmt>{day} 10:00:00</wp:post_date_gmt>"
                f"<wp:post_name>post-{n}</wp:post_name>"
                "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
                f"{cats}<wp:comment><wp:comment_id>{n}</wp:comment_id>"
                "<wp:comment_content><![CDATA[Nice.]]></wp:comment_content>"
                "</wp:comment></item>\n"
            )
        out.write("</channel>\n</rss>\n")


def measure(env: dict, path: Path) -> dict:
    """Run the import in a child that reports its own peak memory."""
    code = (
        "import resource, sys, time;"
        "from newsdesk.cli import main;"
        "t = time.perf_counter();"
        "main(['newsdesk', 'import', '-v', '0', 'wordpress', sys.argv[1]]);"
        "print('SECONDS', time.perf_counter() - t);"
        "u = resource.getrusage(resource.RUSAGE_SELF);"
        "print('CPU', u.ru_utime + u.ru_stime);"
        "print('PEAK_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    out = dict(
        line.split(" ", 1)
        for line in done.stdout.splitlines()
        if line.startswith(("SECONDS ", "PEAK_KB ", "CPU "))
    )
    report = [line for line in done.stdout.splitlines() if ":" in line]
    return {
        "seconds": round(float(out["SECONDS"]), 1),
        "cpu_seconds": round(float(out["CPU"]), 1),
        "peak_mb": round(int(out["PEAK_KB"]) / 1024),
        "report": report[:4],
    }


def rates(run: dict) -> dict:
    return {
        "posts_per_s": round(args.posts / run["seconds"]),
        "posts_per_cpu_s": round(args.posts / run["cpu_seconds"]),
    }


def main() -> None:
    data = Path(tempfile.mkdtemp(prefix="newsdesk-import-bench-"))
    path = Path(args.keep) if args.keep else data / "export.xml"
    started = time.perf_counter()
    generate(path, args.posts)
    generated = time.perf_counter() - started
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", "bench-" + "x" * 40)
    env.setdefault("NEWSDESK_DATA_DIR", str(data))
    env["PYTHONPATH"] = str(ROOT / "src")
    if "DATABASE_URL" in env:
        subprocess.run(
            [sys.executable, "-m", "newsdesk", "flush", "--no-input"],
            env=env,
            check=True,
        )
    subprocess.run(
        [sys.executable, "-m", "newsdesk", "migrate", "-v", "0"], env=env, check=True
    )
    first = measure(env, path)
    second = measure(env, path)
    print(
        json.dumps(
            {
                "posts": args.posts,
                "file_mb": round(path.stat().st_size / 2**20, 1),
                "generate_s": round(generated, 1),
                "import": first | rates(first),
                "second_run": second | rates(second),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
