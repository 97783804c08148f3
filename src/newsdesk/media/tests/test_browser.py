"""In a real Chromium: an editor puts a library image into an article's body.

Needs Debian's Chromium at /usr/bin/chromium; deselect with ``-m "not browser"``.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from newsdesk.testing import TIMEOUT_MS, desk_login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_editor_picks_a_body_image_from_the_library(
    short_lived_connections, live_server, browser, editor, section, make_image
):
    from newsdesk.content.models import Article

    image = make_image("Cranes at the reopened harbour", caption="Monday morning.")
    desk = browser.new_context(base_url=live_server.url)
    desk.set_default_timeout(TIMEOUT_MS)
    page = desk.new_page()
    desk_login(page, "eddie")
    page.goto("/desk/content/article/add/")
    page.locator("#id_title").fill("Harbour pictures")
    page.locator("#id_section").select_option(label="China")
    prose = page.locator(".prose-editor [contenteditable='true']")
    prose.click()
    page.keyboard.type("The harbour, seen from the pier.")

    page.get_by_role("button", name="figure", exact=True).click()
    dialog = page.locator("dialog[open]")
    with page.expect_popup() as opened:
        dialog.get_by_role("button", name="Browse...").click()
    picker = opened.value
    picker.get_by_role("button", name="Cranes at the reopened harbour").click()
    expect(dialog.locator("input[name=altText]")).to_have_value(
        "Cranes at the reopened harbour"
    )
    dialog.get_by_role("button", name="Insert").click()
    expect(prose.locator("figure img")).to_have_count(1)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    # The picker hands over the library's id, alt text and caption.
    article = Article.objects.get(title="Harbour pictures")
    assert f'data-file="{image.pk}"' in article.body
    assert "<figcaption>Monday morning.</figcaption>" in article.body
    article.status = Article.Status.PUBLISHED
    article.save()
    page.goto(article.get_absolute_url())
    shown = page.locator(".article-body figure picture img")
    expect(shown).to_have_attribute("alt", "Cranes at the reopened harbour")
    expect(shown).to_have_attribute("loading", "lazy")
    # The browser picked a rendition from the srcset, and it loaded.
    page.wait_for_function(
        "() => document.querySelector('.article-body picture img').naturalWidth > 0"
    )
