"""The one rule of what is public: Article.objects.published()."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from newsdesk.content import publishing
from newsdesk.content.models import Article


def test_it_includes_published_articles_whose_time_has_come(make_article):
    article = make_article()
    assert list(Article.objects.published()) == [article]


def test_it_hides_drafts(make_article):
    make_article(status=Article.Status.DRAFT)
    assert not Article.objects.published().exists()


def test_it_hides_scheduled_articles_until_their_time(make_article):
    at = timezone.now() + timedelta(hours=2)
    article = make_article(publish_at=at)
    assert not Article.objects.published().exists()
    assert article.is_scheduled
    assert list(Article.objects.published(at=at + timedelta(seconds=1))) == [article]


def test_publishing_without_a_time_means_now(make_article):
    article = make_article(status=Article.Status.DRAFT, publish_at=None)
    article.status = Article.Status.PUBLISHED
    publishing.save(article, by=publishing.OPERATOR)
    article.refresh_from_db()
    assert article.publish_at is not None
    assert article.publish_at <= timezone.now()
    assert article.is_public


def test_excerpt_comes_from_the_standfirst_or_else_the_body(make_article):
    with_standfirst = make_article(standfirst="A short standfirst.")
    without = make_article(
        body="<h2>Heading:</h2><p>Players navigating through the vast world of "
        "Candy Crush</p>"
    )
    assert with_standfirst.excerpt() == "A short standfirst."
    assert without.excerpt(words=7) == (
        "Heading: Players navigating through the vast world..."
    )
