"""Who may change a library image's words, and what its "Used in" list shows."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from newsdesk.content.models import Article
from newsdesk.media.models import Image
from newsdesk.tests.support import member, parse, texts

NEW_WORDS = {"alt": "New words", "caption": "A new caption", "credit": "AP"}


def change_url(image) -> str:
    return f"/desk/media/image/{image.pk}/change/"


def body_with(image) -> str:
    return f'<p>Text.</p><img src="/x" data-file="{image.pk}">'


def assert_editable(client, image) -> None:
    page = parse(client.get(change_url(image)))
    assert page.css_first("input[name=alt]") is not None
    assert page.css_first(".field-read_only_note") is None
    response = client.post(change_url(image), NEW_WORDS)
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt == "New words"


def assert_read_only(client, image, reason: str) -> None:
    response = client.get(change_url(image))
    assert response.status_code == 200
    page = parse(response)
    # The words are shown, not offered for editing, with the reason.
    for name in ("alt", "caption", "credit"):
        assert page.css_first(f"[name={name}]") is None
    assert page.css_first(".field-alt .readonly").text(strip=True) == "Old words"
    note = page.css_first(".field-read_only_note .readonly").text(strip=True)
    assert reason in note
    assert "only an editor can change" in note
    assert page.css_first("input[name=_save]") is None
    # Posting anyway changes nothing.
    assert client.post(change_url(image), NEW_WORDS).status_code == 403
    image.refresh_from_db()
    assert image.alt == "Old words"


def test_a_writer_changes_an_image_used_only_in_her_own_draft(
    writer_client, writer, make_image, make_article
):
    image = make_image("Old words")
    make_article(status=Article.Status.DRAFT, created_by=writer, lead_image=image)
    make_article(status=Article.Status.DRAFT, created_by=writer, body=body_with(image))
    assert_editable(writer_client, image)


def test_a_writer_changes_an_unused_image_she_uploaded(
    writer_client, writer, make_image
):
    assert_editable(writer_client, make_image("Old words", uploaded_by=writer))


def test_a_writer_cannot_change_an_image_of_a_published_article(
    writer_client, writer, make_image, make_article
):
    image = make_image("Old words", uploaded_by=writer)
    make_article(status=Article.Status.DRAFT, created_by=writer, lead_image=image)
    # Even her own published article: that is the desk's now.
    make_article(created_by=writer, body=body_with(image))
    assert_read_only(writer_client, image, "published or scheduled article")


def test_a_writer_cannot_change_an_image_of_a_scheduled_article(
    writer_client, writer, make_image, make_article
):
    image = make_image("Old words", uploaded_by=writer)
    make_article(publish_at=timezone.now() + timedelta(days=1), lead_image=image)
    assert_read_only(writer_client, image, "published or scheduled article")


def test_a_writer_cannot_change_an_image_in_a_colleagues_draft(
    writer_client, writer, make_image, make_article
):
    colleague = member("walter", "Writer")
    image = make_image("Old words", uploaded_by=writer)
    make_article(status=Article.Status.DRAFT, created_by=writer, lead_image=image)
    make_article(
        status=Article.Status.DRAFT, created_by=colleague, body=body_with(image)
    )
    assert_read_only(writer_client, image, "another person's article")


def test_a_writer_cannot_change_an_unused_image_someone_else_uploaded(
    writer_client, editor, make_image
):
    image = make_image("Old words", uploaded_by=editor)
    assert_read_only(writer_client, image, "Someone else uploaded")


def test_an_editor_changes_any_image(editor_client, writer, make_image, make_article):
    image = make_image("Old words", uploaded_by=writer)
    make_article(lead_image=image)
    make_article(status=Article.Status.DRAFT, created_by=writer, body=body_with(image))
    assert_editable(editor_client, image)


def test_a_writer_sees_published_and_own_articles_in_used_in(
    writer_client, writer, editor, make_image, make_article
):
    image = make_image("Old words")
    make_article("Published story", lead_image=image, created_by=editor)
    make_article(
        "Her own draft",
        status=Article.Status.DRAFT,
        created_by=writer,
        body=body_with(image),
    )
    make_article(
        "Secret merger talks",
        status=Article.Status.DRAFT,
        created_by=editor,
        lead_image=image,
    )
    make_article(
        "Embargoed results",
        publish_at=timezone.now() + timedelta(hours=3),
        created_by=editor,
        body=body_with(image),
    )
    page = parse(writer_client.get(change_url(image)))
    assert sorted(texts(page, ".field-used_in li")) == [
        "Her own draft",
        "Published story",
    ]
    used_in = page.css_first(".field-used_in").text()
    assert "Secret merger" not in used_in
    assert "Embargoed" not in used_in
    assert "2 unpublished article(s) by others" in used_in
    # Her own article opens in the newsroom; the published one on the site.
    links = {
        a.text(strip=True): a.attributes["href"] for a in page.css(".field-used_in a")
    }
    assert links["Her own draft"].startswith("/desk/content/article/")
    assert links["Published story"].startswith("/china/")


def test_an_editor_sees_every_article_in_used_in(
    editor_client, writer, make_image, make_article
):
    image = make_image("Old words")
    make_article("Published story", lead_image=image)
    make_article(
        "A writer's draft",
        status=Article.Status.DRAFT,
        created_by=writer,
        body=body_with(image),
    )
    page = parse(editor_client.get(change_url(image)))
    assert sorted(texts(page, ".field-used_in li")) == [
        "A writer's draft",
        "Published story",
    ]


def test_a_writer_still_uploads_images(writer_client, writer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from newsdesk.lib.tests.pictures import picture

    upload = SimpleUploadedFile("p.png", picture("PNG", (600, 400)), "image/png")
    response = writer_client.post(
        "/desk/media/image/add/", {"upload": upload, "alt": "A new picture"}
    )
    assert response.status_code == 302
    assert Image.objects.get().uploaded_by == writer
