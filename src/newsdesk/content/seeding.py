"""Realistic content in bulk, for benchmarks: sections, tags, authors, articles.

Text is assembled from sentences made of the demo articles' own words, so it reads
like news copy to a search engine and compresses like real text, and a million
articles take minutes, not hours.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from newsdesk.content import generation
from newsdesk.content.models import Article, Author, Section, Tag
from newsdesk.content.signals import content_changed
from newsdesk.lib.markup import html_to_text

DEMO = Path(__file__).resolve().parents[1] / "demo" / "demo.json"
SECTION_NAMES = [
    "World", "China", "Business", "Technology", "Sports", "Culture", "Science",
    "Health", "Opinion", "Travel", "Education", "Environment",
]  # fmt: skip
FIRST_NAMES = ["Li", "Wang", "Anna", "Omar", "Mei", "David", "Sara", "Ivan", "Chen"]
LAST_NAMES = ["Wei", "Zhang", "Novak", "Haddad", "Lin", "Okafor", "Rossi", "Kim"]


def vocabulary() -> list[str]:
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    text = " ".join(html_to_text(a["body"]) for a in data["articles"])
    return [w for w in re.findall(r"[A-Za-z][a-z]+(?:-[a-z]+)?", text) if len(w) > 1]


class Seeder:
    """Make N articles with batched inserts, reproducibly for a given seed."""

    def __init__(self, *, seed: int = 2025, sentences: int = 20_000) -> None:
        self.random = random.Random(seed)
        words = vocabulary()
        self.sentences = [self._sentence(words) for _ in range(sentences)]
        self.headings = [self._heading(words) for _ in range(2_000)]
        self.titles = words

    def _sentence(self, words: list[str]) -> str:
        chosen = self.random.choices(words, k=self.random.randint(9, 24))
        return chosen[0].capitalize() + " " + " ".join(chosen[1:]) + "."

    def _heading(self, words: list[str]) -> str:
        chosen = self.random.choices(words, k=self.random.randint(2, 5))
        return " ".join(chosen).capitalize() + ":"

    def body(self, words: int = 800) -> str:
        parts, count = [], 0
        while count < words:
            if parts and self.random.random() < 0.2:
                parts.append(f"<h2>{self.random.choice(self.headings)}</h2>")
            paragraph = self.random.choices(self.sentences, k=self.random.randint(3, 6))
            count += sum(sentence.count(" ") + 1 for sentence in paragraph)
            parts.append("<p>" + " ".join(paragraph) + "</p>")
        return "".join(parts)

    def title(self) -> str:
        return " ".join(self.random.choices(self.titles, k=self.random.randint(6, 11)))

    def run(
        self,
        *,
        articles: int,
        sections: int = 8,
        tags: int = 200,
        authors: int = 40,
        days: int = 3 * 365,
        batch: int = 1_000,
        progress: Callable[[int], None] = lambda done: None,
    ) -> int:
        """Create the articles (all published, spread over `days`); return the count."""
        all_sections = self._ensure(
            Section, [(name, slugify(name)) for name in SECTION_NAMES[:sections]]
        )
        all_tags = self._ensure(
            Tag, [(f"Topic {n}", f"topic-{n}") for n in range(1, tags + 1)]
        )
        all_authors = self._ensure(
            Author,
            [
                (f"{FIRST_NAMES[n % 9]} {LAST_NAMES[n // 9 % 8]} {n}", f"writer-{n}")
                for n in range(1, authors + 1)
            ],
        )
        start = Article.objects.count()
        now = timezone.now()
        step = timedelta(days=days) / max(articles, 1)
        made = 0
        try:
            made = self._insert(
                articles,
                start,
                now,
                step,
                batch,
                progress,
                all_sections,
                all_tags,
                all_authors,
            )
        finally:
            # Committed batches are public: start a new generation even if a
            # later batch failed. Bulk inserts send no save signals, so also say
            # once that many articles changed.
            generation.bump()
            content_changed.send(sender=Article, instance=None, pk=None)
        return made

    def _insert(
        self, articles, start, now, step, batch, progress, all_sections, all_tags,
        all_authors,
    ) -> int:  # fmt: skip
        made = 0
        while made < articles:
            size = min(batch, articles - made)
            with transaction.atomic():
                rows = []
                for n in range(start + made, start + made + size):
                    title = self.title()
                    rows.append(
                        Article(
                            title=title.capitalize(),
                            slug=f"{slugify(title)[:200]}-{n}",
                            section=self.random.choice(all_sections),
                            standfirst=self.random.choice(self.sentences),
                            body=self.body(),
                            status=Article.Status.PUBLISHED,
                            publish_at=now - step * (articles - made - len(rows)),
                        )
                    )
                created = Article.objects.bulk_create(rows)
                Article.tags.through.objects.bulk_create(
                    Article.tags.through(article_id=a.pk, tag_id=t.pk)
                    for a in created
                    for t in self.random.sample(all_tags, 3)
                )
                Article.authors.through.objects.bulk_create(
                    Article.authors.through(article_id=a.pk, author_id=w.pk)
                    for a in created
                    for w in self.random.sample(all_authors, self.random.randint(1, 2))
                )
            made += size
            progress(made)
        return made

    @staticmethod
    def _ensure(model, names: list[tuple[str, str]]) -> list:
        existing = {
            obj.slug: obj
            for obj in model.objects.filter(slug__in=[s for _, s in names])
        }
        missing = [
            model(name=name, slug=slug) for name, slug in names if slug not in existing
        ]
        model.objects.bulk_create(missing)
        return list(model.objects.filter(slug__in=[s for _, s in names]))
