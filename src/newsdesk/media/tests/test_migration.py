"""Articles' own lead images move into the media library on migrating."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from newsdesk.lib.tests.pictures import picture

BEFORE = [("content", "0004_revisions_and_versions"), ("media", "0001_initial")]
AFTER = [("content", "0005_lead_image_from_the_media_library")]


@pytest.mark.django_db(transaction=True)
def test_existing_lead_images_move_into_the_library(media_root, migrator):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    section = old.get_model("content", "Section").objects.create(name="A", slug="a")
    media_root.mkdir(parents=True, exist_ok=True)
    (media_root / "lead").mkdir()
    (media_root / "lead" / "dam.jpg").write_bytes(picture("JPEG", (64, 32)))
    Article = old.get_model("content", "Article")
    common = {"section": section, "body": "<p>x</p>", "status": "draft"}
    Article.objects.create(
        title="With alt", slug="with-alt", lead_image="lead/dam.jpg",
        lead_image_width=64, lead_image_height=32, lead_image_alt="A dam", **common,
    )  # fmt: skip
    Article.objects.create(
        title="No alt", slug="no-alt", lead_image="lead/dam.jpg",
        lead_image_width=64, lead_image_height=32, **common,
    )  # fmt: skip
    Article.objects.create(title="Bare", slug="bare", **common)
    old.get_model("content", "Revision").objects.create(
        article=Article.objects.get(slug="with-alt"), number=1, version=1,
        data={"lead_image": "lead/dam.jpg", "lead_image_alt": "A dam", "title": "x"},
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    new = executor.loader.project_state(AFTER).apps
    Article = new.get_model("content", "Article")
    with_alt = Article.objects.select_related("lead_image").get(slug="with-alt")
    assert with_alt.lead_image.file.name == "lead/dam.jpg"
    assert (with_alt.lead_image.width, with_alt.lead_image.height) == (64, 32)
    assert with_alt.lead_image.alt == "A dam"
    assert with_alt.lead_image.mime_type == "image/jpeg"
    # An image without alt text gets the headline: never an empty alt.
    assert Article.objects.get(slug="no-alt").lead_image.alt == "No alt"
    assert Article.objects.get(slug="bare").lead_image is None
    # Revisions now name the library image, as new ones do.
    revision = new.get_model("content", "Revision").objects.get()
    assert revision.data == {
        "lead_image": {"id": with_alt.lead_image_id, "alt": "A dam"},
        "title": "x",
    }
