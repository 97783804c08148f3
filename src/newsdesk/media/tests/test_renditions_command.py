"""`newsdesk renditions`: images moved in from before the library get renditions."""

from __future__ import annotations

from django.core.management import call_command
from PIL import Image as Pillow

from newsdesk.lib.tests.pictures import picture
from newsdesk.media.models import Image


def test_it_cleans_moved_images_and_makes_their_renditions(
    db, media_root, django_capture_on_commit_callbacks, capsys
):
    (media_root / "lead").mkdir(parents=True)
    (media_root / "lead" / "old.jpg").write_bytes(
        picture("JPEG", (1000, 500), gps=True)
    )
    moved = Image.objects.create(
        file="lead/old.jpg", width=1000, height=500, mime_type="image/jpeg", alt="Old"
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("renditions")
    moved.refresh_from_db()
    assert {r["width"] for r in moved.renditions} == {480, 960, 1000}
    assert moved.file.name.startswith("images/")
    assert not Pillow.open(media_root / moved.file.name).getexif()
    assert not (media_root / "lead" / "old.jpg").exists()
    assert "Made renditions for 1 image(s); 0 failed." in capsys.readouterr().out


def test_it_leaves_images_with_renditions_alone(make_image, capsys):
    image = make_image()
    call_command("renditions")
    image.refresh_from_db()
    assert "for 0 image(s)" in capsys.readouterr().out
