"""Revisions: every save kept with who and when, compared, restored, pruned."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from newsdesk.content import publishing, revisions
from newsdesk.content.models import Article, Revision, Section, Tag
from newsdesk.content.tests.test_newsroom import ADD_URL, form_data
from newsdesk.tests.support import parse, texts


def change_url(article: Article) -> str:
    return f"/desk/content/article/{article.pk}/change/"


def history_url(article: Article) -> str:
    return f"/desk/content/article/{article.pk}/history/"


def save(client, article: Article, section, **changes):
    """Post the newsroom form on top of the article's current version."""
    article.refresh_from_db()
    data = form_data(
        section,
        title=article.title,
        slug=article.slug,
        standfirst=article.standfirst,
        body=article.body,
        status=article.status,
        base_version=article.version,
    )
    if article.publish_at:
        local = timezone.localtime(article.publish_at)
        data |= {
            "publish_at_0": f"{local:%Y-%m-%d}",
            "publish_at_1": f"{local:%H:%M:%S}",
        }
    response = client.post(change_url(article), data | changes)
    assert response.status_code == 302, parse(response).css_first(".errorlist")
    return response


@pytest.fixture
def drafted(editor_client, section):
    """An article written in the newsroom: revision 1."""
    editor_client.post(ADD_URL, form_data(section))
    return Article.objects.get(slug="rail-link-opens")


def test_every_save_in_the_newsroom_keeps_a_revision_with_who_and_when(
    editor_client, editor, drafted, section
):
    save(editor_client, drafted, section, title="Rail link opens early")
    found = list(drafted.revisions.order_by("number"))
    assert [r.number for r in found] == [1, 2]
    assert [r.data["title"] for r in found] == [
        "Rail link opens",
        "Rail link opens early",
    ]
    assert {r.created_by for r in found} == {editor}
    assert found[1].created_at >= found[0].created_at
    assert found[1].data["section"] == {"id": section.pk, "name": "China"}
    # A save that changes nothing adds nothing.
    save(editor_client, drafted, section)
    assert drafted.revisions.count() == 2


def test_publishing_scheduling_and_unpublishing_are_an_audit_trail(
    editor_client, editor, drafted
):
    publishing.publish(
        article=drafted, by=editor, at=timezone.now() + timedelta(days=1)
    )
    publishing.publish(article=drafted, by=editor, at=timezone.now())
    publishing.unpublish(article=drafted, by=editor)
    kinds = list(drafted.revisions.order_by("number").values_list("kind", flat=True))
    assert kinds == ["save", "schedule", "publish", "unpublish"]
    tree = parse(editor_client.get(history_url(drafted)))
    rows = tree.css("#revision-list tbody tr")
    assert [texts(row, ".revision-kind")[0] for row in rows] == [
        "Unpublished", "Published", "Scheduled", "Saved",
    ]  # fmt: skip
    assert set(texts(tree, ".revision-by")) == {"eddie"}


def test_compare_marks_the_words_inserted_and_deleted(editor_client, drafted, section):
    save(editor_client, drafted, section, title="Rail link opens late",
         body="<h2>Route:</h2><p>The line runs east, past the port.</p>"
              "<ol><li>One</li></ol>")  # fmt: skip
    tree = parse(
        editor_client.get(
            f"/desk/content/article/{drafted.pk}/history/compare/", {"a": 1, "b": 2}
        )
    )
    changed = dict(zip(texts(tree, ".desk-changes dt"), tree.css(".desk-changes dd"),
                       strict=True))  # fmt: skip
    assert set(changed) == {"Headline", "Body"}
    assert texts(changed["Headline"], "ins") == ["late"]
    assert texts(changed["Body"], "del") == ["west."]
    assert "east, past the port." in " ".join(texts(changed["Body"], "ins"))
    assert "Route:" in changed["Body"].text()  # Unchanged text is shown too.


def test_restoring_an_old_revision_adds_it_as_the_newest(
    editor_client, editor, drafted, section
):
    publishing.publish(article=drafted, by=editor)
    save(editor_client, drafted, section, title="Wrong headline", status="published")
    response = editor_client.post(
        f"/desk/content/article/{drafted.pk}/history/1/restore/"
    )
    assert response.status_code == 302
    drafted.refresh_from_db()
    assert drafted.title == "Rail link opens"
    # Restoring text is not publishing or unpublishing.
    assert drafted.status == Article.Status.PUBLISHED
    newest = drafted.revisions.order_by("-number").first()
    assert (newest.number, newest.kind) == (4, Revision.Kind.RESTORE)
    assert newest.note == "Restored revision 1."
    assert drafted.revisions.get(number=3).data["title"] == "Wrong headline"


def test_a_revision_of_a_deleted_section_and_tag_still_restores(
    editor, make_article, make_section
):
    old_home = make_section("Old desk")
    tag = Tag.objects.create(name="Gone", slug="gone")
    article = make_article("Before", section=old_home, tags=[tag])
    first = revisions.record(article, by=editor)
    article.section = Section.objects.get(slug="china")
    article.title = "After"
    article.save()
    article.tags.clear()
    revisions.record(article, by=editor)
    old_home.delete()
    tag.delete()
    done = revisions.restore(first, by=editor)
    article.refresh_from_db()
    assert article.title == "Before"
    assert article.section.slug == "china"
    assert done.notes == [
        "Section “Old desk” no longer exists; kept “China”.",
        "Tag “Gone” no longer exists.",
    ]
    assert "Tag “Gone” no longer exists." in article.revisions.first().note


