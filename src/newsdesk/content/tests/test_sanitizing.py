"""Sanitize on the way in: every write path stores cleaned HTML."""

from __future__ import annotations

import pytest

from newsdesk.content.models import Article

HOSTILE = (
    "<p onclick=\"steal()\">Kept text</p><script>alert('x')</script>"
    '<a href="javascript:alert(1)">bad link</a><img src=x onerror="alert(1)">'
)
CLEANED = '<p>Kept text</p><a rel="noopener noreferrer">bad link</a>'


def test_saving_through_the_orm_cleans_the_body(make_article):
    article = make_article(body=HOSTILE)
    stored = Article.objects.get(pk=article.pk).body
    assert "Kept text" in stored
    for bad in ("<script", "onclick", "javascript:", "onerror", "alert"):
        assert bad not in stored


def test_updates_through_save_are_cleaned_too(make_article):
    article = make_article()
    article.body = "<p>ok</p><iframe src='https://evil.example'></iframe>"
    article.save()
    assert Article.objects.get(pk=article.pk).body == "<p>ok</p>"


def test_bulk_updates_are_cleaned_too(make_article):
    first, second = make_article(), make_article()
    updated = Article.objects.filter(pk__in=[first.pk, second.pk]).update(
        body="<p>ok</p><iframe src='https://evil.example'></iframe>" + HOSTILE
    )
    assert updated == 2
    for stored in Article.objects.values_list("body", flat=True):
        assert stored == "<p>ok</p>" + CLEANED


def test_bulk_updates_of_many_bodies_are_cleaned_too(make_article):
    articles = [make_article(), make_article()]
    for article in articles:
        article.body = f"<p>{article.pk}</p>{HOSTILE}"
    Article.objects.bulk_update(articles, ["body"])
    for article in Article.objects.all():
        assert article.body == f"<p>{article.pk}</p>{CLEANED}"


def test_a_bulk_update_cannot_compute_a_body(make_article):
    from django.db.models import F

    article = make_article(standfirst="<script>alert(1)</script>")
    with pytest.raises(TypeError):
        Article.objects.filter(pk=article.pk).update(body=F("standfirst"))
    assert "script" not in Article.objects.get(pk=article.pk).body


def test_bulk_created_bodies_are_cleaned_too(section):
    Article.objects.bulk_create(
        [
            Article(
                title="One", slug="one", section=section, body=f"<p>1</p>{HOSTILE}"
            ),
            Article(
                title="Two", slug="two", section=section, body=f"<p>2</p>{HOSTILE}"
            ),
        ]
    )
    assert sorted(Article.objects.values_list("body", flat=True)) == [
        f"<p>1</p>{CLEANED}",
        f"<p>2</p>{CLEANED}",
    ]
