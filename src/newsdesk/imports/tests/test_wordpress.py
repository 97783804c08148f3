"""Importing WordPress exports: WordPress's own fixtures, counted independently."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django.utils.text import slugify
from selectolax.lexbor import LexborHTMLParser

from newsdesk.content.models import (
    RESERVED_SLUGS,
    Article,
    Author,
    Redirect,
    Section,
    Tag,
)
from newsdesk.imports.downloads import download
from newsdesk.imports.fetching import any_address, public_only
from newsdesk.imports.importer import Importer
from newsdesk.imports.models import ImportedItem, ImportedMedia
from newsdesk.imports.sources import wordpress
from newsdesk.imports.sources.wordpress import WordPressSource
from newsdesk.imports.types import ImportRefused
from newsdesk.lib.markup import find_images
from newsdesk.media.models import Image as LibraryImage

FIXTURES = Path(__file__).parent / "fixtures" / "wxr"
NOT_WELL_FORMED = {"crazy-cdata.xml", "malformed.xml", "malformed-simple.xml"}
NOT_WXR = {"invalid-version-tag.xml", "missing-version-tag.xml"}
ALL = sorted(FIXTURES.glob("*/*.xml"))
VALID = [p for p in ALL if p.name not in NOT_WELL_FORMED | NOT_WXR]
BROKEN = [p for p in ALL if p.name in NOT_WELL_FORMED | NOT_WXR]
WP = re.compile(r"^https?://wordpress\.org/export/1\.[012]/$")
DC = "{http://purl.org/dc/elements/1.1/}"


def test_the_fixtures_are_all_here():
    assert len(ALL) == 37
    assert len(VALID) == 32


# --- An independent reading of a WXR file, with ElementTree, all in memory -----


def _wp(element, name: str) -> str:
    for child in element:
        namespace, _, local = child.tag[1:].partition("}")
        if child.tag.startswith("{") and WP.match(namespace) and local == name:
            return (child.text or "").strip()
    return ""


def _is_wp(element, name: str) -> bool:
    if not element.tag.startswith("{"):
        return False
    namespace, _, local = element.tag[1:].partition("}")
    return bool(WP.match(namespace)) and local == name


class Expected:
    """What a WXR file holds, read plainly."""

    def __init__(self, path: Path) -> None:
        channel = ET.parse(path).getroot().find("channel")
        self.posts: dict[str, ET.Element] = {}
        self.categories: set[str] = set()
        self.tags: set[str] = set()
        self.authors: set[str] = set()
        uncategorized = False
        for element in channel:
            if _is_wp(element, "author") and _wp(element, "author_login"):
                self.authors.add(_wp(element, "author_login"))
            elif _is_wp(element, "category"):
                self.categories.add(_wp(element, "category_nicename"))
            elif _is_wp(element, "tag"):
                self.tags.add(_wp(element, "tag_slug"))
            elif _is_wp(element, "term"):
                taxonomy = _wp(element, "term_taxonomy")
                if taxonomy == "category":
                    self.categories.add(_wp(element, "term_slug"))
                elif taxonomy == "post_tag":
                    self.tags.add(_wp(element, "term_slug"))
        for item in channel.findall("item"):
            if (_wp(item, "post_type") or "post") != "post":
                continue
            if _wp(item, "status") in ("trash", "auto-draft", "inherit"):
                continue
            post_id = _wp(item, "post_id")
            guid = (item.findtext("guid") or "").strip()
            if not (post_id.isdigit() or guid):
                continue
            self.posts[post_id if post_id.isdigit() else guid] = item
            cats = [c for c in item.findall("category") if (c.text or "").strip()]
            with_domain = [c for c in cats if c.get("domain") == "category"]
            categories = with_domain or [c for c in cats if not c.get("domain")]
            self.categories |= {c.get("nicename") or c.text.strip() for c in categories}
            uncategorized |= not categories
            self.tags |= {
                c.get("nicename") or c.text.strip()
                for c in cats
                if c.get("domain") in ("post_tag", "tag")
            }
            creator = (item.findtext(f"{DC}creator") or "").strip()
            if creator:
                self.authors.add(creator)
        if uncategorized:
            self.categories.add("uncategorized")
        # The same category or tag may be named by slug in one place and by
        # name in another: compare them as slugs.
        # Slugs in any script are kept (percent-decoded), as WordPress has them.
        self.categories = {_slug(unquote(c)) for c in self.categories} - {""}
        self.tags = {_slug(unquote(t)) for t in self.tags} - {""}
        self.authors = {_slug(a) for a in self.authors} - {""}


def _slug(value: str) -> str:
    return slugify(value, allow_unicode=True)


def _text(fragment: str) -> str:
    """Return the text of an HTML fragment, as readers would read it."""
    if not fragment.strip():
        return ""
    text = lxml.html.fragment_fromstring(fragment, create_parent="div").text_content()
    return " ".join(text.split())


def run(
    path: Path,
    *,
    pages_section: str | None = None,
    download_media: bool = False,
    policy=public_only,
):
    """Import the export as the command does: then download, when asked."""
    source = WordPressSource(pages_section=pages_section)
    importer = Importer(source, policy=policy, keep_bodies=download_media)
    report = importer.run(str(path))
    if download_media:
        download(report, policy=policy)
    return report


# --- Every valid fixture ----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_each_valid_export_imports_with_matching_counts(path):
    expected = Expected(path)
    report = run(path)
    assert report.imported == Article.objects.count() == len(expected.posts)
    assert Section.objects.count() == len(expected.categories)
    assert Tag.objects.count() == len(expected.tags)
    assert Author.objects.count() == len(expected.authors)


@pytest.mark.django_db
@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_titles_and_dates_round_trip(path):
    expected = Expected(path)
    run(path)
    for key, item in expected.posts.items():
        article = ImportedItem.objects.get(key__endswith=f"|{key}").article
        title = _text(item.findtext("title") or "") or "Untitled"
        assert article.title == title[:250]
        gmt = _wp(item, "post_date_gmt")
        if gmt and not gmt.startswith("0000"):
            moment = datetime.strptime(gmt, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
            assert article.publish_at == moment


@pytest.mark.django_db
@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_old_addresses_redirect_to_the_new_ones(path, client):
    expected = Expected(path)
    run(path)
    checked = 0
    for key, item in expected.posts.items():
        article = ImportedItem.objects.get(key__endswith=f"|{key}").article
        if not article.is_public:
            continue
        link = urlsplit((item.findtext("link") or "").strip())
        addresses = [f"/?p={key}"] if key.isdigit() else []
        if re.fullmatch(r"(p|page_id)=\d+", link.query) and not link.path.strip("/"):
            addresses.append(f"/?{link.query}")
        elif link.path.strip("/").split("/")[0] not in RESERVED_SLUGS | {""}:
            addresses.append(link.path)
        for address in addresses:
            response = client.get(address)
            assert response.status_code == 301, address
            assert response["Location"] == article.get_absolute_url()
            checked += 1
    public = [i for i in ImportedItem.objects.all() if i.article.is_public]
    assert checked or not public, "no old address was checked"


@pytest.mark.django_db
@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_a_second_run_changes_nothing(path):
    run(path)
    before = _snapshot()
    report = run(path)
    assert report.imported == report.updated == 0
    assert report.unchanged == Article.objects.count()
    assert _snapshot() == before


def _snapshot():
    return (
        list(Article.objects.order_by("pk").values()),
        list(Article.tags.through.objects.order_by("pk").values()),
        list(Article.authors.through.objects.order_by("pk").values()),
        list(Section.objects.order_by("pk").values()),
        list(Tag.objects.order_by("pk").values()),
        list(Author.objects.order_by("pk").values()),
        list(ImportedItem.objects.order_by("pk").values()),
        list(Redirect.objects.order_by("pk").values()),
        list(ImportedMedia.objects.order_by("pk").values()),
    )


# --- Broken files change nothing --------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.name)
def test_a_broken_export_is_refused_whole_naming_the_line(path, make_article):
    make_article("Already here")
    before = _snapshot()
    with pytest.raises(CommandError, match=r"line \d+.*Nothing was imported"):
        call_command("import", "wordpress", str(path), verbosity=0)
    assert _snapshot() == before


def _wxr(items: str, head: str = "") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Test</title><link>http://old.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
{head}
{items}
</channel></rss>"""


