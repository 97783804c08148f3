"""Uploading to the media library from the newsroom, and what is refused."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as Pillow

from newsdesk.lib.tests.pictures import GPS_IFD, bomb_png, picture
from newsdesk.media.models import Image
from newsdesk.tests.support import parse, texts

ADD_URL = "/desk/media/image/add/"


def upload(client, name: str, data: bytes, **fields):
    form = {"alt": "Workers lay track", "caption": "", "credit": ""} | fields
    form["upload"] = SimpleUploadedFile(name, data)
    return client.post(ADD_URL, form)


def stored_files(media_root) -> list[str]:
    if not media_root.exists():
        return []
    return sorted(
        str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()
    )


def errors(response) -> str:
    return " ".join(texts(parse(response), ".errorlist"))


def test_an_editor_uploads_an_image_with_alt_caption_and_credit(
    editor_client, editor, media_root
):
    response = upload(
        editor_client,
        "Track Laying.JPG",
        picture("JPEG", (2000, 1000)),
        caption="The last stretch of the western line.",
        credit="Wang Fang / Newsdesk",
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.alt, image.credit) == ("Workers lay track", "Wang Fang / Newsdesk")
    assert image.caption == "The last stretch of the western line."
    assert (image.width, image.height, image.mime_type) == (2000, 1000, "image/jpeg")
    assert image.uploaded_by == editor
    assert image.file.name.startswith("images/")
    assert "track-laying" in image.file.name
    # The original and, at each width, WebP and JPEG.
    assert len(stored_files(media_root)) == 7
    assert sorted(stored_files(media_root)) == sorted(image.files())


def test_a_writer_may_upload_too(writer_client, media_root):
    response = upload(writer_client, "a.png", picture("PNG", (300, 200)))
    assert response.status_code == 302
    assert Image.objects.count() == 1


def test_an_upload_that_storage_drops_partway_leaves_no_file(
    editor_client, media_root, monkeypatch
):
    from django.core.files.storage import FileSystemStorage

    real_save, writes = FileSystemStorage.save, []

    def flaky_save(storage, name, content, *args, **kwargs):
        writes.append(name)
        if len(writes) == 3:  # The storage (a bucket, a disk) gives out.
            raise OSError("storage went away")
        return real_save(storage, name, content, *args, **kwargs)

    # On the class: `media_root` swaps the default storage's instance.
    monkeypatch.setattr(FileSystemStorage, "save", flaky_save)
    with pytest.raises(OSError):
        upload(editor_client, "a.jpg", picture("JPEG", (2000, 1000)))
    assert len(writes) == 3
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_an_upload_the_database_refuses_leaves_no_file(
    editor_client, media_root, monkeypatch
):
    def fail(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Image, "save", fail)
    with pytest.raises(RuntimeError):
        upload(editor_client, "a.jpg", picture("JPEG", (2000, 1000)))
    assert stored_files(media_root) == []


def test_the_form_names_the_limits_and_formats(editor_client):
    page = parse(editor_client.get(ADD_URL))
    help_text = page.css_first(".field-upload").text()
    assert "JPEG, PNG, WebP or AVIF, at most 20 MB and 50 megapixels" in help_text
    assert "required" in page.css_first("input[name=alt]").attributes


def test_uploading_without_alt_text_is_refused(editor_client, media_root):
    response = upload(editor_client, "a.jpg", picture("JPEG", (300, 200)), alt="  ")
    assert response.status_code == 200
    assert "This field is required" in errors(response)
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_a_text_file_named_jpg_is_refused_and_leaves_no_file(editor_client, media_root):
    response = upload(editor_client, "photo.jpg", b"Not a picture, only words.\n" * 50)
    assert response.status_code == 200
    assert "is not a JPEG, PNG, WebP or AVIF image, whatever its name says" in errors(
        response
    )
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_a_png_named_jpg_is_accepted_as_the_png_it_is(editor_client, media_root):
    response = upload(editor_client, "photo.jpg", picture("PNG", (300, 200)))
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.mime_type == "image/png"
    assert image.file.name.endswith(".png")


@pytest.mark.parametrize("fmt", ["GIF", "TIFF"])
def test_unsupported_formats_are_refused(editor_client, media_root, fmt):
    response = upload(editor_client, f"a.{fmt.lower()}", picture(fmt, (30, 20)))
    assert "not a JPEG, PNG, WebP or AVIF image" in errors(response)
    assert stored_files(media_root) == []


def test_svg_is_refused(editor_client, media_root):
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><script/></svg>'
    )
    response = upload(editor_client, "logo.svg", svg)
    assert "not a JPEG, PNG, WebP or AVIF image" in errors(response)
    assert stored_files(media_root) == []


def test_a_file_over_the_size_limit_is_refused(editor_client, media_root, settings):
    settings.NEWSDESK_MAX_UPLOAD_MB = 1
    noise = Pillow.effect_noise((1000, 1000), 100).convert("RGB")
    out = io.BytesIO()
    noise.save(out, "PNG")
    assert len(out.getvalue()) > 1_000_000
    response = upload(editor_client, "noise.png", out.getvalue())
    assert "larger than the limit of 1 MB" in errors(response)
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_a_decompression_bomb_is_refused_with_a_clear_message(
    editor_client, media_root
):
    response = upload(editor_client, "bomb.png", bomb_png(100_000, 100_000))
    assert response.status_code == 200
    assert "too many pixels" in errors(response)
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_an_image_over_the_pixel_limit_is_refused(editor_client, media_root, settings):
    settings.NEWSDESK_MAX_IMAGE_PIXELS = 100_000
    response = upload(editor_client, "big.png", picture("PNG", (400, 300)))
    assert "400×300 pixels, more than the limit of 0.1 megapixels" in errors(response)
    assert stored_files(media_root) == []


def test_location_data_never_reaches_storage(editor_client, media_root):
    data = picture("JPEG", (1200, 900), gps=True)
    assert GPS_IFD in Pillow.open(io.BytesIO(data)).getexif()
    upload(editor_client, "holiday.jpg", data)
    image = Image.objects.get()
    for name in image.files():
        stored = Pillow.open(media_root / name)
        assert not stored.getexif(), name


def test_alt_text_caption_and_credit_can_be_edited_later(editor_client, make_image):
    image = make_image("Old words")
    response = editor_client.post(
        f"/desk/media/image/{image.pk}/change/",
        {"alt": "New words", "caption": "Now with a caption", "credit": "AP"},
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.alt, image.caption, image.credit) == (
        "New words",
        "Now with a caption",
        "AP",
    )


def test_deleting_an_image_deletes_its_files(
    editor_client, make_image, media_root, django_capture_on_commit_callbacks
):
    image = make_image()
    assert stored_files(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            f"/desk/media/image/{image.pk}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302
    assert stored_files(media_root) == []


def test_an_image_in_use_as_a_lead_image_cannot_be_deleted(
    editor_client, make_image, make_article
):
    image = make_image()
    make_article(lead_image=image)
    response = editor_client.post(
        f"/desk/media/image/{image.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 200
    assert Image.objects.filter(pk=image.pk).exists()


def test_the_list_shows_thumbnails_with_alt_text(editor_client, make_image):
    make_image("A harbour at dawn")
    page = parse(editor_client.get("/desk/media/image/"))
    thumb = page.css_first("td.field-preview img, th.field-preview img")
    assert thumb.attributes["alt"] == "A harbour at dawn"
    assert thumb.attributes["src"].endswith("-480.webp")


def test_readers_cannot_reach_the_library(client, make_image):
    response = client.get("/desk/media/image/")
    assert response.status_code == 302


def test_the_change_page_lists_the_articles_using_the_image(
    editor_client, make_image, make_article
):
    image = make_image()
    make_article("Uses it as lead", lead_image=image)
    make_article("Uses it in the body", body=f'<img src="/x" data-file="{image.pk}">')
    make_article("Does not use it")
    page = parse(editor_client.get(f"/desk/media/image/{image.pk}/change/"))
    used = sorted(texts(page, ".field-used_in li"))
    assert used == ["Uses it as lead", "Uses it in the body"]
