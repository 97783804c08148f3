"""Most Popular: views counted from readers, ranked over the last 24 hours or 7 days."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from newsdesk.content.models import Article
from newsdesk.popularity.models import HourlyViews, this_hour
from newsdesk.popularity.ranking import is_bot, most_popular
from newsdesk.tests.support import parse

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
)


def views_of(article) -> int:
    return sum(
        HourlyViews.objects.filter(article=article).values_list("views", flat=True)
    )


def test_each_readers_beacon_counts_one_view(client, make_article):
    article = make_article()
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        client.post(
            f"/popularity/view/{article.pk}/",
            headers={"user-agent": BROWSER},
            REMOTE_ADDR=address,
        )
    assert views_of(article) == 3
    assert HourlyViews.objects.get(article=article).hour == this_hour()


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "python-requests/2.32",
        "",
    ],
)
def test_bots_are_not_counted(client, make_article, agent):
    article = make_article()
    response = client.post(
        f"/popularity/view/{article.pk}/", headers={"user-agent": agent}
    )
    assert response.status_code == 204
    assert views_of(article) == 0


def test_a_browser_is_not_a_bot():
    assert not is_bot(BROWSER)


def test_the_ranking_orders_by_views_in_the_window(make_article):
    now = this_hour()
    old_hit = make_article("Old hit")
    steady = make_article("Steady")
    fresh = make_article("Fresh")
    HourlyViews.objects.create(article=old_hit, hour=now - timedelta(days=8), views=900)
    HourlyViews.objects.create(article=old_hit, hour=now, views=1)
    HourlyViews.objects.create(
        article=steady, hour=now - timedelta(hours=160), views=30
    )
    HourlyViews.objects.create(article=steady, hour=now - timedelta(hours=30), views=30)
    HourlyViews.objects.create(article=fresh, hour=now - timedelta(hours=2), views=50)
    week = most_popular(hours=168)
    assert [a.title for a in week] == ["Steady", "Fresh", "Old hit"]
    assert [a.recent_views for a in week] == [60, 50, 1]
    day = most_popular(hours=24)
    assert [(a.title, a.recent_views) for a in day] == [("Fresh", 50), ("Old hit", 1)]


def test_the_ranking_is_cached_but_drops_unpublished_articles(make_article):
    first, second = make_article("First"), make_article("Second")
    HourlyViews.objects.create(article=first, hour=this_hour(), views=9)
    HourlyViews.objects.create(article=second, hour=this_hour(), views=3)
    assert [a.title for a in most_popular()] == ["First", "Second"]
    HourlyViews.objects.create(
        article=second, hour=this_hour() - timedelta(hours=1), views=90
    )
    assert [a.title for a in most_popular()] == ["First", "Second"]  # cached
    first.status = Article.Status.DRAFT
    first.save()
    assert [a.title for a in most_popular()] == ["Second"]


def test_the_ranking_never_includes_unpublished_articles(make_article):
    now = this_hour()
    draft = make_article(status=Article.Status.DRAFT)
    future = make_article(publish_at=timezone.now() + timedelta(hours=1))
    public = make_article()
    for article in (draft, future, public):
        HourlyViews.objects.create(article=article, hour=now, views=10)
    assert list(most_popular()) == [public]


def test_the_article_page_shows_the_ranking(client, make_article):
    first = make_article("Most read")
    second = make_article("Less read")
    HourlyViews.objects.create(article=first, hour=this_hour(), views=9)
    HourlyViews.objects.create(article=second, hour=this_hour(), views=3)
    from newsdesk.tests.support import parse, texts

    tree = parse(client.get(second.get_absolute_url(), headers={"user-agent": "curl"}))
    assert texts(tree, ".most-popular ol li a") == ["Most read", "Less read"]


def test_a_failed_count_does_not_fail_the_page(client, make_article):
    from unittest import mock

    from django.db import OperationalError

    article = make_article()
    with mock.patch(
        "newsdesk.popularity.counting._write",
        side_effect=OperationalError("database is locked"),
    ):
        response = client.post(
            f"/popularity/view/{article.pk}/", headers={"user-agent": BROWSER}
        )
    assert response.status_code == 204
    assert views_of(article) == 0
    assert client.get(article.get_absolute_url()).status_code == 200


def test_the_article_page_carries_the_beacon_with_a_no_script_fallback(
    client, make_article
):
    article = make_article()
    tree = parse(client.get(article.get_absolute_url()))
    beacon = f"/popularity/view/{article.pk}/"
    script = tree.css_first("script[data-beacon]")
    assert script.attributes["data-beacon"] == beacon
    assert script.attributes["src"].endswith("beacon.js")
    assert tree.css_first("noscript").html.count(beacon) == 1
    # Reading the page itself counts nothing: cached pages never reach Django.
    assert views_of(article) == 0


def test_the_no_script_pixel_counts_too(client, make_article):
    article = make_article()
    response = client.get(
        f"/popularity/view/{article.pk}/", headers={"user-agent": BROWSER}
    )
    assert response["Content-Type"] == "image/gif"
    assert "no-cache" in response["Cache-Control"]
    assert views_of(article) == 1


def test_beacons_for_unknown_or_unpublished_ids_count_nothing(client, make_article):
    from datetime import timedelta

    draft = make_article(status=Article.Status.DRAFT)
    future = make_article(publish_at=timezone.now() + timedelta(hours=1))
    for pk in (draft.pk, future.pk, 999_999, "9" * 18):
        response = client.post(
            f"/popularity/view/{pk}/", headers={"user-agent": BROWSER}
        )
        assert response.status_code == 204
    for pk in ("0", "1" * 40, "-3", "abc"):
        response = client.post(
            f"/popularity/view/{pk}/", headers={"user-agent": BROWSER}
        )
        assert response.status_code == 404
    assert not HourlyViews.objects.exists()
