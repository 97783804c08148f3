"""Sanitize on the way in: every write path stores cleaned HTML."""

from __future__ import annotations

from newsdesk.content.models import Article

HOSTILE = (
    "<p onclick=\"steal()\">Kept text</p><script>alert('x')</script>"
    '<a href="javascript:alert(1)">bad link</a><img src=x onerror="alert(1)">'
)


def test_saving_through_the_orm_cleans_the_body(make_article):
    article = make_article(body=HOSTILE)
    stored = Article.objects.get(pk=article.pk).body
    assert "Kept text" in stored
    for bad in ("<script", "onclick", "javascript:", "onerror", "alert"):
        assert bad not in stored


def test_bulk_updates_through_save_are_cleaned_too(make_article):
    article = make_article()
    article.body = "<p>ok</p><iframe src='https://evil.example'></iframe>"
    article.save()
    assert Article.objects.get(pk=article.pk).body == "<p>ok</p>"