def _item(post_id: int, title: str = "A post", **fields) -> str:
    fields.setdefault("status", "publish")
    fields.setdefault("post_type", "post")
    fields.setdefault("post_date_gmt", "2024-03-01 10:00:00")
    fields.setdefault("post_name", f"post-{post_id}")
    content = fields.pop("content", "Some text.")
    extra = fields.pop("extra", "")
    wp = "".join(f"<wp:{k}>{v}</wp:{k}>" for k, v in fields.items())
    return f"""<item><title>{title}</title>
<link>http://old.example/2024/03/01/post-{post_id}/</link>
<guid isPermaLink="false">http://old.example/?p={post_id}</guid>
<content:encoded><![CDATA[{content}]]></content:encoded>
<wp:post_id>{post_id}</wp:post_id>{wp}{extra}</item>"""


@pytest.mark.django_db
def test_a_file_broken_after_good_items_imports_none_of_them(tmp_path):
    path = tmp_path / "cut.xml"
    whole = _wxr("".join(_item(n) for n in range(1, 1200)))
    path.write_text(whole[: len(whole) - 200])
    with pytest.raises(ImportRefused, match=r"line \d+"):
        run(path)
    assert not Article.objects.exists()
    assert not Section.objects.exists()


@pytest.mark.django_db
def test_bytes_that_are_not_the_declared_encoding_are_refused(tmp_path):
    path = tmp_path / "latin.xml"
    path.write_bytes(_wxr(_item(1, "Café")).encode("latin-1"))
    with pytest.raises(ImportRefused, match=r"line \d+"):
        run(path)
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_declared_latin_1_file_is_read_as_such(tmp_path):
    path = tmp_path / "latin.xml"
    text = _wxr(_item(1, "Café")).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    path.write_bytes(text.encode("latin-1"))
    run(path)
    assert Article.objects.get().title == "Café"


