"""Exports WordPress's own importer reads though they are not quite XML.

The fixtures (`fixtures/lenient/`) are shaped after real ones: a WordPress.com
export that uses `atom:` without declaring it, and a self-hosted export with the
PHP warning a plugin printed ahead of `<?xml`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from newsdesk.content.models import Article, Redirect
from newsdesk.imports.importer import Importer
from newsdesk.imports.sources.wordpress import WordPressSource
from newsdesk.imports.sources.wxr import ChannelReader
from newsdesk.imports.types import ImportRefused

FIXTURES = Path(__file__).parent / "fixtures" / "lenient"
TITLES = {"Swifts are back", "A heron at the weir"}


def run(path: Path):
    return Importer(WordPressSource()).run(str(path))


def repairs(report) -> list[str]:
    return [w for w in report.warnings if w.startswith("repaired: ")]


@pytest.mark.django_db
def test_an_undeclared_atom_prefix_is_declared_and_the_export_imported():
    report = run(FIXTURES / "wordpress-com-atom.xml")
    assert set(Article.objects.values_list("title", flat=True)) == TITLES
    assert report.imported == 2
    [repair] = repairs(report)
    assert "line 44: declared the missing atom: namespace" in repair
    assert "http://www.w3.org/2005/Atom" in repair
    # The old addresses still lead to the stories.
    assert {
        "/2024/04/28/swifts-are-back",
        "/2024/05/01/a-heron-at-the-weir",
        "?p=112",
    } <= set(Redirect.objects.values_list("path", flat=True))


@pytest.mark.django_db
def test_text_before_the_xml_declaration_is_skipped_and_said():
    report = run(FIXTURES / "php-warning-before-xml.xml")
    assert set(Article.objects.values_list("title", flat=True)) == TITLES
    [repair] = repairs(report)
    skipped = (FIXTURES / "php-warning-before-xml.xml").read_bytes().index(b"<?xml")
    assert f"skipped {skipped} bytes before <?xml (lines 1–3:" in repair
    assert "Cannot modify header information" in repair


@pytest.mark.django_db
def test_lines_are_the_file_s_own_after_skipping_text_before_it():
    path = FIXTURES / "php-warning-before-xml.xml"
    lines = path.read_text().splitlines()
    item_line = next(n for n, line in enumerate(lines, 1) if "<item>" in line)
    reader = ChannelReader(str(path))
    found = [line for element, line in reader if element.tag == "item"]
    assert found[0] == item_line


def test_a_second_reading_declares_the_same_without_starting_over(tmp_path):
    path = FIXTURES / "wordpress-com-atom.xml"
    first = ChannelReader(str(path))
    tags = [element.tag for element, _ in first]
    second = ChannelReader(str(path), declared=first.declared)
    assert [element.tag for element, _ in second] == tags
    assert second.repairs == []
    assert tags.count("{http://www.w3.org/2005/Atom}link") == 2
    assert tags.count("item") == 2


def test_an_undeclared_prefix_after_items_skips_those_already_given(tmp_path):
    text = (FIXTURES / "wordpress-com-atom.xml").read_text()
    late = text.replace("</channel>", "<media:thumbnail url='x'/></channel>")
    path = tmp_path / "late.xml"
    path.write_text(late)
    reader = ChannelReader(str(path))
    tags = [element.tag for element, _ in reader]
    assert tags.count("item") == 2
    assert tags[-1] == "{http://search.yahoo.com/mrss/}thumbnail"
    assert len(reader.repairs) == 2


@pytest.mark.django_db
def test_an_export_with_another_fault_too_is_refused_whole_with_its_line():
    path = FIXTURES / "undeclared-and-mismatched.xml"
    line = next(
        n
        for n, text in enumerate(path.read_text().splitlines(), 1)
        if text.strip() == "</item>" and n > 80
    )
    with pytest.raises(CommandError, match=rf"line {line}, .*mismatched tag"):
        call_command("import", "wordpress", str(path), verbosity=0)
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_an_undeclared_wp_prefix_is_not_guessed(tmp_path):
    text = (FIXTURES / "wordpress-com-atom.xml").read_text()
    path = tmp_path / "no-wp.xml"
    path.write_text(text.replace('xmlns:wp="http://wordpress.org/export/1.2/"', ""))
    with pytest.raises(ImportRefused, match=r"line \d+.*unbound prefix.*wp:"):
        run(path)
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_text_before_the_root_with_no_xml_declaration_is_still_refused(tmp_path):
    text = (FIXTURES / "wordpress-com-atom.xml").read_text()
    path = tmp_path / "no-declaration.xml"
    body = re.sub(r"^<\?xml[^>]*\?>", "", text)
    path.write_text("Notice: Undefined index\n" + body)
    with pytest.raises(ImportRefused, match=r"line 1, .*syntax error"):
        run(path)
