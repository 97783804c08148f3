"""`newsdesk seed-data`: realistic articles in bulk, for benchmarks."""

from __future__ import annotations

import re

import pytest
from django.core.management import CommandError, call_command

from newsdesk.content.models import Article, Author, Section, Tag
from newsdesk.dev.seeding import Seeder
from newsdesk.lib.markup import html_to_text


def test_it_makes_published_articles_of_about_800_words(db):
    call_command("seed-data", articles=30, sections=4, tags=20, authors=5, batch=7)
    articles = Article.objects.published()
    assert articles.count() == 30
    assert Section.objects.count() == 4
    assert Tag.objects.count() == 20
    assert Author.objects.count() == 5
    for article in articles.prefetch_related("tags", "authors"):
        words = len(html_to_text(article.body).split())
        assert 750 <= words <= 1000, words
        assert article.tags.count() == 3
        assert 1 <= article.authors.count() <= 2
        assert article.body.startswith("<p>")
    assert len(set(Article.objects.values_list("slug", flat=True))) == 30


def test_running_it_again_adds_more_without_clashing(db):
    call_command("seed-data", articles=5)
    call_command("seed-data", articles=5)
    assert Article.objects.count() == 10
    assert Section.objects.count() == 8


def test_it_refuses_silly_numbers(db):
    with pytest.raises(CommandError):
        call_command("seed-data", articles=0)
    with pytest.raises(CommandError):
        call_command("seed-data", articles=1_000_001)


def test_the_same_seed_makes_the_same_text():
    first, second = Seeder(seed=3), Seeder(seed=3)
    assert first.body() == second.body()
    assert first.title() == second.title()


def test_word_frequencies_fall_off_like_real_text():
    """A few words are in nearly every article, most in a few; names even fewer."""
    seeder = Seeder(seed=5)
    texts = [html_to_text(seeder.body()).lower() for _ in range(300)]
    documents = [set(re.findall(r"\w+", text)) for text in texts]

    def share(word: str) -> float:
        return sum(word in words for words in documents) / len(documents)

    assert share("the") == 1.0
    assert 0.01 < share(seeder.words[2_000]) < 0.2
    assert share(seeder.words[-1]) < 0.02
    top_name = seeder.names[0].split()[-1].lower()
    assert share(top_name) > share(seeder.names[50_000].split()[-1].lower())
    assert len(set().union(*documents)) > 10_000
