"""create_image(): the one way into the library, for the newsroom and importers."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from newsdesk.lib.tests.pictures import picture
from newsdesk.media.images import ImageRefused, create_image
from newsdesk.media.models import Image


def files(media_root) -> list:
    return (
        [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []
    )


def test_it_makes_renditions_of_the_expected_sizes(db, media_root):
    image = create_image(picture("JPEG", (2400, 1600)), alt="A field", name="f.jpg")
    made = [(r["mime_type"], r["width"], r["height"]) for r in image.renditions]
    assert made == [
        ("image/webp", 480, 320), ("image/jpeg", 480, 320),
        ("image/webp", 960, 640), ("image/jpeg", 960, 640),
        ("image/webp", 1600, 1067), ("image/jpeg", 1600, 1067),
    ]  # fmt: skip
    assert image.srcset("image/webp").count("w,") == 2
    assert image.rendition_url(700).endswith("-960.jpg")
    assert image.largest()["width"] == 1600


def test_a_small_image_is_never_made_larger(db, media_root):
    image = create_image(picture("PNG", (300, 100)), alt="A stamp")
    assert {r["width"] for r in image.renditions} == {300}
    assert image.rendition_url(960) == image.url


def test_it_accepts_an_open_file(db, media_root, tmp_path):
    path = tmp_path / "upload.webp"
    path.write_bytes(picture("WEBP", (640, 480)))
    with path.open("rb") as handle:
        image = create_image(handle, alt="A web picture")
    assert image.mime_type == "image/webp"
    assert "upload" in image.file.name


def test_avif_is_accepted(db, media_root):
    image = create_image(picture("AVIF", (500, 250)), alt="An AVIF picture")
    assert image.mime_type == "image/avif"
    assert {r["mime_type"] for r in image.renditions} == {"image/webp", "image/avif"}


def test_alt_text_is_required(db, media_root):
    with pytest.raises(ImageRefused, match="alt text"):
        create_image(picture("JPEG", (64, 64)), alt=" ")
    assert files(media_root) == []


def test_the_database_refuses_an_empty_alt_text(db):
    with pytest.raises(IntegrityError):
        Image.objects.create(
            file="x.jpg", width=1, height=1, mime_type="image/jpeg", alt=""
        )


def test_a_failed_save_leaves_no_file_behind(db, media_root, monkeypatch):
    def fail(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Image, "save", fail)
    with pytest.raises(RuntimeError):
        create_image(picture("JPEG", (1000, 500)), alt="Lost")
    assert files(media_root) == []
