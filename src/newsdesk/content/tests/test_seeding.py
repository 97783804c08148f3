"""`newsdesk seed-data`: realistic articles in bulk, for benchmarks."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from newsdesk.content.models import Article, Author, Section, Tag
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
