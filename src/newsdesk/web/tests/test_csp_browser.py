"""The Content-Security-Policy blocks nothing the site and the newsroom need.

Real Chromium reports every blocked script, style, image or connection as a
`securitypolicyviolation` event; the pages are used as readers and editors use
them, and no event may fire.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from newsdesk.tests.support import TIMEOUT_MS, desk_login

# Registered before any of the page's own scripts run.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


def visit(page, address: str):
    """Open a page; it must carry the policy, or no violation proves anything."""
    response = page.goto(address)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    return response


@pytest.fixture
def watched(browser, live_server):
    """Return a new page of a context that records CSP violations, and their log."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(LISTEN)
    page = context.new_page()
    refused: list[str] = []
    # Chromium logs blocked content, and features the Permissions-Policy names
    # that it doesn't know, on the console.
    watch_for = ("Content Security Policy", "Permissions-Policy")
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if any(words in message.text for words in watch_for)
            else None
        ),
    )
    yield page, refused
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reader_pages_run_under_the_policy_and_still_count_views(
    short_lived_connections, watched, make_article, make_image
):
    from newsdesk.popularity.counting import flush
    from newsdesk.popularity.models import HourlyViews

    page, refused = watched
    figure = make_image("A chart", fmt="PNG", size=(900, 600))
    article = make_article(
        "Harbour reopens",
        lead_image=make_image("The harbour"),
        body=f'<p>Ships are back.</p><figure><img src="/x" data-file="{figure.pk}">'
        "</figure>",
    )
    visit(page, "/")
    expect(page.get_by_role("link", name="Harbour reopens").first).to_be_visible()
    # The policy is in force: a script injected into the page doesn't run.
    injected = """() => {
      const script = document.createElement("script");
      script.textContent = "window.__ran = true";
      document.body.append(script);
      return window.__ran === true;
    }"""
    assert page.evaluate(injected) is False
    [blocked] = violations(page)
    assert blocked.startswith("script-src-elem blocked inline")
    refused.clear()
    visit(page, article.get_absolute_url())
    expect(page.locator(".article-body img")).to_have_js_property("complete", True)
    assert page.locator(".lead-image img").evaluate("img => img.naturalWidth") > 0
    # The view beacon is a script file now; the view still counts.
    page.wait_for_load_state("networkidle")
    flush()
    assert HourlyViews.objects.get(article=article).views == 1
    visit(page, article.section.get_absolute_url())
    visit(page, "/search/?q=harbour")
    expect(page.locator("main")).to_contain_text("Harbour reopens")
    assert violations(page) == [] and refused == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_newsroom_editor_works_under_its_policy(
    short_lived_connections, watched, editor, make_article, make_image
):
    from newsdesk.content.models import Article

    page, refused = watched
    image = make_image("A chart", fmt="PNG", size=(900, 600))
    article = make_article(
        "Harbour reopens",
        status=Article.Status.DRAFT,
        lead_image=image,
        body=f'<p>Ships are back.</p><figure><img src="/x" data-file="{image.pk}">'
        "</figure>",
    )
    desk_login(page, "eddie")
    seen = []
    for address in (
        "/desk/",
        "/desk/content/article/",
        "/desk/content/article/add/",
        "/desk/media/image/",
        f"/desk/media/image/{image.pk}/change/",
        f"/desk/content/article/{article.pk}/history/",
        "/desk/media/image/picker/",
        f"/desk/preview/{article.pk}/",
    ):
        visit(page, address)
        page.wait_for_load_state("networkidle")
        seen.extend(f"{address}: {v}" for v in violations(page))

    visit(page, f"/desk/content/article/{article.pk}/change/")
    prose = page.locator(".prose-editor [contenteditable='true']")
    expect(prose).to_be_visible()
    prose.locator("p").first.click()
    page.keyboard.press("End")
    page.keyboard.type(" Ferries resume at noon.")
    page.locator(".prose-menubar__selected").click()
    page.get_by_role("button", name="Heading 2", exact=True).click()
    expect(prose.locator("h2")).to_have_text("Ships are back. Ferries resume at noon.")
    seen.extend(violations(page))
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")
    seen.extend(violations(page))
    article.refresh_from_db()
    assert "<h2>Ships are back. Ferries resume at noon.</h2>" in article.body
    assert seen == [] and refused == []
