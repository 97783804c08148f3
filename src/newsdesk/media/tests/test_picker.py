"""The body editor's "Browse..." window: pick a library image."""

from __future__ import annotations

import json

from newsdesk.tests.support import parse

PICKER = "/desk/media/image/picker/"


def test_the_body_editor_browses_the_library(editor_client, make_image):
    """The article form's body editor opens the picker, which lists the library."""
    image = make_image("A pier at low tide")
    form = parse(editor_client.get("/desk/content/article/add/"))
    body = form.css_first("textarea[name=body]")
    config = json.loads(body.attributes["data-django-prose-editor-configurable"])
    # The editor's Figure extension shows "Browse...", which opens this address.
    picker = config["extensions"]["Figure"]["pickerUrl"]
    listed = parse(editor_client.get(picker))
    buttons = listed.css(".picker button")
    assert [b.attributes["data-id"] for b in buttons] == [str(image.pk)]


def test_the_picker_lists_images_with_what_the_editor_needs(writer_client, make_image):
    image = make_image("A pier at low tide", caption="Qingdao, Monday.")
    page = parse(writer_client.get(PICKER, {"CKEditorFuncNum": "-1"}))
    assert page.css_first(".picker").attributes["data-func-num"] == "-1"
    button = page.css_first(".picker button")
    assert button.attributes["data-id"] == str(image.pk)
    assert button.attributes["data-alt"] == "A pier at low tide"
    assert button.attributes["data-caption"] == "Qingdao, Monday."
    assert button.attributes["data-url"] == image.rendition_url()
    assert button.css_first("img").attributes["alt"] == "A pier at low tide"


def test_the_picker_searches_alt_text_caption_and_credit(editor_client, make_image):
    make_image("A pier", credit="Reuters")
    make_image("A mountain")
    page = parse(editor_client.get(PICKER, {"q": "reuters"}))
    assert [b.attributes["data-alt"] for b in page.css(".picker button")] == ["A pier"]


def test_readers_cannot_open_the_picker(client):
    assert client.get(PICKER).status_code == 302
