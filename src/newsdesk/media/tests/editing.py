"""Steps the browser tests share: open a new article in the editor, insert a picture."""

from __future__ import annotations

import contextlib

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from newsdesk.tests.support import TIMEOUT_MS, desk_login


def new_article_in_editor(browser, live_server, *, first_words: str):
    """Log the editor in, start a China article and type its first words.

    Returns the page and the editor's editable body.
    """
    desk = browser.new_context(base_url=live_server.url)
    desk.set_default_timeout(TIMEOUT_MS)
    page = desk.new_page()
    desk_login(page, "eddie")
    page.goto("/desk/content/article/add/")
    page.locator("#id_title").fill("Harbour pictures")
    page.locator("#id_section").select_option(label="China")
    prose = page.locator(".prose-editor [contenteditable='true']")
    prose.click()
    page.keyboard.type(first_words)
    return page, prose


def insert_library_image(page, alt: str) -> None:
    """Insert a library image into the body with the toolbar and the picker."""
    page.get_by_role("button", name="figure", exact=True).click()
    dialog = page.locator("dialog[open]")
    with page.expect_popup() as opened:
        dialog.get_by_role("button", name="Browse...").click()
    # The picker closes itself as it hands the image over, sometimes before the
    # click's own round trip ends; the alt text below shows that it arrived.
    with contextlib.suppress(PlaywrightError):
        opened.value.get_by_role("button", name=alt).click()
    expect(dialog.locator("input[name=altText]")).to_have_value(alt)
    dialog.get_by_role("button", name="Insert").click()
