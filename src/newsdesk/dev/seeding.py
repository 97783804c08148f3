"""Realistic content in bulk, for benchmarks: sections, tags, authors, articles.

Text is assembled from a pool of sentences, so a million articles take minutes,
not hours, and it reads like news copy to a search engine: word frequencies fall
off the way they do in real text (Zipf's law, see `zipf`). Three vocabularies:

- the words of the sentences: English function words first ("the", "of"), then
  the demo articles' own words (about 1,400) by how often the demo uses them, then
  40,000 made-up rarer words, one Zipf ranking over all of them. The core is in
  most articles; a made-up word is in between 0.2% and 5% of them;
- 100,000 made-up names of people, places and organisations. Each article
  is about a few of them, drawn by Zipf's law: a handful are in the news every
  day, most turn up in a few articles only. They appear in the title, the
  standfirst and sentences of the body, as a story's subjects do.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from newsdesk.content.models import Article, Author, Section, Tag
from newsdesk.lib.markup import html_to_text

DEMO = Path(__file__).with_name("demo.json")
SECTION_NAMES = [
    "World", "China", "Business", "Technology", "Sports", "Culture", "Science",
    "Health", "Opinion", "Travel", "Education", "Environment",
]  # fmt: skip
FIRST_NAMES = ["Li", "Wang", "Anna", "Omar", "Mei", "David", "Sara", "Ivan", "Chen"]
LAST_NAMES = ["Wei", "Zhang", "Novak", "Haddad", "Lin", "Okafor", "Rossi", "Kim"]
ONSETS = [
    "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v",
    "z", "br", "ch", "dr", "gr", "kr", "pl", "sh", "st", "th", "tr",
]  # fmt: skip
VOWELS = ["a", "e", "i", "o", "u", "a", "e", "i", "o", "ai", "ei", "ou"]
CODAS = ["", "", "", "n", "r", "s", "l", "k", "nd", "rt"]
# The commonest English words, most frequent first: the head of the Zipf ranking.
FUNCTION_WORDS = """the of and to a in is that for it as was with be by on not he
i this are or his from at which but have an they you were her she there been one
all we their has would when if so no will more also can its who after than about
them into said over other our some could these two first new up may"""
RARE_WORDS = 40_000
NAMES = 100_000
# Each article is about this many names, drawn by Zipf's law over all of them.
SUBJECTS = (2, 5)


def vocabulary() -> list[str]:
    """The demo articles' words, in order, with repeats."""
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    text = " ".join(html_to_text(a["body"]) for a in data["articles"])
    return [w for w in re.findall(r"[A-Za-z][a-z]+(?:-[a-z]+)?", text) if len(w) > 1]


def zipf(count: int, *, exponent: float = 1.0, shift: float = 2.7) -> list[float]:
    """Cumulative weights of ranks 1..count under Zipf–Mandelbrot's law."""
    return list(
        itertools.accumulate(1.0 / (rank + shift) ** exponent for rank in range(count))
    )


class Seeder:
    """Make N articles with batched inserts, reproducibly for a given seed."""

    def __init__(self, *, seed: int = 2025, sentences: int = 30_000) -> None:
        self.random = random.Random(seed)
        function = FUNCTION_WORDS.split()
        counts = Counter(word.lower() for word in vocabulary())
        for word in function:
            counts.pop(word, None)
        # Most frequent first; ties broken alphabetically to stay reproducible.
        core = function + sorted(counts, key=lambda word: (-counts[word], word))
        self.rare_words = self._made_up(RARE_WORDS, set(core))
        self.words = core + self.rare_words
        self.word_weights = zipf(len(self.words))
        self.names = self._names(NAMES, set(self.words))
        # Shifted further: the most-covered name is in a few percent of articles.
        self.name_weights = zipf(len(self.names), shift=10)
        self.sentences = [self._sentence() for _ in range(sentences)]
        # Sentences about an article's subjects: {0}, {1}… are its names.
        self.about = [self._sentence(subject=True) for _ in range(sentences // 4)]
        self.headings = [self._heading() for _ in range(2_000)]

    def _made_up(self, count: int, taken: set[str]) -> list[str]:
        made: dict[str, None] = {}
        while len(made) < count:
            word = "".join(
                self.random.choice(ONSETS) + self.random.choice(VOWELS)
                for _ in range(self.random.choice((2, 2, 3)))
            ) + self.random.choice(CODAS)
            if word not in taken:
                made[word] = None
        return list(made)

    def _names(self, count: int, taken: set[str]) -> list[str]:
        # People (a first name from a short list, a rarer surname), places and
        # organisations (one word).
        first = [w.capitalize() for w in self._made_up(400, taken)]
        words = [w.capitalize() for w in self._made_up(count, taken | set(first))]
        return [
            f"{self.random.choice(first)} {word}" if n % 5 < 3 else word
            for n, word in enumerate(words)
        ]

    def _pick_words(self, k: int) -> list[str]:
        return self.random.choices(self.words, cum_weights=self.word_weights, k=k)

    def _sentence(self, *, subject: bool = False) -> str:
        chosen = self._pick_words(self.random.randint(9, 24))
        if subject:
            slot = "{" + str(self.random.randrange(SUBJECTS[0])) + "}"
            chosen.insert(self.random.randrange(len(chosen)), slot)
        return chosen[0].capitalize() + " " + " ".join(chosen[1:]) + "."

    def _heading(self) -> str:
        return " ".join(self._pick_words(self.random.randint(2, 5))).capitalize() + ":"

    def subjects(self) -> list[str]:
        return self.random.choices(
            self.names,
            cum_weights=self.name_weights,
            k=self.random.randint(*SUBJECTS),
        )

    def body(self, subjects: list[str] | None = None, words: int = 800) -> str:
        subjects = subjects or self.subjects()
        parts, count = [], 0
        while count < words:
            if parts and self.random.random() < 0.2:
                parts.append(f"<h2>{self.random.choice(self.headings)}</h2>")
            paragraph = self.random.choices(self.sentences, k=self.random.randint(3, 6))
            if self.random.random() < 0.6:
                paragraph[0] = self.random.choice(self.about).format(*subjects)
            count += sum(sentence.count(" ") + 1 for sentence in paragraph)
            parts.append("<p>" + " ".join(paragraph) + "</p>")
        return "".join(parts)

    def title(self, subjects: list[str] | None = None) -> str:
        subjects = subjects or self.subjects()
        words = self._pick_words(self.random.randint(5, 9))
        words.insert(self.random.randrange(len(words)), subjects[0])
        if self.random.random() < 0.4:
            words.insert(self.random.randrange(len(words)), subjects[1])
        return " ".join(words)

    def standfirst(self, subjects: list[str]) -> str:
        return self.random.choice(self.about).format(*subjects)

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
        # Each batch's bulk insert announces its articles once it commits.
        return self._insert(
            articles, start, now, step, batch, progress, all_sections, all_tags,
            all_authors,
        )  # fmt: skip

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
                    subjects = self.subjects()
                    title = self.title(subjects)
                    rows.append(
                        Article(
                            title=title[0].upper() + title[1:],
                            slug=f"{slugify(title)[:200]}-{n}",
                            section=self.random.choice(all_sections),
                            standfirst=self.standfirst(subjects),
                            body=self.body(subjects),
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
