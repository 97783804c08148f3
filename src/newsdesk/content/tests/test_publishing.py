"""One publishing path: every write goes through newsdesk.content.publishing.

Each path (the newsroom's form, its list actions, restoring a revision, a bulk
add) records exactly one revision with its kind and who, sets the publish time
when an article goes public without one, and refuses a writer who would
publish, with nothing saved.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsdesk.content import publishing
from newsdesk.content.models import Article, Author, Revision, Tag
from newsdesk.content.tests.test_newsroom import ADD_URL, form_data
from newsdesk.tests.support import parse, texts

LIST_URL = "/desk/content/article/"


def change_url(article: Article) -> str:
    return f"/desk/content/article/{article.pk}/change/"


def restore_url(article: Article, number: int) -> str:
    return f"/desk/content/article/{article.pk}/history/{number}/restore/"


def kinds(article: Article) -> list[tuple[str, str | None]]:
    """The article's revisions, oldest first: (kind, who)."""
    return [
        (r.kind, r.created_by.username if r.created_by else None)
        for r in article.revisions.order_by("number").select_related("created_by")
    ]


def unchanged(article: Article) -> bool:
    """Tell whether the stored article is as the caller last saw it."""
    stored = Article.objects.get(pk=article.pk)
    return (stored.version, stored.status, stored.publish_at, stored.title) == (
        article.version,
        article.status,
        article.publish_at,
        article.title,
    )


# --- The newsroom's form ----------------------------------------------------


