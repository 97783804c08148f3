"""Each import reaches only the articles of its own source, as the operator names it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from newsdesk.content.models import Article
from newsdesk.imports.models import ImportSource
from newsdesk.imports.tests.test_wordpress import _item, _wxr

FIXTURES = Path(__file__).parent / "fixtures"
PAGE = FIXTURES / "article-page.html"


def _import(*args: str) -> None:
    call_command("import", *args, verbosity=0)


def _feed(title: str, body: str, guid: str = "shared-guid-1") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>A feed</title><link>https://a.example/</link>
<item><title>{title}</title><guid isPermaLink="false">{guid}</guid>
<pubDate>Sun, 18 May 2025 09:30:00 +0000</pubDate>
<description><![CDATA[<p>{body}</p>]]></description></item>
</channel></rss>"""


# --- Feeds --------------------------------------------------------------------


@pytest.mark.django_db
def test_two_feeds_with_the_same_guid_make_two_articles(tmp_path):
    first, second = tmp_path / "first.xml", tmp_path / "second.xml"
    first.write_text(_feed("Council approves budget", "The real story."))
    second.write_text(_feed("You have been hacked", "Somebody else's text."))
    _import("feed", str(first))
    _import("feed", str(second), "--section", "opinion")
    articles = {a.title: a for a in Article.objects.select_related("section")}
    assert set(articles) == {"Council approves budget", "You have been hacked"}
    real = articles["Council approves budget"]
    assert real.body == "<p>The real story.</p>"
    assert real.section.slug == "news"
    # Importing the first again still finds its own article: nothing changes.
    _import("feed", str(first))
    assert Article.objects.count() == 2
    assert Article.objects.get(pk=real.pk).body == "<p>The real story.</p>"


@pytest.mark.django_db
def test_a_feed_that_moved_is_matched_when_named_as_its_old_source(tmp_path):
    old, new = tmp_path / "old.xml", tmp_path / "new.xml"
    old.write_text(_feed("Council approves budget", "First version."))
    new.write_text(_feed("Council approves budget", "Corrected version."))
    _import("feed", str(old))
    _import("feed", str(new), "--source", str(old.resolve()))
    assert Article.objects.get().body == "<p>Corrected version.</p>"


# --- WordPress exports ------------------------------------------------------


@pytest.mark.django_db
def test_a_crafted_export_claiming_another_exports_site_is_refused(tmp_path):
    real, crafted = tmp_path / "real.xml", tmp_path / "crafted.xml"
    real.write_text(_wxr(_item(1, "The real story", content="Real text.")))
    crafted.write_text(_wxr(_item(1, "Hijacked", content="Crafted text.")))
    _import("wordpress", str(real))
    with pytest.raises(CommandError, match="imported before as the source") as error:
        _import("wordpress", str(crafted))
    assert f"--source {real.resolve()} to update" in str(error.value)
    assert "Nothing was imported" in str(error.value)
    article = Article.objects.get()
    assert (article.title, article.body) == ("The real story", "<p>Real text.</p>")


@pytest.mark.django_db
def test_an_export_given_a_new_source_name_never_touches_the_first(tmp_path):
    real, crafted = tmp_path / "real.xml", tmp_path / "crafted.xml"
    real.write_text(_wxr(_item(1, "The real story", content="Real text.")))
    crafted.write_text(_wxr(_item(1, "Hijacked", content="Crafted text.")))
    _import("wordpress", str(real))
    _import("wordpress", str(crafted), "--source", "another-blog")
    titles = sorted(Article.objects.values_list("title", flat=True))
    assert titles == ["Hijacked", "The real story"]
    assert Article.objects.get(title="The real story").body == "<p>Real text.</p>"


@pytest.mark.django_db
def test_a_newer_export_named_as_the_same_source_updates_its_articles(tmp_path):
    first, newer = tmp_path / "export-1.xml", tmp_path / "export-2.xml"
    first.write_text(_wxr(_item(1, "First title")))
    newer.write_text(_wxr(_item(1, "Second title")))
    _import("wordpress", str(first), "--source", "old-blog")
    _import("wordpress", str(newer), "--source", "old-blog")
    assert Article.objects.get().title == "Second title"
    assert ImportSource.objects.get().site == "http://old.example"


# --- Pages ----------------------------------------------------------------