@pytest.mark.django_db
def test_an_unknown_declared_encoding_is_refused(tmp_path):
    path = tmp_path / "klingon.xml"
    path.write_text(_wxr(_item(1)).replace('encoding="UTF-8"', 'encoding="x-klingon"'))
    with pytest.raises(ImportRefused, match="line 1: unknown encoding"):
        run(path)


@pytest.mark.django_db
def test_entity_declarations_are_refused(tmp_path):
    path = tmp_path / "laughs.xml"
    bomb = '<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;">]>'
    path.write_text(_wxr(_item(1, "&lol1;")).replace("?>", "?>" + bomb, 1))
    with pytest.raises(ImportRefused, match="DOCTYPE"):
        run(path)


# --- Items -------------------------------------------------------------------


@pytest.mark.django_db
def test_statuses_map_to_published_scheduled_and_draft(tmp_path):
    path = tmp_path / "statuses.xml"
    items = [
        _item(1, "Published", status="publish"),
        _item(2, "Future", status="future", post_date_gmt="2999-01-01 00:00:00"),
        _item(3, "Draft", status="draft", post_date_gmt="0000-00-00 00:00:00"),
        _item(4, "Pending", status="pending"),
        _item(5, "Private", status="private"),
        _item(6, "Trashed", status="trash"),
    ]
    path.write_text(_wxr("".join(items)))
    report = run(path)
    by_title = {a.title: a for a in Article.objects.all()}
    assert by_title["Published"].is_public
    assert by_title["Future"].is_scheduled
    assert by_title["Draft"].status == "draft"
    assert by_title["Draft"].publish_at is None
    assert by_title["Pending"].status == "draft"
    assert by_title["Private"].status == "draft"
    assert "Trashed" not in by_title
    assert report.skipped["status “trash”"] == 1
    assert any("private post imported as a draft" in w for w in report.warnings)


@pytest.mark.django_db
def test_a_published_post_dated_year_0000_is_published_now_with_a_warning(tmp_path):
    path = tmp_path / "zero.xml"
    path.write_text(_wxr(_item(1, post_date_gmt="0000-00-00 00:00:00")))
    report = run(path)
    article = Article.objects.get()
    assert abs((article.publish_at - timezone.now()).total_seconds()) < 60
    assert any("no valid publish date" in w for w in report.warnings)


