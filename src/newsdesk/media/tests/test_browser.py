"""In a real Chromium: an editor puts a library image into an article's body.

Needs Debian's Chromium at /usr/bin/chromium; deselect with ``-m "not browser"``.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from newsdesk.media.tests.editing import insert_library_image, new_article_in_editor


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_editor_picks_a_body_image_from_the_library(
    short_lived_connections, live_server, browser, editor, section, make_image
):
    from newsdesk.content import publishing
    from newsdesk.content.models import Article

    image = make_image("Cranes at the reopened harbour", caption="Monday morning.")
    page, prose = new_article_in_editor(
        browser, live_server, first_words="The harbour, seen from the pier."
    )
    insert_library_image(page, "Cranes at the reopened harbour")
    expect(prose.locator("figure img")).to_have_count(1)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    # The picker hands over the library's id, alt text and caption.
    article = Article.objects.get(title="Harbour pictures")
    assert f'data-file="{image.pk}"' in article.body
    assert "<figcaption>Monday morning.</figcaption>" in article.body
    publishing.publish(article, by=editor)
    page.goto(article.get_absolute_url())
    shown = page.locator(".article-body figure picture img")
    expect(shown).to_have_attribute("alt", "Cranes at the reopened harbour")
    expect(shown).to_have_attribute("loading", "lazy")
    # The browser picked a rendition from the srcset, and it loaded.
    page.wait_for_function(
        "() => document.querySelector('.article-body picture img').naturalWidth > 0"
    )
