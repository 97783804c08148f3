"""Autosave: unsaved text survives a closed tab, on the server and in the browser."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from newsdesk.content.models import Article, Autosave
from newsdesk.content.tests.test_newsroom import form_data
from newsdesk.tests.support import TIMEOUT_MS, desk_login, parse


def autosave(client, article: Article, **data):
    return client.post(
        f"/desk/content/article/{article.pk}/autosave/",
        json.dumps(data),
        content_type="application/json",
    )


def config(client, article: Article) -> dict:
    tree = parse(client.get(f"/desk/content/article/{article.pk}/change/"))
    return json.loads(tree.css_first("#desk-config").text())


def test_one_autosave_slot_per_person_and_article(editor_client, make_article):
    article = make_article("Flood warning", status=Article.Status.DRAFT)
    for text in ("<p>First try.</p>", "<p>Second try.</p>"):
        answer = autosave(editor_client, article, title="Flood warning", standfirst="",
                          body=text, version=1)  # fmt: skip
        assert answer.status_code == 200
    assert Autosave.objects.count() == 1
    offered = config(editor_client, article)["server"]
    assert (offered["body"], offered["version"]) == ("<p>Second try.</p>", 1)
    # Saving the article empties the slot.
    data = form_data(article.section, title="Flood warning", slug=article.slug,
                     body="<p>Second try.</p>")  # fmt: skip
    response = editor_client.post(f"/desk/content/article/{article.pk}/change/", data)
    assert response.status_code == 302
    assert not Autosave.objects.exists()
    assert config(editor_client, article)["server"] is None


def test_autosaves_are_sanitized_and_bad_ones_refused(
    editor_client, writer_client, make_article
):
    article = make_article("Storm", status=Article.Status.DRAFT)
    autosave(editor_client, article, title="Storm", standfirst="", version=1,
             body='<p onclick="steal()">Hi<script>alert(1)</script></p>')  # fmt: skip
    assert Autosave.objects.get().data["body"] == "<p>Hi</p>"
    assert autosave(editor_client, article, title="Storm").status_code == 400
    for version in (-1, 0, 10**30):
        answer = autosave(editor_client, article, title="Storm", standfirst="",
                          body="", version=version)  # fmt: skip
        assert answer.status_code == 400
    # A writer may not autosave over someone else's article.
    assert autosave(writer_client, article, title="x", standfirst="", body="",
                    version=1).status_code == 404  # fmt: skip


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_text_typed_in_a_closed_tab_is_offered_back(
    short_lived_connections, live_server, browser, editor, make_article
):
    article = make_article("Harbour reopens", status=Article.Status.DRAFT)
    url = f"/desk/content/article/{article.pk}/change/"
    desk = browser.new_context(base_url=live_server.url)
    desk.set_default_timeout(TIMEOUT_MS)
    page = desk.new_page()
    desk_login(page, "eddie")
    page.goto(url)
    page.locator("#id_title").fill("Harbour reopens after the typhoon")
    prose = page.locator(".prose-editor [contenteditable='true']")
    prose.click()
    page.keyboard.press("End")
    page.keyboard.type(" Ferries resume at noon.")
    # Kept in the browser and on the server within a few seconds.
    key = f"newsdesk-autosave-{article.pk}"
    # Functions, not expressions: the page's CSP forbids eval, which they need.
    page.wait_for_function(
        f"() => (localStorage.getItem('{key}') || '')"
        ".includes('Ferries resume at noon.')"
    )
    page.wait_for_timeout(1000)  # Let the server copy land.
    page.close()  # The tab closes without saving.
    assert Article.objects.get(pk=article.pk).title == "Harbour reopens"

    for context in (desk, browser.new_context(base_url=live_server.url)):
        # The same browser finds its own copy; another one, the server's.
        context.set_default_timeout(TIMEOUT_MS)
        again = context.new_page()
        if context is not desk:
            desk_login(again, "eddie")
        again.goto(url)
        banner = again.locator(".desk-autosave")
        expect(banner).to_contain_text("You have unsaved text")
        again.get_by_role("button", name="Restore it").click()
        expect(again.locator("#id_title")).to_have_value(
            "Harbour reopens after the typhoon"
        )
        expect(again.locator(".prose-editor [contenteditable='true']")).to_contain_text(
            "Ferries resume at noon."
        )
        again.close()
    assert Autosave.objects.filter(article=article).exists()


def open_desk(browser, live_server):
    desk = browser.new_context(base_url=live_server.url)
    desk.set_default_timeout(TIMEOUT_MS)
    page = desk.new_page()
    desk_login(page, "eddie")
    return page


def type_story(page, title: str, text: str) -> None:
    page.locator("#id_title").fill(title)
    prose = page.locator(".prose-editor [contenteditable='true']")
    prose.click()
    page.keyboard.press("End")
    page.keyboard.type(text)


def break_saving(monkeypatch):
    """Make every article save fail with a server error, after all its work."""
    from newsdesk.content.admin import ArticleAdmin

    original = ArticleAdmin.save_related

    def save_related(self, request, form, formsets, change):
        original(self, request, form, formsets, change)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(ArticleAdmin, "save_related", save_related)
    return lambda: monkeypatch.setattr(ArticleAdmin, "save_related", original)


def restore_offered(page, title: str, text: str) -> None:
    expect(page.locator(".desk-autosave")).to_contain_text("You have unsaved text")
    page.get_by_role("button", name="Restore it").click()
    expect(page.locator("#id_title")).to_have_value(title)
    prose = page.locator(".prose-editor [contenteditable='true']")
    expect(prose).to_contain_text(text)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_new_article_whose_save_fails_is_offered_back(
    short_lived_connections, live_server, browser, editor, section, monkeypatch
):
    page = open_desk(browser, live_server)
    page.goto("/desk/content/article/add/")
    type_story(page, "Typhoon makes landfall", "Winds reached 180 km/h at dawn.")
    page.locator("#id_section").select_option(label="China")
    mend = break_saving(monkeypatch)
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.get_by_role("button", name="Save", exact=True).click()
    assert sent.value.status == 500
    assert not Article.objects.exists()

    # Back to the form, as the editor would: the story is offered back.
    page.go_back()
    page.reload()
    restore_offered(page, "Typhoon makes landfall", "Winds reached 180 km/h at dawn.")

    # Once a save goes through, the copy is gone for good.
    mend()
    page.locator("#id_section").select_option(label="China")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert "Winds reached 180 km/h" in Article.objects.get().body
    page.goto("/desk/content/article/add/")
    page.wait_for_function("localStorage.getItem('newsdesk-autosave-new') === null")
    expect(page.locator(".desk-autosave")).to_be_hidden()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_words_typed_just_before_a_failed_save_are_offered_back(
    short_lived_connections, live_server, browser, editor, make_article, monkeypatch
):
    article = make_article("Harbour reopens", status=Article.Status.DRAFT)
    url = f"/desk/content/article/{article.pk}/change/"
    page = open_desk(browser, live_server)
    page.goto(url)
    break_saving(monkeypatch)
    # Saved at once: no autosave tick came between typing and saving.
    type_story(page, "Harbour reopens at noon", " Ferries resume at noon.")
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.get_by_role("button", name="Save", exact=True).click()
    assert sent.value.status == 500
    assert Article.objects.get(pk=article.pk).title == "Harbour reopens"
    page.goto(url)
    restore_offered(page, "Harbour reopens at noon", "Ferries resume at noon.")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_form_refused_for_errors_comes_back_with_the_text_and_keeps_the_copy(
    short_lived_connections, live_server, browser, editor, section
):
    page = open_desk(browser, live_server)
    page.goto("/desk/content/article/add/")
    type_story(page, "Typhoon makes landfall", "Winds reached 180 km/h at dawn.")
    page.get_by_role("button", name="Save", exact=True).click()  # No section.
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value("Typhoon makes landfall")
    prose = page.locator(".prose-editor [contenteditable='true']")
    expect(prose).to_contain_text("Winds reached 180 km/h at dawn.")
    # The form already shows the text: nothing to offer yet, but nothing is
    # forgotten either; leaving and coming back offers it.
    expect(page.locator(".desk-autosave")).to_be_hidden()
    page.goto("/desk/")
    page.goto("/desk/content/article/add/")
    restore_offered(page, "Typhoon makes landfall", "Winds reached 180 km/h at dawn.")
    assert not Article.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_save_refused_for_a_lost_session_keeps_the_copy(
    short_lived_connections, live_server, browser, editor, section
):
    page = open_desk(browser, live_server)
    page.goto("/desk/content/article/add/")
    type_story(page, "Typhoon makes landfall", "Winds reached 180 km/h at dawn.")
    page.locator("#id_section").select_option(label="China")
    page.context.clear_cookies()  # Logged out elsewhere, or the session expired.
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.get_by_role("button", name="Save", exact=True).click()
    assert sent.value.status == 403
    desk_login(page, "eddie")
    page.goto("/desk/content/article/add/")
    restore_offered(page, "Typhoon makes landfall", "Winds reached 180 km/h at dawn.")
    assert not Article.objects.exists()