@pytest.mark.django_db
def test_duplicate_slugs_get_a_suffix_and_a_warning(tmp_path, make_article):
    make_article("Existing", slug="post-1")
    path = tmp_path / "dupes.xml"
    path.write_text(_wxr(_item(1) + _item(2, post_name="post-1")))
    report = run(path)
    slugs = set(Article.objects.values_list("slug", flat=True))
    assert slugs == {"post-1", "post-1-2", "post-1-3"}
    assert sum("is taken" in w for w in report.warnings) == 2


@pytest.mark.django_db
def test_hostile_html_is_sanitized(tmp_path):
    path = tmp_path / "hostile.xml"
    content = (
        '<p onclick="steal()">Hi<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">x</a><iframe src="http://evil"></iframe>'
    )
    path.write_text(_wxr(_item(1, content=content)))
    run(path)
    body = Article.objects.get().body
    for bad in ("onclick", "<script", "javascript:", "<iframe"):
        assert bad not in body
    assert "Hi" in body


@pytest.mark.django_db
def test_an_enormous_post_is_skipped_and_the_rest_imported(tmp_path, monkeypatch):
    monkeypatch.setattr(wordpress, "MAX_BODY", 1000)
    path = tmp_path / "big.xml"
    path.write_text(_wxr(_item(1, content="word " * 1000) + _item(2)))
    report = run(path)
    assert Article.objects.count() == 1
    assert report.skipped["too large"] == 1


@pytest.mark.django_db
def test_an_item_without_id_or_guid_is_skipped_and_reported(tmp_path):
    path = tmp_path / "noid.xml"
    item = "<item><title>Nobody</title><wp:status>publish</wp:status></item>"
    path.write_text(_wxr(item + _item(2)))
    report = run(path)
    assert Article.objects.count() == 1
    assert report.skipped["no post id or GUID"] == 1


@pytest.mark.django_db
def test_a_changed_post_is_updated_on_the_next_run(tmp_path):
    path = tmp_path / "edit.xml"
    path.write_text(_wxr(_item(1, "First title")))
    run(path)
    path.write_text(_wxr(_item(1, "Second title")))
    report = run(path)
    assert report.updated == 1
    article = Article.objects.get()
    assert article.title == "Second title"
    # The first import and the update are in the article's history, as imports.
    history = article.revisions.order_by("number")
    assert [(r.number, r.kind, r.data["title"]) for r in history] == [
        (1, "import", "First title"),
        (2, "import", "Second title"),
    ]


@pytest.mark.django_db
def test_content_becomes_paragraphs_figures_and_counted_shortcodes(
    tmp_path, httpserver
):
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (8, 6), "blue").save(picture, format="PNG")
    httpserver.expect_request("/a.png").respond_with_data(
        picture.getvalue(), content_type="image/png"
    )
    url = httpserver.url_for("/a.png")
    content = (
        "First line\nsecond line\n\nNext paragraph [embed]http://x[/embed]\n\n"
        f'[caption id="attachment_9" width="300"]<img src="{url}" '
        'alt="A lake" /> The lake[/caption]\n\n[gallery ids="9"]'
    )
    attachment = _item(
        9, "a", post_type="attachment", status="inherit", attachment_url=url,
        extra="<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
        "<wp:meta_value>A lake</wp:meta_value></wp:postmeta>",
    )  # fmt: skip
    path = tmp_path / "content.xml"
    path.write_text(_wxr(_item(1, content=content) + attachment))
    # Body images show only from the library: the attachment is downloaded.
    report = run(path, download_media=True, policy=any_address)
    body = Article.objects.get().body
    assert "<p>First line<br>\nsecond line</p>" in body
    assert "<figure><img" in body and "<figcaption>The lake</figcaption>" in body
    image = LibraryImage.objects.get(alt="A lake")
    found = find_images(body)
    assert [i.get("data-file") for i in found] == [str(image.pk)] * 2  # + gallery
    assert "[embed]" in body
    assert report.shortcodes["embed"] == 1
    assert report.skipped["attachment (recorded as media)"] == 1


@pytest.mark.django_db
def test_block_editor_posts_keep_their_html_without_block_comments():
    run(FIXTURES / "theme-test-data" / "64-block-test-data.xml")
    bodies = Article.objects.values_list("body", flat=True)
    assert not any("wp:" in body and "<!--" in body for body in bodies)
    assert any("<p>" in body for body in bodies)


