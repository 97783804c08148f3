"""In a real Chromium: typing over a selected body picture never shreds the text.

Needs Debian's Chromium at /usr/bin/chromium; deselect with ``-m "not browser"``.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from newsdesk.media.tests.editing import insert_library_image, new_article_in_editor
from newsdesk.tests.support import TIMEOUT_MS, desk_login

SENTENCE = "Cranes worked through the night to clear the quay."


def top_level(html: str) -> list[tuple[str, str]]:
    """Return each top-level element of a body as (tag, text)."""
    body = HTMLParser(f"<body>{html}</body>").body
    return [(node.tag, node.text()) for node in body.iter()]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_typing_after_clicking_a_body_image_writes_one_paragraph_after_it(
    short_lived_connections, live_server, browser, editor, section, make_image
):
    from newsdesk.content.models import Article

    image = make_image("Cranes at the reopened harbour", caption="Monday morning.")
    page, prose = new_article_in_editor(
        browser, live_server, first_words="The harbour, seen from the pier."
    )
    insert_library_image(page, "Cranes at the reopened harbour")
    picture = prose.locator("figure img")
    expect(picture).to_have_count(1)

    picture.click()
    page.keyboard.type(SENTENCE)
    # The picture is still there, the sentence whole in one paragraph after it.
    expect(prose.locator("figure")).to_have_count(1)
    expect(picture).to_have_attribute("data-file", str(image.pk))
    expect(prose.locator("figure + p")).to_have_text(SENTENCE)
    expect(prose.locator("p")).to_have_count(2)

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    body = Article.objects.get(title="Harbour pictures").body
    assert top_level(body) == [
        ("p", "The harbour, seen from the pier."),
        ("figure", "Monday morning."),
        ("p", SENTENCE),
    ]
    figure = HTMLParser(body).css_first("figure img")
    assert figure.attributes["data-file"] == str(image.pk)
    assert figure.attributes["src"] == image.rendition_url()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_selected_picture_survives_enter_paste_and_undo(
    short_lived_connections, live_server, browser, editor, make_article, make_image
):
    from newsdesk.content.models import Article

    image = make_image("A ferry at the quay")
    article = make_article(
        "Ferries resume",
        status=Article.Status.DRAFT,
        body=f'<p>Intro.</p><figure><img src="/x.jpg" data-file="{image.pk}">'
        "<figcaption>The quay.</figcaption></figure>",
    )
    desk = browser.new_context(base_url=live_server.url)
    desk.set_default_timeout(TIMEOUT_MS)
    desk.grant_permissions(["clipboard-read", "clipboard-write"])
    page = desk.new_page()
    desk_login(page, "eddie")
    page.goto(f"/desk/content/article/{article.pk}/change/")
    prose = page.locator(".prose-editor [contenteditable='true']")
    picture = prose.locator("figure img")

    picture.click()
    page.keyboard.press("Enter")
    page.keyboard.type("After Enter.")
    picture.click()
    page.evaluate("navigator.clipboard.writeText('Pasted words.')")
    page.keyboard.press("Control+V")
    expect(prose.locator("figure")).to_have_count(1)
    expect(prose.locator("figure + p")).to_have_text("Pasted words.")
    expect(prose.locator("p")).to_have_text(["Intro.", "Pasted words.", "After Enter."])
    expect(prose.locator("figure img:not([src])")).to_have_count(0)

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    body = Article.objects.get(pk=article.pk).body
    assert [tag for tag, _ in top_level(body)] == ["p", "figure", "p", "p"]
    assert f'data-file="{image.pk}"' in body