def _page(tmp_path: Path, name: str, canonical: str, sentence: str) -> Path:
    html = PAGE.read_text().replace(
        "<head>", f'<head><link rel="canonical" href="{canonical}">', 1
    )
    html = html.replace("Wang Yi, Director", f"{sentence} Wang Yi, Director", 1)
    path = tmp_path / name
    path.write_text(html)
    return path


@pytest.mark.django_db
def test_a_page_naming_another_pages_canonical_address_does_not_overwrite_it(
    tmp_path,
):
    canonical = "https://news.example/2023/09/18/consultations/"
    first = _page(tmp_path, "first.html", canonical, "The real report.")
    second = _page(tmp_path, "second.html", canonical, "A planted report.")
    _import("html", str(first))
    _import("html", str(second))
    assert Article.objects.count() == 2
    real = Article.objects.filter(body__contains="The real report.")
    assert real.count() == 1
    assert "A planted report." not in real.get().body
    # The first page again: its own article, unchanged.
    _import("html", str(first))
    assert Article.objects.count() == 2


# --- Status and section are the newsroom's ----------------------------------


@pytest.mark.django_db
def test_a_reimport_keeps_status_and_section_unless_asked(tmp_path):
    path = tmp_path / "export.xml"
    categories = '<category domain="category" nicename="{0}"><![CDATA[{0}]]></category>'
    path.write_text(_wxr(_item(1, "First title", extra=categories.format("world"))))
    _import("wordpress", str(path))
    article = Article.objects.get()
    assert (article.status, article.section.slug) == ("published", "world")

    path.write_text(
        _wxr(_item(1, "Second title", status="draft", extra=categories.format("sport")))
    )
    _import("wordpress", str(path))
    article.refresh_from_db()
    assert article.title == "Second title"
    assert (article.status, article.section.slug) == ("published", "world")
    assert article.is_public

    _import("wordpress", str(path), "--update-status")
    article.refresh_from_db()
    assert (article.status, article.section.slug) == ("draft", "world")

    _import("wordpress", str(path), "--update-section")
    article.refresh_from_db()
    assert (article.status, article.section.slug) == ("draft", "sport")


@pytest.mark.django_db
def test_the_report_names_the_source_for_the_next_run(tmp_path, capsys):
    path = tmp_path / "export.xml"
    path.write_text(_wxr(_item(1)))
    call_command("import", "wordpress", str(path), verbosity=0)
    assert f"Source: {path.resolve()} (new)\n" in capsys.readouterr().out


# --- Rows imported before sources were recorded -----------------------------


@pytest.mark.django_db(transaction=True)
def test_earlier_imports_get_a_source_derived_from_their_rows(tmp_path, migrator):
    executor = MigrationExecutor(connection)
    others = [n for n in executor.loader.graph.leaf_nodes() if n[0] != "imports"]
    BEFORE = [*others, ("imports", "0001_initial")]
    AFTER = [*others, ("imports", "0004_source_foreign_keys")]
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    section = old.get_model("content", "Section").objects.create(name="N", slug="n")
    OldArticle = old.get_model("content", "Article")
    OldItem = old.get_model("imports", "ImportedItem")
    OldMedia = old.get_model("imports", "ImportedMedia")

    def item(source: str, key: str, guid: str = "") -> None:
        article = OldArticle.objects.create(
            title=key, slug=f"a{OldArticle.objects.count()}", section=section,
            body="<p>x</p>", status="draft",
        )  # fmt: skip
        OldItem.objects.create(
            source=source, key=key, guid=guid, article=article, digest="d"
        )

    item("wordpress", "http://old.example|1")
    item("wordpress", "guid|http://old.example/?p=2", "http://old.example/?p=2")
    item("feed", "news.example-1001", "news.example-1001")
    item("html", "https://news.example/a-story/")
    OldMedia.objects.create(
        source="wordpress", key="http://old.example|9", url="http://old.example/a.jpg",
        role="attachment",
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    new = executor.loader.project_state(AFTER).apps
    Item = new.get_model("imports", "ImportedItem")
    found = {
        (i.source.kind, i.source.name, i.source.site, i.key)
        for i in Item.objects.select_related("source")
    }
    assert found == {
        ("wordpress", "http://old.example", "http://old.example",
         "http://old.example|1"),
        ("wordpress", "http://old.example", "http://old.example",
         "guid|http://old.example/?p=2"),
        ("feed", "legacy", "", "news.example-1001"),
        ("html", "https://news.example/a-story/", "", "page"),
    }  # fmt: skip
    media = new.get_model("imports", "ImportedMedia").objects.get()
    assert media.source.name == "http://old.example"
