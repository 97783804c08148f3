"""Content announces every change once, after the commit: bulk writes too."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from newsdesk.content.models import Article, Tag
from newsdesk.content.signals import content_changed

# The announcement waits for the commit, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def heard():
    """Collect every content_changed sent during the test."""
    sent = []

    def listen(sender, **kwargs):
        sent.append({"sender": sender, **kwargs})

    content_changed.connect(listen, dispatch_uid="test-heard")
    yield sent
    content_changed.disconnect(dispatch_uid="test-heard")


def articles(make_article, count: int) -> list[Article]:
    return [make_article(f"Story {n}") for n in range(count)]


def only(sent: list[dict]) -> dict:
    assert len(sent) == 1, sent
    return sent[0]


def test_an_update_is_announced_once_after_the_commit(make_article, heard):
    stories = articles(make_article, 3)
    heard.clear()
    with transaction.atomic():
        rows = Article.objects.filter(pk__in=[a.pk for a in stories[:2]]).update(
            title="Renamed"
        )
        assert heard == []  # Not before the commit.
    assert rows == 2
    change = only(heard)
    assert change["sender"] is Article
    assert change["instance"] is None
    assert change["pk"] is None
    assert sorted(change["pks"]) == sorted(a.pk for a in stories[:2])


def test_an_update_of_many_rows_announces_them_as_many(
    make_article, heard, monkeypatch
):
    from newsdesk.content.models import articles as module

    monkeypatch.setattr(module, "BULK_PKS_LIMIT", 2)
    articles(make_article, 3)
    heard.clear()
    Article.objects.update(title="Renamed")
    assert only(heard)["pks"] is None


def test_an_update_that_matches_nothing_announces_nothing(make_article, heard):
    make_article("Story")
    heard.clear()
    assert Article.objects.filter(title="No such story").update(title="x") == 0
    assert heard == []


def test_a_bulk_create_is_announced_once_with_the_new_keys(section, heard):
    with transaction.atomic():
        created = Article.objects.bulk_create(
            Article(
                title=f"Story {n}",
                slug=f"story-{n}",
                section=section,
                status=Article.Status.PUBLISHED,
                publish_at=timezone.now(),
            )
            for n in range(3)
        )
        assert heard == []
    change = only(heard)
    assert change["sender"] is Article
    assert sorted(change["pks"]) == sorted(a.pk for a in created)
    assert None not in change["pks"]


def test_a_bulk_update_is_announced_once_however_many_batches(make_article, heard):
    stories = articles(make_article, 3)
    heard.clear()
    for story in stories:
        story.title = f"Corrected {story.pk}"
    with transaction.atomic():
        # One UPDATE per article, each through the queryset's update().
        assert Article.objects.bulk_update(stories, ["title"], batch_size=1) == 3
        assert heard == []
    change = only(heard)
    assert change["instance"] is None
    assert sorted(change["pks"]) == sorted(a.pk for a in stories)


def test_bulk_writes_of_tags_are_announced_too(heard):
    Tag.objects.bulk_create([Tag(name="Trade", slug="trade")])
    Tag.objects.update(name="Commerce")
    assert [change["sender"] for change in heard] == [Tag, Tag]


@pytest.mark.parametrize("write", ["update", "bulk_create", "bulk_update"])
def test_a_rolled_back_bulk_write_is_never_announced(
    make_article, section, heard, write
):
    story = make_article("Story")
    heard.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        if write == "update":
            Article.objects.filter(pk=story.pk).update(title="Renamed")
        elif write == "bulk_create":
            Article.objects.bulk_create(
                [Article(title="New", slug="new", section=section)]
            )
        else:
            story.title = "Renamed"
            Article.objects.bulk_update([story], ["title"])
        raise RuntimeError("changed my mind")
    assert heard == []
    assert Article.objects.get().title == "Story"


def test_one_save_is_announced_with_its_key(make_article, heard):
    story = make_article("Story")
    heard.clear()
    story.title = "Renamed"
    story.save()
    change = only(heard)
    assert change["instance"] == story
    assert (change["pk"], change["pks"]) == (story.pk, (story.pk,))


def test_a_queryset_delete_is_announced_once_with_every_row(make_article, heard):
    stories = articles(make_article, 2)
    heard.clear()
    Article.objects.filter(pk__in=[a.pk for a in stories]).delete()
    change = only([c for c in heard if c["sender"] is Article])
    assert sorted(change["pks"]) == sorted(a.pk for a in stories)


def test_a_newsroom_save_with_its_tags_and_authors_is_heard_once(
    make_article, editor, heard
):
    from newsdesk.content import publishing
    from newsdesk.content.models import Author

    story = make_article("Story")
    tag = Tag.objects.create(name="A", slug="a")
    author = Author.objects.create(name="B", slug="b")
    heard.clear()
    story.title = "Renamed"
    publishing.save(story, by=editor, tags=[tag], authors=[author])
    change = only([c for c in heard if c["sender"] is Article])
    assert change["instance"] == story
    assert change["pks"] == (story.pk,)


def test_every_article_of_one_transaction_is_heard_in_one_change(make_article, heard):
    stories = articles(make_article, 3)
    heard.clear()
    with transaction.atomic():
        for story in stories:
            story.title += " renamed"
            story.save()
    change = only(heard)
    assert change["instance"] is None
    assert sorted(change["pks"]) == sorted(a.pk for a in stories)


def test_a_rolled_back_savepoint_keeps_the_rest_of_the_transaction_heard(
    make_article, heard
):
    first, second = articles(make_article, 2)
    heard.clear()
    with transaction.atomic():
        try:
            with transaction.atomic():
                first.title = "Rolled back"
                first.save()
                raise RuntimeError
        except RuntimeError:
            pass
        second.title = "Kept"
        second.save()
    assert second.pk in only(heard)["pks"]


def test_a_failing_listener_does_not_keep_the_others_from_hearing(make_article):
    later = []

    def broken(sender, **kwargs):
        raise ConnectionError("Redis went away")

    def listen(sender, **kwargs):
        later.append(sender)

    # Receivers run in the order they connected: the broken one first.
    content_changed.connect(broken, dispatch_uid="test-broken")
    content_changed.connect(listen, dispatch_uid="test-later")
    try:
        make_article("Story")
    finally:
        content_changed.disconnect(dispatch_uid="test-broken")
        content_changed.disconnect(dispatch_uid="test-later")
    assert Article in later