@pytest.mark.django_db
def test_category_hierarchy_is_kept_in_the_section_description():
    run(FIXTURES / "wordpress-importer" / "small-export.xml")
    child = Section.objects.get(slug="foo-bar")
    assert "WordPress category: Bar › Foo" in child.description
    # Both WordPress categories are called Foo; section names are unique.
    assert child.name == "Foo (foo-bar)"
    assert Section.objects.get(slug="foo").name == "Foo"


@pytest.mark.django_db
def test_pages_are_skipped_unless_a_section_is_chosen():
    path = FIXTURES / "wordpress-importer" / "valid-wxr-1.1.xml"
    report = run(path)
    assert report.skipped["page"] == 1
    assert not Article.objects.filter(title="About").exists()
    run(path, pages_section="pages")
    about = Article.objects.get(title="About")
    assert about.section.slug == "pages"
    assert Redirect.objects.filter(path="?page_id=2", article=about).exists()


@pytest.mark.django_db
def test_featured_images_are_recorded_with_url_and_alt():
    run(FIXTURES / "wordpress-importer" / "theme-unit-test-data.xml")
    featured = ImportedMedia.objects.filter(role="featured").select_related("article")
    assert featured
    for media in featured:
        assert media.url.startswith("http")
        assert media.article is not None
    assert ImportedMedia.objects.filter(role="attachment").exclude(alt="").exists()


@pytest.mark.django_db
def test_primary_category_wins_over_the_first(tmp_path):
    head = (
        "<wp:category><wp:term_id>5</wp:term_id><wp:category_nicename>world"
        "</wp:category_nicename><wp:cat_name>World</wp:cat_name></wp:category>"
    )
    extra = (
        '<category domain="category" nicename="sport">Sport</category>'
        '<category domain="category" nicename="world">World</category>'
        "<wp:postmeta><wp:meta_key>_yoast_wpseo_primary_category</wp:meta_key>"
        "<wp:meta_value>5</wp:meta_value></wp:postmeta>"
    )
    path = tmp_path / "primary.xml"
    path.write_text(_wxr(_item(1, extra=extra), head=head))
    run(path)
    assert Article.objects.get().section.slug == "world"


@pytest.mark.django_db
def test_a_draft_old_address_does_not_redirect(tmp_path, client):
    path = tmp_path / "draft.xml"
    path.write_text(_wxr(_item(1, status="draft")))
    run(path)
    assert client.get("/?p=1").status_code == 200  # the front page, no redirect
    assert client.get("/2024/03/01/post-1/").status_code == 404


@pytest.fixture
def keep_connection():
    """Keep the test's database connection open across WSGI requests, as Django's
    test client does: the handler closes it at each request's end."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_old_addresses_pass_the_page_cache(tmp_path, settings, keep_connection):
    """`/?p=ID` reaches Django through the whole WSGI stack, page cache on."""
    from newsdesk.wsgi import application

    settings.NEWSDESK_PAGE_CACHE = True
    path = tmp_path / "one.xml"
    path.write_text(_wxr(_item(1)))
    run(path)
    article = Article.objects.get()

    def get(path: str, query: str = ""):
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
            "SERVER_NAME": "testserver", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
            "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
            "wsgi.errors": io.StringIO(),
        }  # fmt: skip
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"], answer["headers"] = status, dict(headers)

        b"".join(application(environ, start_response))
        return answer

    assert get("/")["status"].startswith("200")
    moved = get("/", "p=1")
    assert moved["status"].startswith("301")
    assert moved["headers"]["Location"] == article.get_absolute_url()


@pytest.mark.django_db
def test_imported_articles_are_searchable(django_capture_on_commit_callbacks):
    """The import's bulk writes announce themselves; search hears them."""
    from newsdesk.search.service import search

    with django_capture_on_commit_callbacks(execute=True):
        run(FIXTURES / "wordpress-importer" / "valid-wxr-1.0.xml")
    found = search("alpha")
    assert "Alpha post" in [r.article.title for r in found.results]


