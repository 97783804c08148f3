"""The article's fields for search engines: saved by the newsroom, kept in history."""

from __future__ import annotations

from newsdesk.content.models import Article, Revision
from newsdesk.content.tests.test_newsroom import ADD_URL, form_data
from newsdesk.tests.support import parse


def test_the_newsroom_form_has_an_optional_search_engines_section(editor_client):
    page = parse(editor_client.get(ADD_URL))
    headings = [node.text(strip=True) for node in page.css("fieldset h2, summary")]
    assert any("Search engines" in heading for heading in headings)
    assert page.css_first("input[name=seo_title]").attributes.get("required") is None
    assert page.css_first("textarea[name=seo_description]") is not None


def test_the_newsroom_saves_them_and_a_revision_records_them(editor_client, section):
    data = form_data(
        section,
        seo_title="Rail link opens: what changes for commuters",
        seo_description="Trains every ten minutes from Monday, and the fares.",
    )
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 302
    article = Article.objects.get(slug="rail-link-opens")
    assert article.seo_title == "Rail link opens: what changes for commuters"
    assert article.seo_description.startswith("Trains every ten minutes")
    first = Revision.objects.get(article=article)
    assert first.data["seo_title"] == article.seo_title
    assert first.data["seo_description"] == article.seo_description

    change = f"/desk/content/article/{article.pk}/change/"
    data |= {"seo_title": "Rail link opens", "base_version": article.version}
    assert editor_client.post(change, data).status_code == 302
    newest = Revision.objects.filter(article=article).order_by("-number").first()
    assert newest.number == 2
    assert newest.data["seo_title"] == "Rail link opens"
    # The history's comparison names the change.
    compare = editor_client.get(
        f"/desk/content/article/{article.pk}/history/compare/"
        f"?a={first.number}&b={newest.number}"
    )
    assert compare.status_code == 200
    assert "Title for search engines" in compare.content.decode()


def test_restoring_an_older_revision_brings_them_back(editor_client, section):
    from newsdesk.content import publishing

    editor_client.post(ADD_URL, form_data(section, seo_title="First title"))
    article = Article.objects.get(slug="rail-link-opens")
    article.seo_title = "Second title"
    publishing.save(article, by=publishing.OPERATOR)
    first = Revision.objects.get(article=article, number=1)
    publishing.restore(first, by=publishing.OPERATOR)
    article.refresh_from_db()
    assert article.seo_title == "First title"


def test_a_revision_from_before_them_restores_them_empty(editor_client, section):
    from newsdesk.content import publishing

    editor_client.post(ADD_URL, form_data(section, seo_title="A title"))
    article = Article.objects.get(slug="rail-link-opens")
    first = Revision.objects.get(article=article, number=1)
    for name in ("seo_title", "seo_description"):
        del first.data[name]
    first.save()
    publishing.restore(first, by=publishing.OPERATOR)
    article.refresh_from_db()
    assert article.seo_title == ""
