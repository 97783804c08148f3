"""Stable permalinks; a changed slug leaves a permanent redirect."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from newsdesk.content.models import Article, Redirect
from newsdesk.tests.support import parse, texts


def test_the_permalink_has_section_local_date_and_slug(make_article, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    # 20:00 UTC on the 18th is already the 19th in Shanghai.
    at = datetime(2025, 5, 18, 20, 0, tzinfo=ZoneInfo("UTC"))
    article = make_article(slug="talks", publish_at=at)
    assert article.get_absolute_url() == "/china/2025/05/19/talks/"


def test_a_renamed_published_article_redirects_from_its_old_address(
    client, make_article
):
    article = make_article(slug="old-name")
    old_url = article.get_absolute_url()
    article.slug = "new-name"
    article.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_renaming_twice_keeps_every_old_address(client, make_article):
    article = make_article(slug="first")
    first_url = article.get_absolute_url()
    article.slug = "second"
    article.save()
    article.slug = "third"
    article.save()
    response = client.get(first_url)
    assert response.status_code == 301
    assert response["Location"].endswith("/third/")


def test_renaming_back_to_an_old_slug_drops_that_redirect(client, make_article):
    article = make_article(slug="a")
    article.slug = "b"
    article.save()
    article.slug = "a"
    article.save()
    assert client.get(article.get_absolute_url()).status_code == 200
    assert article.redirects.get().path == article.get_absolute_url()[:-2] + "b"


def test_a_draft_renamed_before_publishing_leaves_no_redirect(make_article):
    article = make_article(slug="working-title", status=Article.Status.DRAFT)
    article.slug = "final-title"
    article.save()
    assert not article.redirects.exists()


def test_an_address_with_an_outdated_section_or_date_redirects(client, make_article):
    article = make_article(slug="moved")
    response = client.get("/world/2001/01/01/moved/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_an_unpublished_articles_old_address_is_not_found(client, make_article):
    article = make_article(slug="old")
    old_url = article.get_absolute_url()
    article.slug = "new"
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(old_url).status_code == 404


def test_a_new_article_taking_an_old_slug_replaces_the_redirect(client, make_article):
    first = make_article(slug="budget")
    first.slug = "budget-2025"
    first.save()
    second = make_article(slug="budget")
    address = Redirect.key(second.get_absolute_url())
    assert not Redirect.objects.filter(path=address).exists()
    assert client.get(second.get_absolute_url()).status_code == 200


def renamed(make_article, old: str, new: str):
    """Return a published article renamed from `old` to `new`, and its old address."""
    article = make_article(slug=old)
    old_url = article.get_absolute_url()
    article.slug = new
    article.save()
    return article, old_url


def test_a_draft_taking_an_old_slug_keeps_the_redirect(client, make_article):
    first, old_url = renamed(make_article, "budget", "budget-2025")
    draft = make_article(slug="budget", status=Article.Status.DRAFT)
    draft.title = "Still being written"
    draft.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == first.get_absolute_url()


def test_publishing_the_draft_gives_it_the_address(client, make_article, editor):
    from newsdesk.content import publishing

    renamed(make_article, "budget", "budget-2025")
    draft = make_article(slug="budget", status=Article.Status.DRAFT)
    publishing.publish(article=draft, by=editor)
    assert client.get(draft.get_absolute_url()).status_code == 200
    address = Redirect.key(draft.get_absolute_url())
    assert not Redirect.objects.filter(path=address).exists()


def test_a_scheduled_article_takes_the_address_when_its_time_comes(
    client, make_article
):
    first, old_url = renamed(make_article, "budget", "budget-2025")
    later = make_article(
        "The new budget",
        slug="budget",
        publish_at=timezone.now() + timedelta(hours=1),
    )
    # Until then the old address leads to the article that had it.
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == first.get_absolute_url()
    response = client.get(later.get_absolute_url())
    if later.get_absolute_url() == old_url:
        assert response["Location"] == first.get_absolute_url()
    else:  # An hour on is another day: an address no article had yet.
        assert response.status_code == 404
    # Its time comes, with no save and no worker.
    Article.objects.filter(pk=later.pk).update(
        publish_at=timezone.now() - timedelta(seconds=1)
    )
    later.refresh_from_db()
    response = client.get(later.get_absolute_url())
    assert response.status_code == 200
    assert texts(parse(response), "h1") == ["The new budget"]
    response = client.get(old_url)
    if response.status_code == 301:  # the two days differ
        assert response["Location"] == later.get_absolute_url()
    else:
        assert texts(parse(response), "h1") == ["The new budget"]


def test_moving_a_published_article_keeps_each_address_it_had(client, make_article):
    from newsdesk.content.models import Section

    article = make_article(slug="dam", publish_at=timezone.now() - timedelta(days=3))
    addresses = [article.get_absolute_url()]
    article.section = Section.objects.create(name="World", slug="world")
    article.save()
    addresses.append(article.get_absolute_url())
    article.publish_at -= timedelta(days=2)
    article.save()
    addresses.append(article.get_absolute_url())
    article.slug = "the-dam"
    article.save()
    assert len(set(addresses)) == 3
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 301, address
        assert response["Location"] == article.get_absolute_url()


def test_two_articles_renamed_from_one_slug_each_keep_their_old_address(
    client, make_article
):
    first, first_url = renamed(make_article, "budget", "budget-2025")
    day_before = first.publish_at - timedelta(days=1)
    second = make_article(slug="budget", publish_at=day_before)
    second_url = second.get_absolute_url()
    second.slug = "budget-2026"
    second.save()
    assert first_url != second_url
    assert client.get(first_url)["Location"] == first.get_absolute_url()
    assert client.get(second_url)["Location"] == second.get_absolute_url()


def test_a_scheduled_article_moved_before_it_is_public_leaves_no_redirect(
    make_article,
):
    article = make_article(slug="soon", publish_at=timezone.now() + timedelta(days=1))
    article.slug = "later"
    article.publish_at += timedelta(days=1)
    article.save()
    assert not article.redirects.exists()


def test_editors_see_the_redirects_in_the_newsroom(editor_client, make_article):
    article, old_url = renamed(make_article, "draft-title", "final-title")
    page = parse(editor_client.get("/desk/content/redirect/"))
    assert texts(page, "#result_list tbody th") == [old_url.rstrip("/")]