def test_the_form_publishes_with_one_revision_and_a_publish_time(
    editor_client, section
):
    tag = Tag.objects.create(name="Rail", slug="rail")
    author = Author.objects.create(name="Li Wei", slug="li-wei")
    before = timezone.now().replace(microsecond=0)
    response = editor_client.post(
        ADD_URL,
        form_data(section, status="published", tags=[tag.pk], authors=[author.pk]),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.is_public
    assert before <= article.publish_at <= timezone.now()
    assert kinds(article) == [("publish", "eddie")]
    # The revision holds the tags and authors saved with the article.
    revision = article.revisions.get()
    assert [t["name"] for t in revision.data["tags"]] == ["Rail"]
    assert [a["name"] for a in revision.data["authors"]] == ["Li Wei"]
    assert revision.data["publish_at"] == article.publish_at.isoformat()
    assert list(article.tags.all()) == [tag]
    assert list(article.authors.all()) == [author]


def test_the_form_saves_a_draft_with_one_revision(writer_client, writer, section):
    assert writer_client.post(ADD_URL, form_data(section)).status_code == 302
    article = Article.objects.get()
    assert article.created_by == writer
    assert article.publish_at is None
    assert kinds(article) == [("save", "wendy")]


def test_the_form_publishes_an_existing_draft_with_one_revision(
    editor_client, make_article
):
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    response = editor_client.post(
        change_url(draft),
        form_data(draft.section, status="published", slug=draft.slug),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_public
    assert kinds(draft) == [("publish", "eddie")]


def test_the_form_refuses_a_writer_who_publishes_and_saves_nothing(
    writer_client, writer, make_article, section
):
    response = writer_client.post(ADD_URL, form_data(section, status="published"))
    assert response.status_code == 200
    assert texts(parse(response), ".field-status .errorlist li") == [publishing.REFUSAL]
    assert not Article.objects.exists()

    draft = make_article(status=Article.Status.DRAFT, created_by=writer)
    writer_client.get(change_url(draft))  # Opening it keeps a baseline revision.
    history = kinds(draft)
    response = writer_client.post(
        change_url(draft), form_data(draft.section, status="published", slug=draft.slug)
    )
    assert response.status_code == 200
    assert publishing.REFUSAL in texts(parse(response), ".field-status .errorlist li")
    assert unchanged(draft)
    assert kinds(draft) == history


# --- The list actions -------------------------------------------------------


def test_the_publish_action_records_one_revision_and_sets_the_time(
    editor_client, make_article
):
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    before = timezone.now().replace(microsecond=0)
    editor_client.post(
        LIST_URL, {"action": "publish_selected", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.is_public
    # Whole seconds, set by the publishing module as for the form.
    assert draft.publish_at >= before
    assert draft.publish_at.microsecond == 0
    assert kinds(draft) == [("publish", "eddie")]


def test_the_publish_action_keeps_a_public_articles_time_and_history(
    editor_client, make_article
):
    public = make_article(publish_at=timezone.now() - timedelta(days=3))
    editor_client.post(
        LIST_URL, {"action": "publish_selected", "_selected_action": [public.pk]}
    )
    assert unchanged(public)
    assert kinds(public) == []


def test_the_unpublish_action_records_one_revision(editor_client, make_article):
    public = make_article()
    editor_client.post(
        LIST_URL, {"action": "unpublish_selected", "_selected_action": [public.pk]}
    )
    public.refresh_from_db()
    assert public.status == Article.Status.DRAFT
    assert kinds(public) == [("unpublish", "eddie")]


@pytest.mark.parametrize("action", ["publish_selected", "unpublish_selected"])
def test_the_list_actions_refuse_a_writer_and_save_nothing(
    writer_client, writer, make_article, action
):
    draft = make_article(status=Article.Status.DRAFT, created_by=writer)
    public = make_article(created_by=writer)
    writer_client.post(
        LIST_URL, {"action": action, "_selected_action": [draft.pk, public.pk]}
    )
    assert unchanged(draft)
    assert unchanged(public)
    assert not Revision.objects.exists()


# --- Restoring a revision ---------------------------------------------------


def test_restoring_records_one_revision_and_keeps_the_publishing_state(
    editor_client, editor, make_article
):
    article = make_article("First headline")
    publishing.save(article, by=editor)
    article.title = "Second headline"
    publishing.save(article, by=editor)
    response = editor_client.post(restore_url(article, 1))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "First headline"
    assert article.is_public
    assert kinds(article) == [
        ("publish", "eddie"),  # Its first revision: published, as it stands.
        ("save", "eddie"),
        ("restore", "eddie"),
    ]


def test_a_writer_cannot_restore_a_published_articles_revision(
    writer_client, writer, editor, make_article
):
    article = make_article("As published", created_by=writer)
    publishing.save(article, by=editor)
    article.title = "Edited by the desk"
    publishing.save(article, by=editor)
    article.refresh_from_db()
    response = writer_client.post(restore_url(article, 1))
    assert response.status_code in (403, 404)
    assert unchanged(article)
    assert article.revisions.count() == 2
    # The publishing module refuses it whoever calls it.
    with pytest.raises(PermissionDenied):
        publishing.restore(article.revisions.get(number=1), by=writer)
    assert unchanged(article)
    assert article.revisions.count() == 2


def test_a_writer_restores_their_own_drafts_revision(writer, make_article):
    draft = make_article("First", status=Article.Status.DRAFT, created_by=writer)
    publishing.save(draft, by=writer)
    draft.title = "Second"
    publishing.save(draft, by=writer)
    publishing.restore(draft.revisions.get(number=1), by=writer)
    draft.refresh_from_db()
    assert draft.title == "First"
    assert kinds(draft)[-1] == ("restore", "wendy")


# --- publishing.save, called directly ----------------------------------------


def test_save_refuses_a_writer_who_publishes_and_saves_nothing(writer, section):
    article = Article(
        title="Scoop", slug="scoop", section=section, body="<p>x</p>",
        status=Article.Status.PUBLISHED,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        publishing.save(article, by=writer)
    assert not Article.objects.exists()
    assert not Revision.objects.exists()


def test_save_refuses_a_writer_who_unpublishes_or_edits_a_published_article(
    writer, make_article
):
    public = make_article(created_by=writer)
    public.status = Article.Status.DRAFT
    with pytest.raises(PermissionDenied):
        publishing.save(public, by=writer)
    public = Article.objects.get(pk=public.pk)
    public.title = "Changed"
    with pytest.raises(PermissionDenied):
        publishing.save(public, by=writer)
    stored = Article.objects.get(pk=public.pk)
    assert stored.status == Article.Status.PUBLISHED
    assert stored.title != "Changed"
    assert stored.version == 1
    assert not Revision.objects.exists()


# --- The database refuses a bypass ---------------------------------------------


def test_a_published_article_without_a_publish_time_is_refused_by_the_database(
    make_article, section
):
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=draft.pk).update(status="published", publish_at=None)
    public = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=public.pk).update(publish_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(
            title="Bypass", slug="bypass", section=section, body="<p>x</p>",
            status=Article.Status.PUBLISHED,
        )  # fmt: skip
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT
    assert Article.objects.get(pk=public.pk).publish_at is not None
    assert not Article.objects.filter(slug="bypass").exists()


# --- add_many, for importers -------------------------------------------------


def _new(section, tags, authors, count: int, start: int = 0) -> list[publishing.New]:
    return [
        publishing.New(
            Article(
                title=f"Imported {n}",
                slug=f"imported-{n}",
                section=section,
                body=f"<p>Story {n}</p><script>alert({n})</script>"
                '<p onclick="steal()">more</p>',
                status=Article.Status.PUBLISHED if n % 2 else Article.Status.DRAFT,
            ),
            tags=[t.pk for t in tags],
            authors=[a.pk for a in authors],
        )
        for n in range(start, start + count)
    ]


@pytest.fixture
def terms(db):
    tags = [Tag.objects.create(name=f"Tag {n}", slug=f"tag-{n}") for n in range(3)]
    authors = [
        Author.objects.create(name=f"Author {n}", slug=f"author-{n}") for n in range(2)
    ]
    return tags, authors


def test_add_many_adds_sanitized_linked_articles_each_with_a_revision(section, terms):
    tags, authors = terms
    before = timezone.now().replace(microsecond=0)
    created = publishing.add_many(_new(section, tags, authors, 6), note="From a feed")
    assert len(created) == Article.objects.count() == 6
    for article in Article.objects.prefetch_related("tags", "authors"):
        assert "<script" not in article.body
        assert "alert(" not in article.body
        assert "onclick" not in article.body
        assert "<p>more</p>" in article.body
        assert set(article.tags.all()) == set(tags)
        assert set(article.authors.all()) == set(authors)
        if article.status == Article.Status.PUBLISHED:
            assert before <= article.publish_at <= timezone.now()
            assert article.is_public
        else:
            assert article.publish_at is None
        revision = article.revisions.get()
        assert (revision.number, revision.kind) == (1, Revision.Kind.IMPORT)
        assert revision.created_by is None
        assert revision.note == "From a feed"
        assert revision.data["body"] == article.body
        assert revision.data["status"] == article.status
        assert len(revision.data["tags"]) == 3


def test_add_many_costs_the_same_queries_for_5_or_50_articles(section, terms):
    tags, authors = terms
    with CaptureQueriesContext(connection) as five:
        publishing.add_many(_new(section, tags, authors, 5))
    with CaptureQueriesContext(connection) as fifty:
        publishing.add_many(_new(section, tags, authors, 50, start=5))
    assert Article.objects.count() == 55
    assert Revision.objects.count() == 55
    assert len(fifty) == len(five)


def test_add_many_refuses_a_writer_who_publishes_and_adds_nothing(
    writer, section, terms
):
    tags, authors = terms
    with pytest.raises(PermissionDenied):
        publishing.add_many(_new(section, tags, authors, 4), by=writer)
    assert not Article.objects.exists()
    assert not Revision.objects.exists()


def test_add_many_by_a_writer_adds_their_drafts(writer, section, terms):
    tags, authors = terms
    drafts = [n for n in _new(section, tags, authors, 4) if n.article.status == "draft"]
    publishing.add_many(drafts, by=writer)
    for article in Article.objects.all():
        assert article.created_by == writer
        assert kinds(article) == [("save", "wendy")]
