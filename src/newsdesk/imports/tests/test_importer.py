"""The one importer: any source, written through publishing, read from the registry."""

from __future__ import annotations

import ast
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command, load_command_class
from django.utils.text import slugify

from newsdesk.content.models import Article, Revision, Tag
from newsdesk.imports import sources
from newsdesk.imports.models import ImportedMedia, ImportSource
from newsdesk.imports.tests.test_wordpress import _item, _wxr, run
from newsdesk.imports.types import Entry, Media, Run, Source, Term
from newsdesk.lib.markup import find_images
from newsdesk.lib.tests.pictures import picture
from newsdesk.media.images import create_image

IMPORTS = Path(__file__).resolve().parents[1]

# --- Created articles are written as updated ones are ---------------------


@pytest.mark.django_db
def test_a_created_article_has_a_first_revision_and_bound_images_as_an_update(
    tmp_path, media_root
):
    image = create_image(picture("JPEG", (640, 480)), alt="The pier", name="pier.jpg")
    # A library file's own address, as an export from this site would hold it.
    body = f'<p>At the pier.</p><img src="{settings.MEDIA_URL}{image.file.name}">'
    path = tmp_path / "export.xml"
    path.write_text(_wxr(_item(1, "First title", content=body)))
    run(path)
    article = Article.objects.get()
    first = [i.get("data-file") for i in find_images(article.body)]
    path.write_text(_wxr(_item(1, "Second title", content=body)))
    run(path)
    article.refresh_from_db()
    history = [(r.number, r.kind, r.data["title"]) for r in article.revisions.all()]
    assert sorted(history) == [
        (1, Revision.Kind.IMPORT, "First title"),
        (2, Revision.Kind.IMPORT, "Second title"),
    ]
    # Bound to the library image, with its alt text, the first time as after.
    assert first == [str(image.pk)]
    (shown,) = find_images(article.body)
    assert (shown.get("data-file"), shown.get("alt")) == (str(image.pk), "The pier")


# --- A source is one module: this one is defined here -----------------------


class JsonLinesSource(Source):
    """One article a line: {"id": ..., "title": ..., "body": ..., "tags": [...]}."""

    name = "jsonl"
    help = "JSON lines, an article each (a test's own source)."

    def __init__(self, *, section: Term) -> None:
        self.section = section

    @classmethod
    def add_arguments(cls, parser) -> None:
        parser.add_argument("location", help="the file")
        parser.add_argument("--section", metavar="SLUG", default="news")

    @classmethod
    def from_options(cls, options: dict) -> JsonLinesSource:
        return cls(section=Term.of(options["section"]))

    def entries(self, location: str, run: Run) -> Iterator[Entry]:
        run.declare("tag", Term("corrections", "Corrections"))
        run.keep(
            Media(
                "logo",
                "https://jsonl.example/logo.png",
                "The logo",
                role=ImportedMedia.Role.ATTACHMENT,
            )
        )
        lines = Path(location).read_text().splitlines()
        for number, line in enumerate(lines, 1):
            try:
                item = json.loads(line)
            except ValueError:
                run.report.skip("not JSON", f"line {number}", warn=True)
                continue
            yield Entry(
                key=str(item["id"]),
                title=item["title"],
                body=item["body"],
                status=Article.Status.PUBLISHED,
                section=self.section,
                tags=[Term(slugify(t), t) for t in item.get("tags", [])],
                label=f"line {number}",
            )


@pytest.fixture
def jsonl():
    sources.register(JsonLinesSource)
    yield JsonLinesSource
    sources.unregister(JsonLinesSource)


def _lines(tmp_path: Path, *items: dict | str) -> Path:
    path = tmp_path / "articles.jsonl"
    path.write_text(
        "\n".join(i if isinstance(i, str) else json.dumps(i) for i in items)
    )
    return path


@pytest.mark.django_db
def test_a_registered_source_imports_through_the_command(tmp_path, jsonl):
    path = _lines(
        tmp_path,
        {"id": 1, "title": "Bridge reopens", "body": "<p>At last.</p>",
         "tags": ["Transport"]},
        "not json",
        {"id": 2, "title": "Ferry strike",
         "body": "<p>No boats.</p><script>x</script>"},
    )  # fmt: skip
    out = io.StringIO()
    call_command("import", "jsonl", str(path), "--section", "city", stdout=out)
    assert "Imported: 2\n" in out.getvalue()
    assert "line 2: skipped, not JSON" in out.getvalue()
    articles = {a.title: a for a in Article.objects.select_related("section")}
    assert set(articles) == {"Bridge reopens", "Ferry strike"}
    bridge, ferry = articles["Bridge reopens"], articles["Ferry strike"]
    assert bridge.is_public and bridge.section.slug == "city"
    assert [t.name for t in bridge.tags.all()] == ["Transport"]
    assert ferry.body == "<p>No boats.</p>"  # Sanitized, as every write is.
    assert [r.kind for r in ferry.revisions.all()] == [Revision.Kind.IMPORT]
    assert Tag.objects.filter(slug="corrections").exists()  # Declared, unused.
    origin = ImportSource.objects.get()
    assert (origin.kind, origin.name) == ("jsonl", str(path.resolve()))
    kept = ImportedMedia.objects.get()
    assert (kept.url, kept.article, kept.role) == (
        "https://jsonl.example/logo.png", None, ImportedMedia.Role.ATTACHMENT,
    )  # fmt: skip
    # The same file again: matched with its own articles, nothing changes.
    out = io.StringIO()
    call_command("import", "jsonl", str(path), "--section", "city", stdout=out)
    assert "Unchanged: 2\n" in out.getvalue()
    assert Article.objects.count() == 2


@pytest.mark.django_db
def test_the_command_offers_the_registered_sources_and_only_them(tmp_path, jsonl):
    command = load_command_class("newsdesk.imports", "import")
    usage = command.create_parser("newsdesk", "import").format_help()
    assert "jsonl" in usage and "JSON lines, an article each" in usage
    sources.unregister(jsonl)
    with pytest.raises(CommandError, match="invalid choice: 'jsonl'"):
        call_command("import", "jsonl", str(_lines(tmp_path, "")), verbosity=0)


# --- No cycle between the importer, its types, the downloads and fetching ----


def _imports(module: Path) -> set[str]:
    """Return the newsdesk modules a module imports, at its top or in functions."""
    found = set()
    for node in ast.walk(ast.parse(module.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name.startswith("newsdesk.")}


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("types.py", {"importer", "downloads", "fetching", "sources", "terms"}),
        ("terms.py", {"importer", "downloads", "fetching", "sources"}),
        ("fetching.py", {"importer", "downloads", "sources"}),
        ("downloads.py", {"importer", "sources"}),
        ("sources/wordpress.py", {"importer", "downloads"}),
        ("sources/feed.py", {"importer", "downloads"}),
        ("sources/html.py", {"importer", "downloads"}),
    ],
)
def test_the_parts_of_an_import_depend_one_way(module, forbidden):
    imported = _imports(IMPORTS / module)
    reached = {
        part
        for part in forbidden
        if any(name.startswith(f"newsdesk.imports.{part}") for name in imported)
    }
    assert reached == set()