@pytest.mark.django_db
def test_the_command_prints_the_report(capsys):
    path = FIXTURES / "wordpress-importer" / "small-export.xml"
    call_command("import", "wordpress", str(path))
    out = capsys.readouterr().out
    assert f"Imported: {len(Expected(path).posts)}\n" in out
    pages = sum(_wp(i, "post_type") == "page" for i in ET.parse(path).iter("item"))
    assert f"  page: {pages}\n" in out
    # The only redirects are the old site's addresses: no article was renamed.
    declared = set()
    for key, item in Expected(path).posts.items():
        declared |= {f"?p={key}", Redirect.key(item.findtext("link") or "")}
    assert set(Redirect.objects.values_list("path", flat=True)) <= declared


@pytest.mark.django_db
def test_featured_images_are_downloaded_when_asked_and_reachable(tmp_path, httpserver):
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (8, 6), "red").save(picture, format="PNG")
    httpserver.expect_request("/lake.png").respond_with_data(
        picture.getvalue(), content_type="image/png"
    )
    attachments = [
        (9, httpserver.url_for("/lake.png")),
        (10, httpserver.url_for("/missing.png")),
    ]
    items = "".join(
        _item(
            n, "a", post_type="attachment", status="inherit", attachment_url=url,
            extra="<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
            "<wp:meta_value>A red lake</wp:meta_value></wp:postmeta>",
        )
        for n, url in attachments
    ) + "".join(
        _item(
            n, f"Post {n}",
            extra="<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
            f"<wp:meta_value>{thumb}</wp:meta_value></wp:postmeta>",
        )
        for n, thumb in ((1, 9), (2, 10))
    )  # fmt: skip
    path = tmp_path / "images.xml"
    path.write_text(_wxr(items))
    report = run(path, download_media=True, policy=any_address)
    with_image = Article.objects.get(title="Post 1")
    # Into the media library, with the attachment's alt text.
    image = with_image.lead_image
    assert (image.width, image.height, image.alt) == (8, 6, "A red lake")
    assert not Article.objects.get(title="Post 2").lead_image
    assert any("missing.png: not downloaded" in w for w in report.warnings)


@pytest.mark.django_db
def test_attachments_shown_in_bodies_move_into_the_library(tmp_path, httpserver):
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (640, 480), "navy").save(picture, format="JPEG")
    httpserver.expect_request("/up/harbour.jpg").respond_with_data(
        picture.getvalue(), content_type="image/jpeg"
    )
    original = httpserver.url_for("/up/harbour.jpg")
    resized = original.replace("harbour.jpg", "harbour-300x225.jpg")
    attachment = _item(
        9, "harbour", post_type="attachment", status="inherit",
        attachment_url=original,
        extra="<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
        "<wp:meta_value>Ships in the harbour</wp:meta_value></wp:postmeta>",
    )  # fmt: skip
    elsewhere = "http://cdn.elsewhere.example/chart.png"
    local = _item(
        10, "secret", post_type="attachment", status="inherit",
        attachment_url="/etc/newsdesk/private.png",
    )  # fmt: skip
    post = _item(
        1, "Harbour day",
        content=f'Before.\n\n<img src="{resized}" alt="x" width="300" />\n\n'
        f'<img src="{elsewhere}" alt="A chart" />\n\nAfter.',
        # Its featured image too: setting it must not drop the body's images.
        extra="<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
        "<wp:meta_value>9</wp:meta_value></wp:postmeta>",
    )  # fmt: skip
    path = tmp_path / "bodies.xml"
    path.write_text(_wxr(post + attachment + local))
    report = run(path, download_media=True, policy=any_address)
    image = LibraryImage.objects.get(alt="Ships in the harbour")
    article = Article.objects.get(title="Harbour day")
    assert article.lead_image is not None
    found = find_images(article.body)
    assert [i.get("data-file") for i in found] == [str(image.pk), None]
    # An image the library lacks stays in the stored body, unseen by readers.
    assert found[1]["src"] == elsewhere
    # A path on this machine is never read into the public library.
    assert any("private.png: not an http(s) address" in w for w in report.warnings)
    # The reader's page shows the library's copy with its alt text.
    html = Client().get(article.get_absolute_url()).content.decode()
    assert "Ships in the harbour" in html
    assert resized not in html
    assert elsewhere not in html