def test_writers_see_only_their_own_articles_history(
    writer_client, editor_client, drafted, section
):
    assert writer_client.get(history_url(drafted)).status_code == 404
    restore = f"/desk/content/article/{drafted.pk}/history/1/restore/"
    assert writer_client.post(restore).status_code == 404
    assert editor_client.get(restore).status_code == 405  # Restoring is a POST.


def test_pruning_keeps_the_newest_every_published_version_and_the_audit_trail(
    editor_client, editor, drafted, section
):
    publishing.publish(article=drafted, by=editor)  # 2: published (audit)
    for n in range(3):  # 3, 4, 5: plain saves; 5 is the newest.
        save(editor_client, drafted, section, title=f"Take {n}", status="published")
    unpublished = Article.objects.create(title="Draft", slug="draft", section=section,
                                         body="<p>x</p>")  # fmt: skip
    for n in range(2):
        unpublished.title = f"Draft {n}"
        unpublished.save()
        revisions.record(unpublished, by=editor)
    Revision.objects.update(created_at=timezone.now() - timedelta(days=100))
    call_command("prune-revisions", "--days", "30", verbosity=0)
    kept = set(drafted.revisions.values_list("number", flat=True))
    # 1 was an old draft's save; 2 is the audit trail; 3 to 5 are versions
    # readers saw, which can always be seen again.
    assert kept == {2, 3, 4, 5}
    assert list(unpublished.revisions.values_list("number", flat=True)) == [2]
    assert Revision.objects.filter(article=drafted, number=5).exists()


def test_recent_revisions_are_not_pruned(editor_client, drafted, section):
    save(editor_client, drafted, section, title="Second")
    assert revisions.prune(older_than=timedelta(days=30)) == 0
    assert drafted.revisions.count() == 2


def test_an_article_made_elsewhere_gets_a_baseline_when_first_opened(
    editor_client, make_article
):
    article = make_article("Imported earlier")
    editor_client.get(change_url(article))
    editor_client.get(change_url(article))
    (baseline,) = article.revisions.all()
    # Nobody published it here: the baseline is a plain revision, not an event.
    assert (baseline.kind, baseline.created_by) == (Revision.Kind.SAVE, None)
    assert baseline.data["title"] == "Imported earlier"


def test_a_revision_keeps_the_lead_image_and_restores_it(
    editor, make_article, make_image
):
    first_image, second_image = make_image("First picture"), make_image("Second")
    article = make_article(lead_image=first_image)
    first = revisions.record(article, by=editor)
    assert first.data["lead_image"] == {"id": first_image.pk, "alt": "First picture"}
    article.lead_image = second_image
    article.save()
    second = revisions.record(article, by=editor)
    changes = {c.field: c for c in revisions.compare(first.data, second.data)}
    assert changes["lead_image"].before == f"First picture (image {first_image.pk})"
    revisions.restore(first, by=editor)
    article.refresh_from_db()
    assert article.lead_image == first_image


def test_restoring_a_revision_whose_lead_image_was_deleted_notes_it(
    editor, make_article, make_image
):
    gone, kept = make_image("A deleted picture"), make_image("The current one")
    article = make_article(lead_image=gone)
    first = revisions.record(article, by=editor)
    article.lead_image = kept
    article.save()
    revisions.record(article, by=editor)
    gone.delete()
    done = revisions.restore(first, by=editor)
    article.refresh_from_db()
    assert article.lead_image == kept
    assert done.notes == [
        "Lead image “A deleted picture” no longer exists; kept “The current one”."
    ]


def test_a_revision_from_before_the_media_library_restores_its_image(
    editor, make_article, make_image
):
    image = make_image("Moved into the library")
    article = make_article()
    old = revisions.record(article, by=editor)
    # What revisions held when the article kept the file itself.
    old.data |= {"lead_image": image.file.name, "lead_image_alt": "Old alt"}
    old.save()
    revisions.restore(old, by=editor)
    article.refresh_from_db()
    assert article.lead_image == image


def test_restoring_an_address_now_taken_keeps_the_current_one(editor, make_article):
    article = make_article("First", slug="first-address")
    old = revisions.record(article, by=editor)
    article.slug = "second-address"
    article.title = "Second"
    article.save()
    make_article("Newcomer", slug="first-address")
    done = revisions.restore(old, by=editor)
    article.refresh_from_db()
    assert (article.title, article.slug) == ("First", "second-address")
    assert done.notes == [
        "The address “first-address” is now another article's; kept “second-address”."
    ]


def test_absurd_revision_numbers_are_not_found(editor_client, drafted):
    url = f"/desk/content/article/{drafted.pk}/history/compare/"
    for bad in ("99999999999999999999", "-1", "0"):
        assert editor_client.get(url, {"a": bad, "b": 1}).status_code == 404
    assert editor_client.get(url, {"a": "x"}).status_code == 400
