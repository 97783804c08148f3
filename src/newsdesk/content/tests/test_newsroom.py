"""The newsroom at /desk/: lists, roles, publishing rights, preview."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from newsdesk.content.models import Article
from newsdesk.content.publishing import REFUSAL
from newsdesk.tests.support import parse, texts

ADD_URL = "/desk/content/article/add/"


def form_data(section, **overrides) -> dict:
    data = {
        "title": "Rail link opens",
        "slug": "rail-link-opens",
        "section": section.pk,
        "standfirst": "",
        "body": "<h2>Route:</h2><p>The line runs west.</p><ol><li>One</li></ol>",
        "status": "draft",
        "publish_at_0": "",
        "publish_at_1": "",
        "base_version": 1,
    }
    return data | overrides


def test_the_article_list_shows_status_section_time_and_authors(
    editor_client, make_article, section
):
    from newsdesk.content.models import Author

    author = Author.objects.create(name="Li Wei", slug="li-wei")
    make_article("Published piece", authors=[author])
    make_article("Future piece", publish_at=timezone.now() + timedelta(days=1))
    make_article("Draft piece", status=Article.Status.DRAFT)
    tree = parse(editor_client.get("/desk/content/article/"))
    headers = texts(tree, "#result_list thead th")
    for column in ("Title", "Status", "Section", "Publish time", "Authors"):
        assert column in headers
    rows = {
        row.css_first("th").text(strip=True): texts(row, "td")
        for row in tree.css("#result_list tbody tr")
    }
    assert "Published" in rows["Published piece"]
    assert "Li Wei" in rows["Published piece"]
    assert "China" in rows["Published piece"]
    assert "Scheduled" in rows["Future piece"]
    assert "Draft" in rows["Draft piece"]


def test_the_article_list_filters_and_searches(editor_client, make_article):
    make_article("Rail link opens", status=Article.Status.DRAFT)
    make_article("Harbour reopens")
    tree = parse(editor_client.get("/desk/content/article/?q=rail"))
    assert texts(tree, "#result_list tbody th") == ["Rail link opens"]
    tree = parse(editor_client.get("/desk/content/article/?status__exact=published"))
    assert texts(tree, "#result_list tbody th") == ["Harbour reopens"]


def test_the_body_uses_the_rich_text_editor_with_local_assets(editor_client):
    tree = parse(editor_client.get(ADD_URL))
    scripts = [node.attributes.get("src") or "" for node in tree.css("script")]
    assert any("django_prose_editor/" in src for src in scripts)
    assert all(not src.startswith(("http:", "https:", "//")) for src in scripts)
    textarea = tree.css_first("textarea[name=body]")
    assert textarea is not None
    config = textarea.attributes.get("data-django-prose-editor-configurable", "")
    for extension in ("Heading", "OrderedList", "BulletList", "Link", "Blockquote"):
        assert extension in config


def test_a_writer_saves_a_draft_and_is_its_owner(writer_client, writer, section):
    response = writer_client.post(ADD_URL, form_data(section))
    assert response.status_code == 302
    article = Article.objects.get(slug="rail-link-opens")
    assert article.status == Article.Status.DRAFT
    assert article.created_by == writer
    assert "<h2>Route:</h2>" in article.body


def test_a_writer_who_tries_to_publish_is_refused_and_keeps_the_text(
    writer_client, section
):
    typed = form_data(section, status="published", title="My scoop")
    response = writer_client.post(ADD_URL, typed)
    assert response.status_code == 200
    assert not Article.objects.exists()
    tree = parse(response)
    assert REFUSAL in " ".join(texts(tree, ".errorlist"))
    assert tree.css_first("input[name=title]").attributes["value"] == "My scoop"
    assert "The line runs west." in tree.css_first("textarea[name=body]").text()


def test_a_writer_cannot_publish_an_existing_draft(writer_client, writer, make_article):
    draft = make_article(status=Article.Status.DRAFT, created_by=writer)
    url = f"/desk/content/article/{draft.pk}/change/"
    response = writer_client.post(
        url, form_data(draft.section, status="published", slug=draft.slug)
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_a_writer_has_no_publish_action(writer_client, writer, make_article):
    draft = make_article(status=Article.Status.DRAFT, created_by=writer)
    response = writer_client.post(
        "/desk/content/article/",
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert response.status_code in (200, 302)


def test_a_writer_sees_only_their_own_articles(
    writer_client, writer, editor, make_article
):
    make_article("Mine", status=Article.Status.DRAFT, created_by=writer)
    theirs = make_article("Theirs", status=Article.Status.DRAFT, created_by=editor)
    tree = parse(writer_client.get("/desk/content/article/"))
    assert texts(tree, "#result_list tbody th") == ["Mine"]
    url = f"/desk/content/article/{theirs.pk}/change/"
    assert writer_client.get(url).status_code in (302, 403, 404)


def test_an_editor_publishes(editor_client, section):
    response = editor_client.post(ADD_URL, form_data(section, status="published"))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.is_public


def test_an_editor_publishes_and_unpublishes_with_list_actions(
    editor_client, make_article
):
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    editor_client.post(
        "/desk/content/article/",
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.is_public
    editor_client.post(
        "/desk/content/article/",
        {"action": "unpublish_selected", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_hostile_html_from_the_form_is_cleaned_not_rejected(editor_client, section):
    body = (
        '<p onclick="x()">Fine</p><script>alert(1)</script><a href="javascript:x">l</a>'
    )
    response = editor_client.post(ADD_URL, form_data(section, body=body))
    assert response.status_code == 302
    stored = Article.objects.get().body
    assert "Fine" in stored
    assert "script" not in stored
    assert "onclick" not in stored
    assert "javascript" not in stored


def test_a_form_with_errors_keeps_what_was_typed(editor_client, section):
    response = editor_client.post(
        ADD_URL, form_data(section, title="", standfirst="Kept standfirst")
    )
    assert response.status_code == 200
    tree = parse(response)
    assert tree.css_first(".errors.field-title, .field-title .errorlist") is not None
    assert tree.css_first("textarea[name=standfirst]").text() == "Kept standfirst"


def test_a_section_cannot_take_a_path_the_site_uses(editor_client):
    response = editor_client.post(
        "/desk/content/section/add/", {"name": "Desk", "slug": "desk", "position": 0}
    )
    assert response.status_code == 200
    assert "used by the site itself" in response.content.decode()


def test_the_preview_shows_a_draft_as_readers_will_see_it(editor_client, make_article):
    draft = make_article(
        "Unpublished scoop",
        status=Article.Status.DRAFT,
        body="<h2>Inside:</h2><ol><li>First</li></ol>",
    )
    response = editor_client.get(f"/desk/preview/{draft.pk}/")
    assert response.status_code == 200
    assert response["X-Robots-Tag"].startswith("noindex")
    tree = parse(response)
    assert tree.css_first("h1").text(strip=True) == "Unpublished scoop"
    assert texts(tree, ".article-body h2") == ["Inside:"]
    assert texts(tree, ".article-body ol li") == ["First"]
    assert (
        tree.css_first("meta[name=robots]").attributes["content"].startswith("noindex")
    )
    assert "not published" in tree.css_first(".preview-banner").text()


def test_the_change_form_links_to_the_preview(editor_client, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    tree = parse(editor_client.get(f"/desk/content/article/{draft.pk}/change/"))
    link = tree.css_first("a.previewlink")
    assert link.attributes["href"] == f"/desk/preview/{draft.pk}/"


def test_readers_cannot_preview(client, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    response = client.get(f"/desk/preview/{draft.pk}/")
    assert response.status_code == 302
    assert "/desk/login/" in response["Location"]


def test_a_writer_previews_own_drafts_only(writer_client, writer, editor, make_article):
    mine = make_article(status=Article.Status.DRAFT, created_by=writer)
    theirs = make_article(status=Article.Status.DRAFT, created_by=editor)
    assert writer_client.get(f"/desk/preview/{mine.pk}/").status_code == 200
    assert writer_client.get(f"/desk/preview/{theirs.pk}/").status_code == 404


def test_a_writer_cannot_set_the_lead_story_or_the_publish_time(
    writer_client, writer, section
):
    form = parse(writer_client.get(ADD_URL))
    assert form.css_first("input[name=featured]") is None
    assert form.css_first("input[name=publish_at_0]") is None
    writer_client.post(
        ADD_URL,
        form_data(
            section, featured="on", publish_at_0="2001-01-01", publish_at_1="00:00"
        ),
    )
    article = Article.objects.get()
    assert article.featured is False
    assert article.publish_at is None


def test_a_writer_cannot_edit_their_article_once_published(
    writer_client, writer, make_article
):
    article = make_article(created_by=writer, title="Out in the world")
    url = f"/desk/content/article/{article.pk}/change/"
    tree = parse(writer_client.get(url))
    assert tree.css_first("input[name=title]") is None  # read-only view
    writer_client.post(
        url, form_data(article.section, title="Changed", slug=article.slug)
    )
    article.refresh_from_db()
    assert article.title == "Out in the world"
    delete = writer_client.post(
        f"/desk/content/article/{article.pk}/delete/", {"post": "yes"}
    )
    assert delete.status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_the_writers_action_menu_has_no_publishing(
    writer_client, writer, editor_client, make_article
):
    make_article(status=Article.Status.DRAFT, created_by=writer)

    def actions(client):
        tree = parse(client.get("/desk/content/article/"))
        return [
            o.attributes.get("value") for o in tree.css("select[name=action] option")
        ]

    assert "publish_selected" in actions(editor_client)
    assert "publish_selected" not in actions(writer_client)
    assert "unpublish_selected" not in actions(writer_client)


def test_publish_now_publishes_now_and_leaves_public_articles_alone(
    editor_client, make_article
):
    long_ago = timezone.now() - timedelta(days=300)
    old_draft = make_article(status=Article.Status.DRAFT, publish_at=long_ago)
    future = make_article(publish_at=timezone.now() + timedelta(days=3))
    public = make_article(publish_at=long_ago)
    before = timezone.now().replace(microsecond=0)  # Whole seconds, as the form.
    editor_client.post(
        "/desk/content/article/",
        {
            "action": "publish_selected",
            "_selected_action": [old_draft.pk, future.pk, public.pk],
        },
    )
    for article in (old_draft, future):
        article.refresh_from_db()
        assert article.is_public
        assert article.publish_at >= before
    public.refresh_from_db()
    assert public.publish_at == long_ago


def test_the_lead_image_is_chosen_from_the_media_library(
    editor_client, section, make_image
):
    image = make_image("Rail workers at the new station")
    response = editor_client.post(ADD_URL, form_data(section, lead_image=image.pk))
    assert response.status_code == 302
    assert Article.objects.get().lead_image == image
    article = Article.objects.get()
    page = parse(editor_client.get(f"/desk/content/article/{article.pk}/change/"))
    preview = page.css_first(".field-lead_image_preview img")
    assert preview.attributes["alt"] == "Rail workers at the new station"