@pytest.mark.django_db
def test_a_lazy_image_is_matched_with_its_attachment_by_its_real_address(
    tmp_path, httpserver, client
):
    """Moved here from media's hostile images, where a feed import kept it."""
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (16, 12), "teal").save(picture, format="JPEG")
    httpserver.expect_request("/up/ferry.jpg").respond_with_data(
        picture.getvalue(), content_type="image/jpeg"
    )
    original = httpserver.url_for("/up/ferry.jpg")
    lazy = (
        '<img src="data:image/gif;base64,R0lGOD" '
        f'data-src="{original.replace("ferry.jpg", "ferry-1024x683.jpg")}" alt="x">'
    )
    post = _item(
        1, "Ferries resume",
        content=f"Ferries resume at noon.\n\n{lazy}"
        '<img src="javascript:alert(1)" alt="Nope"><img alt="Nothing">',
    )  # fmt: skip
    attachment = _item(
        9, "ferry", post_type="attachment", status="inherit",
        attachment_url=original,
        extra="<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
        "<wp:meta_value>A ferry</wp:meta_value></wp:postmeta>",
    )  # fmt: skip
    path = tmp_path / "lazy.xml"
    path.write_text(_wxr(post + attachment))
    run(path, download_media=True, policy=any_address)
    article = Article.objects.get(title="Ferries resume")
    image = LibraryImage.objects.get(alt="A ferry")
    assert [i.get("data-file") for i in find_images(article.body)] == [str(image.pk)]
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = LexborHTMLParser(response.content)
    shown = [i.attributes.get("alt") for i in page.css(".article-body img")]
    assert shown == ["A ferry"]


@pytest.mark.django_db
def test_the_command_shows_progress_with_counts(tmp_path):
    path = tmp_path / "many.xml"
    path.write_text(_wxr("".join(_item(n) for n in range(1, 1201))))
    err = io.StringIO()
    call_command("import", "wordpress", str(path), stdout=io.StringIO(), stderr=err)
    steps = [step for step in err.getvalue().split("\r") if step.strip()]
    assert len(steps) >= 3  # one per batch of 500
    assert steps[-1].startswith("[" + "#" * 30 + "] 100% 1200 articles (1200 new")


@pytest.mark.django_db
def test_an_import_starts_a_new_content_generation(django_capture_on_commit_callbacks):
    """Cached pages must not outlive the import."""
    from newsdesk.delivery import generation

    before = generation.current()
    with django_capture_on_commit_callbacks(execute=True):
        run(FIXTURES / "wordpress-importer" / "valid-wxr-1.1.xml")
    assert generation.current() != before


@pytest.mark.django_db
def test_an_article_edited_here_is_not_overwritten_by_a_later_import(tmp_path):
    path = tmp_path / "edit.xml"
    path.write_text(_wxr(_item(1, "Old title")))
    run(path)
    article = Article.objects.get()
    article.title = "Corrected by an editor"
    article.save()
    path.write_text(_wxr(_item(1, "Changed in WordPress")))
    report = run(path)
    assert Article.objects.get().title == "Corrected by an editor"
    assert report.skipped["edited here since the last import"] == 1


@pytest.mark.django_db
def test_a_post_is_matched_by_guid_when_the_site_moved(tmp_path):
    path = tmp_path / "moved.xml"
    path.write_text(_wxr(_item(1)))
    run(path)
    moved = _wxr(_item(1)).replace(
        "<link>http://old.example</link>", "<link>https://new.example</link>"
    )
    path.write_text(moved)
    report = run(path)
    assert (report.imported, report.unchanged) == (0, 1)
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_markup_and_entities_in_titles_become_text(tmp_path):
    path = tmp_path / "titles.xml"
    marked = "<![CDATA[Title <em>With</em> <b>Mark<sup>up</sup></b>]]>"
    escaped = "Tom &amp;amp; Jerry &#8211; &amp;lt;live&amp;gt; <![CDATA[<live>]]>"
    items = _item(1, marked) + _item(2, escaped)
    path.write_text(_wxr(items))
    run(path)
    titles = set(Article.objects.values_list("title", flat=True))
    # WordPress titles are HTML: a bare <live> is a tag, an escaped one is text.
    assert titles == {"Title With Markup", "Tom & Jerry – <live>"}
