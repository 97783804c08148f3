"""A body's image given by a library file's address is bound to that image."""

from __future__ import annotations

import pytest
from django.conf import settings

from newsdesk.lib.markup import find_images
from newsdesk.lib.tests.pictures import picture
from newsdesk.media import images
from newsdesk.media.body import bind_images

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("token", ["1a2b3c4d", "12345678"], ids=["hex", "all-digits"])
def test_an_address_of_a_library_file_binds_its_image(media_root, monkeypatch, token):
    # A stored name ends with a random token; in one name out of ~40 it is all
    # decimal digits, and must not be taken for a rendition's width.
    monkeypatch.setattr(images.secrets, "token_hex", lambda n: token)
    image = images.create_image(
        picture("JPEG", (640, 480)), alt="The pier", name="pier.jpg"
    )
    assert token in image.file.name
    for address in [image.file.name, *(r["name"] for r in image.renditions)]:
        body = f'<p>At the pier.</p><img src="{settings.MEDIA_URL}{address}">'
        (bound,) = find_images(bind_images(body))
        assert bound.get("data-file") == str(image.pk), address
