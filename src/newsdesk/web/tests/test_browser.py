"""End to end in a real Chromium: an editor writes and publishes, a reader reads it.

Needs Debian's Chromium at /usr/bin/chromium; deselect with ``-m "not browser"``.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from selectolax.lexbor import LexborHTMLParser

from newsdesk.tests.support import TIMEOUT_MS, desk_login, texts

TITLE = "Harbour reopens after typhoon"
SLUG = "harbour-reopens-after-typhoon"
PARAGRAPH = "Ships returned to the harbour on Monday morning."
HEADING = "What happens next"
ITEMS = ["Clear the wrecks", "Inspect the cranes", "Reopen the ferry line"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_editor_publishes_a_formatted_article_and_a_reader_reads_it(
    short_lived_connections, live_server, browser, editor, section
):
    from newsdesk.content.models import Article

    desk = browser.new_context(base_url=live_server.url)
    desk.set_default_timeout(TIMEOUT_MS)
    page = desk.new_page()
    desk_login(page, "eddie")

    page.goto("/desk/content/article/add/")
    # Typed key by key: the admin fills the slug from the title on keyup.
    page.locator("#id_title").press_sequentially(TITLE)
    expect(page.locator("#id_slug")).to_have_value(SLUG)
    page.locator("#id_section").select_option(label="China")

    # The menu's block-type picker is a ".ProseMirror" too, but not editable.
    prose = page.locator(".prose-editor [contenteditable='true']")
    expect(prose).to_be_visible()
    prose.click()
    page.keyboard.type(PARAGRAPH)
    page.keyboard.press("Enter")
    # Headings live in the block-type dropdown at the start of the menu bar.
    page.locator(".prose-menubar__selected").click()
    page.get_by_role("button", name="Heading 2", exact=True).click()
    page.keyboard.type(HEADING)
    page.keyboard.press("Enter")
    # The editor turns off the "1. " input rule, so lists come from the menu.
    page.get_by_role("button", name="ordered list", exact=True).click()
    page.keyboard.type(ITEMS[0])
    for item in ITEMS[1:]:
        page.keyboard.press("Enter")
        page.keyboard.type(item)
    expect(prose.locator("h2")).to_have_text(HEADING)
    expect(prose.locator("ol > li")).to_have_text(ITEMS)

    page.locator("#id_status").select_option(label="Published")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text(
        "was added successfully"
    )

    article = Article.objects.get(slug=SLUG)
    assert article.status == Article.Status.PUBLISHED
    assert article.section == section
    stored = LexborHTMLParser(article.body)
    assert texts(stored, "h2") == [HEADING]
    assert texts(stored, "ol > li") == ITEMS

    reader = browser.new_context(base_url=live_server.url)
    reader.set_default_timeout(TIMEOUT_MS)
    page = reader.new_page()
    page.goto("/")
    headline = page.get_by_role("heading", name=TITLE).get_by_role("link", name=TITLE)
    expect(headline).to_be_visible()
    headline.click()
    expect(page).to_have_url(live_server.url + article.get_absolute_url())
    expect(page.locator("h1")).to_have_text(TITLE)
    body = page.locator(".article-body")
    expect(body.locator(":scope > p")).to_have_text([PARAGRAPH])
    expect(body.locator("h2")).to_have_text(HEADING)
    expect(body.locator("ol > li")).to_have_text(ITEMS)
    expect(page.locator(".article .section-label")).to_have_text("China")
