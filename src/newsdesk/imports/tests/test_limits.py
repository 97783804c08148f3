"""Hostile sizes: one WXR item, a feed or a page can't make an import hold it all."""

from __future__ import annotations

import tracemalloc

import pytest
from django.core.management import CommandError, call_command

from newsdesk.content.models import Article
from newsdesk.imports.sources import feed, html, wxr
from newsdesk.imports.tests.test_wordpress import _item, _wxr, run


def _line_of(text: str, part: str) -> int:
    return text[: text.index(part)].count("\n") + 1


def _refused(path) -> str:
    with pytest.raises(CommandError) as error:
        call_command("import", "wordpress", str(path), verbosity=0)
    return str(error.value)


@pytest.mark.django_db
def test_an_item_nested_a_million_deep_is_refused_naming_its_line(tmp_path):
    path = tmp_path / "deep.xml"
    hostile = "<item><title>Deep</title>\n" + "<x>" * 1_000_000 + "</x>" * 1_000_000
    text = _wxr(_item(1) + "\n" + hostile + "</item>" + _item(2))
    path.write_text(text)
    start = _line_of(text, "<item><title>Deep")
    tracemalloc.start()
    message = _refused(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert (
        f"line {start + 1}: an item (the one from line {start}) nested more than 64"
    ) in message
    assert message.endswith("Nothing was imported.")
    assert peak < 50_000_000
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_an_item_with_too_many_elements_is_refused(tmp_path):
    path = tmp_path / "wide.xml"
    hostile = "<item><title>Wide</title>\n" + "<x/>" * 200_000 + "</item>"
    text = _wxr(_item(1) + "\n" + hostile)
    path.write_text(text)
    start = _line_of(text, "<item><title>Wide")
    message = _refused(path)
    assert f"(the one from line {start}) holding more than 100,000 elements" in message
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_an_item_with_too_much_text_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(wxr, "MAX_TEXT", 10_000)
    path = tmp_path / "long.xml"
    path.write_text(_wxr(_item(1) + "\n" + _item(2, content="word " * 3000)))
    assert "holding more than 10,000 characters of text" in _refused(path)


@pytest.mark.django_db
def test_a_post_with_many_comments_still_imports(tmp_path, monkeypatch):
    """Comments are counted, their fields not kept: they don't count to the cap."""
    monkeypatch.setattr(wxr, "MAX_ELEMENTS", 1000)
    comment = (
        "<wp:comment><wp:comment_id>{0}</wp:comment_id>"
        "<wp:comment_author>Reader {0}</wp:comment_author>"
        "<wp:comment_content>Nice.</wp:comment_content>"
        "<wp:commentmeta><wp:meta_key>k</wp:meta_key><wp:meta_value>v</wp:meta_value>"
        "</wp:commentmeta></wp:comment>"
    )
    comments = "".join(comment.format(n) for n in range(600))
    path = tmp_path / "talked-about.xml"
    path.write_text(_wxr(_item(1, "Much discussed", extra=comments)))
    report = run(path)
    assert Article.objects.get().title == "Much discussed"
    assert report.skipped["comment"] == 600


@pytest.mark.django_db
def test_a_feed_past_its_size_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(feed, "MAX_FEED_BYTES", 1000)
    path = tmp_path / "huge.xml"
    path.write_text("<rss><channel>" + "<item><title>x</title></item>" * 100)
    with pytest.raises(CommandError, match="larger than"):
        call_command("import", "feed", str(path), verbosity=0)


@pytest.mark.django_db
def test_a_page_past_its_size_cap_is_refused(httpserver, monkeypatch):
    monkeypatch.setattr(html, "MAX_PAGE_BYTES", 1000)
    httpserver.expect_request("/huge").respond_with_data("<p>word</p>" * 1000)
    with pytest.raises(CommandError, match="larger than"):
        call_command("import", "html", httpserver.url_for("/huge"), verbosity=0)


@pytest.mark.django_db
def test_a_feed_of_a_million_tags_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "tags.xml"
    path.write_text(
        "<rss><channel><item><title>x</title><description>"
        + "<x/>" * 1_000_000
        + "</description></item></channel></rss>"
    )
    with pytest.raises(CommandError, match="more than 100,000 tags"):
        call_command("import", "feed", str(path), verbosity=0)


@pytest.mark.django_db
def test_a_page_of_a_million_tags_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "tags.html"
    path.write_text("<html><body>" + "<p>words</p>" * 500_000 + "</body></html>")
    with pytest.raises(CommandError, match="more than 50,000 tags"):
        call_command("import", "html", str(path), verbosity=0)
