"""WordPress's export format (WXR 1.0, 1.1, 1.2), read as a stream.

The file is streamed twice (see `wxr.py`), so memory stays flat whatever the export's
size: first to check it is a whole, well-formed WXR file and to note its attachments
(a post may name an attachment that comes later in the file), then to import.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import unquote
from xml.etree.ElementTree import Element

from django.utils import timezone
from django.utils.text import slugify

from newsdesk.content.models import Article
from newsdesk.imports.models import ImportedMedia
from newsdesk.imports.sources.wxr import (
    VERSIONS,
    ChannelReader,
    Item,
    is_wp,
    post_type_of,
    read_item,
    split,
    wp_children,
)
from newsdesk.imports.types import Entry, ImportRefused, Media, Run, Source, Term
from newsdesk.lib import wordpress as wp_text
from newsdesk.lib import yoast
from newsdesk.lib.markup import html_to_text
from newsdesk.lib.text import truncate

STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,  # A future publish time: scheduled.
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.DRAFT,
    "private": Article.Status.DRAFT,
}
NOT_IMPORTED_STATUSES = ("trash", "auto-draft", "inherit")
MAX_BODY = 5_000_000


def term_slug(nicename: str, name: str, kind: str) -> str:
    """Return the slug of a WordPress term (any script), distinct for distinct terms."""
    slug = slugify(unquote(nicename), allow_unicode=True) or slugify(
        name, allow_unicode=True
    )
    if slug:
        return slug
    digest = hashlib.sha1((nicename or name).encode()).hexdigest()[:10]
    return f"{kind}-{digest}"


def parse_date(value: str) -> datetime | None:
    """Return a `YYYY-MM-DD HH:MM:SS` time as UTC; None when empty or year 0000."""
    try:
        moment = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.year > 1 else None


def parse_local_date(value: str) -> datetime | None:
    """Return a site-local `YYYY-MM-DD HH:MM:SS` time (`post_date`) as UTC.

    The export doesn't name WordPress's time zone: the site's own
    (TIME_ZONE) is taken as the one the posts were written in.
    """
    moment = parse_date(value)
    if moment is None:
        return None
    local = timezone.make_aware(
        moment.replace(tzinfo=None), timezone.get_default_timezone()
    )
    return local.astimezone(UTC)


# What old WordPress versions print as the pubDate of a post with no GMT date.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def parse_rfc822(value: str) -> datetime | None:
    try:
        moment = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None or moment.year <= 1 or moment == EPOCH:
        return None
    return moment.astimezone(UTC)


def cap_display_name(description: str, login: str) -> str:
    """Return the display name a Co-Authors Plus author term's description holds.

    Co-Authors Plus writes "display_name first_name last_name user_login ID
    user_email" into it, joined by single spaces (empty fields included).
    """
    words = description.split(" ")
    for at in range(len(words) - 1, -1, -1):
        if words[at] == login and (at + 1 == len(words) or words[at + 1].isdigit()):
            before = words[:at]
            break
    else:
        return ""
    half = len(before) // 2
    if before[:half] == before[half:] and half:  # "Jane Doe Jane Doe"
        before = before[:half]
    elif len(before) > 2:  # Display name, then a one-word first and last name.
        before = before[:-2]
    return " ".join(" ".join(before).split())


@dataclass(frozen=True)
class Attachment:
    url: str
    alt: str
    parent: str


class WordPressSource(Source):
    """A WordPress export (WXR) file."""

    name = "wordpress"
    help = "A WordPress export file (WXR 1.0, 1.1 or 1.2)."
    has_media = True

    def __init__(
        self, *, pages_section: str | None = None, default_section: Term | None = None
    ) -> None:
        self.pages_section = pages_section
        if default_section is not None:
            self.default_section = default_section
        self.site = ""
        self.attachments: dict[str, Attachment] = {}
        self.category_ids: dict[str, str] = {}
        self.categories: dict[str, tuple[str, str]] = {}  # nicename → (name, parent)
        self.author_names: dict[str, str] = {}
        self.site_name = ""
        # Co-Authors Plus: names of guest authors and of author terms, by login.
        self.guest_names: dict[str, str] = {}
        self.author_term_names: dict[str, str] = {}
        self.last_line = 0
        self.declared: dict[str, str] | None = None  # Prefixes a reading declared.

    @classmethod
    def add_arguments(cls, parser) -> None:
        parser.add_argument(
            "location", metavar="path", help="the export file (EXPORT.xml)"
        )
        parser.add_argument(
            "--pages-section",
            metavar="SLUG",
            help="import pages as articles in this section (default: skip pages)",
        )
        parser.add_argument(
            "--default-section",
            metavar="SLUG",
            default="uncategorized",
            help="section of posts in no category (default: uncategorized)",
        )

    @classmethod
    def from_options(cls, options: dict) -> WordPressSource:
        return cls(
            pages_section=options["pages_section"],
            default_section=Term.of(options["default_section"]),
        )

    # --- Reading the file ---------------------------------------------------

    def _elements(self, path: str) -> Iterator[tuple[Element, int]]:
        """Yield each child of <channel> with its line, keeping count of progress."""
        reader = ChannelReader(path, declared=self.declared)
        for element, line in reader:
            self.report.done = reader.done
            yield element, line
        self.last_line = reader.last_line
        if self.declared is None:
            # The first reading's repairs are said once; the second reads the same.
            self.declared = reader.declared
            for repair in reader.repairs:
                self.report.warn(f"repaired: {repair}")

    def _scan(self, path: str) -> None:
        """Check the whole file; note the attachments and category ids."""
        version = None
        for element, line in self._elements(path):
            namespace, local = split(element.tag)
            if is_wp(namespace) and local == "wxr_version":
                version = (element.text or "").strip()
                if version not in VERSIONS:
                    raise ImportRefused(
                        f"{path}: line {line}: WXR version "
                        f"“{version[:20]}” is not one this importer knows "
                        f"({', '.join(VERSIONS)}). Nothing was imported."
                    )
            elif local == "item" and not namespace:
                if version is None:
                    raise ImportRefused(
                        f"{path}: line {line}: an item before any <wp:wxr_version>: "
                        "not a WordPress export (WXR). Nothing was imported."
                    )
                kind = post_type_of(element)
                if kind == "guest-author":
                    self._note_guest_author(read_item(element, line))
                if kind != "attachment":
                    continue
                item = read_item(element, line)
                if item.post_id:
                    url = (
                        item.wp.get("attachment_url", "").strip()
                        or item.rss.get("guid", "").strip()
                    )
                    self.attachments[item.post_id] = Attachment(
                        url, item.meta.get("_wp_attachment_image_alt", "").strip(),
                        item.wp.get("post_parent", "").strip(),
                    )  # fmt: skip
            elif not namespace and local == "link":
                # The site's address: post ids are unique within a site.
                self.site = self.site or (element.text or "").strip()
            elif not namespace and local == "title":
                self.site_name = self.site_name or html_to_text(element.text or "")
            elif is_wp(namespace) and local in ("category", "term"):
                fields = wp_children(element)
                nicename = fields.get("category_nicename") or fields.get("term_slug")
                if fields.get("term_id") and nicename:
                    self.category_ids[fields["term_id"]] = nicename
                if fields.get("term_taxonomy") == "author":
                    login = fields.get("term_name", "")
                    name = cap_display_name(fields.get("term_description", ""), login)
                    if login and name:
                        self.author_term_names.setdefault(login, name)
        if version is None:
            raise ImportRefused(
                f"{path}: read to line {self.last_line} and found no "
                "<wp:wxr_version>: not a WordPress export (WXR). Nothing was imported."
            )

    def entries(self, location: str, run: Run) -> Iterator[Entry]:
        self.run, self.report = run, run.report
        self._scan(location)
        for element, line in self._elements(location):
            namespace, local = split(element.tag)
            if not namespace and local == "item":
                entry = self._entry(read_item(element, line))
                if entry is not None:
                    yield entry
            elif is_wp(namespace):
                self._channel_element(local, wp_children(element))

    def _channel_element(self, local: str, fields: dict[str, str]) -> None:
        if local == "base_site_url":
            return
        if local == "author":
            login = fields.get("author_login", "")
            if login:
                name = fields.get("author_display_name") or login
                self.author_names[login] = name
                self.run.declare("author", Term(login, name))
        elif local == "category" or (
            local == "term" and fields.get("term_taxonomy") == "category"
        ):
            nicename = fields.get("category_nicename") or fields.get("term_slug", "")
            name = fields.get("cat_name") or fields.get("term_name") or nicename
            parent = fields.get("category_parent") or fields.get("term_parent", "")
            if nicename:
                category = self._category(nicename, name, parent, fields)
                self.run.declare("section", category)
        elif local == "tag" or (
            local == "term" and fields.get("term_taxonomy") == "post_tag"
        ):
            slug = fields.get("tag_slug") or fields.get("term_slug", "")
            name = fields.get("tag_name") or fields.get("term_name") or slug
            if slug or name:
                self.run.declare("tag", Term(term_slug(slug, name, "tag"), name))
        elif local == "term" and fields.get("term_taxonomy") == "author":
            return  # Co-Authors Plus bylines: read with the posts (`_authors`).
        elif local == "term":
            taxonomy = fields.get("term_taxonomy", "") or "unknown"
            self.report.skip(f"term of taxonomy “{taxonomy}”")

    def _category(
        self, nicename: str, name: str, parent: str = "", fields: dict | None = None
    ) -> Term:
        self.categories.setdefault(nicename, (name, parent))
        description = (fields or {}).get("category_description", "") or (
            fields or {}
        ).get("term_description", "")
        trail, seen, up = [name], {nicename}, parent
        while up and up not in seen and up in self.categories:
            seen.add(up)
            trail.insert(0, self.categories[up][0])
            up = self.categories[up][1]
        if len(trail) > 1:
            path = " › ".join(trail)
            description = f"{description}\n\nWordPress category: {path}".strip()
        return Term(term_slug(nicename, name, "category"), name, description)

    # --- One item -------------------------------------------------------------

    def _entry(self, item: Item) -> Entry | None:
        report = self.report
        if item.comments:
            report.skip("comment", count=item.comments)
        post_type = item.post_type
        if post_type == "attachment":
            self._record_attachment(item)
            report.skip("attachment (recorded as media)")
            return None
        if post_type == "page" and not self.pages_section:
            report.skip("page")
            return None
        if post_type == "guest-author":
            report.skip("guest author (read for the bylines)")
            return None
        if post_type not in ("post", "page"):
            report.skip(f"post type “{post_type}”")
            return None
        status = item.wp.get("status", "").strip() or "publish"
        if status in NOT_IMPORTED_STATUSES:
            report.skip(f"status “{status}”")
            return None
        label = item.label()
        guid = item.rss.get("guid", "").strip()
        if not item.post_id and not guid:
            report.skip("no post id or GUID", label, warn=True)
            return None
        if len(item.content) > MAX_BODY:
            report.skip("too large", label, warn=True)
            return None

        article_status = STATUSES.get(status, Article.Status.DRAFT)
        if status not in STATUSES:
            report.warn(f"{label}: unknown status “{status[:20]}”, imported as draft")
        elif status == "private":
            report.warn(f"{label}: private post imported as a draft")
        if item.wp.get("post_password", "").strip():
            article_status = Article.Status.DRAFT
            report.warn(f"{label}: password-protected post imported as a draft")

        # A GMT date of 0000-00-00 (drafts, some exports): the site-local one.
        publish_at = (
            parse_date(item.wp.get("post_date_gmt", ""))
            or parse_rfc822(item.rss.get("pubDate", ""))
            or parse_local_date(item.wp.get("post_date", ""))
        )
        modified_at = parse_date(
            item.wp.get("post_modified_gmt", "")
        ) or parse_local_date(item.wp.get("post_modified", ""))
        if publish_at is None and article_status == Article.Status.PUBLISHED:
            report.warn(f"{label}: no valid publish date, published as of the import")

        # Titles may hold markup (<em>) and entities: an article's title is text.
        title = html_to_text(item.rss.get("title", ""))
        if not title:
            title = "Untitled"
            report.warn(f"{label}: no title, imported as “Untitled”")
        elif len(title) > 250:
            report.warn(f"{label}: title cut to 250 characters")

        body, unknown = wp_text.to_html(
            item.content, lambda ids: self._gallery(ids, item.post_id)
        )
        report.shortcodes.update(unknown)

        section = self._section_of(item)
        if post_type == "page":
            section = Term(
                self.pages_section, self.pages_section.replace("-", " ").title()
            )
        tags = [
            Term(term_slug(nicename, name, "tag"), name or nicename)
            for domain, nicename, name in item.categories
            if domain in ("post_tag", "tag") and (nicename or name)
        ]
        authors = self._authors(item)
        standfirst = html_to_text(item.excerpt)
        seo_title, seo_description = self._seo(item, title, standfirst or body)

        old_urls = [item.rss.get("link", "")]
        if item.post_id:
            old_urls.append(f"/?p={item.post_id}")
            if post_type == "page":
                old_urls.append(f"/?page_id={item.post_id}")
        if "?p=" in guid or "?page_id=" in guid:
            old_urls.append(guid)

        media = []
        thumbnail = self.attachments.get(item.meta.get("_thumbnail_id", "").strip())
        key = f"{self.site}|{item.post_id}" if item.post_id else f"guid|{guid}"
        if thumbnail and thumbnail.url:
            media.append(Media(key, thumbnail.url, thumbnail.alt))

        slug = item.wp.get("post_name", "").strip() or title
        if item.post_id and not slugify(unquote(slug), allow_unicode=True):
            slug = f"post-{item.post_id}"  # Nothing to make a slug of.
        return Entry(
            key=key,
            guid=guid,
            title=title,
            body=body,
            slug=slug,
            standfirst=standfirst,
            status=article_status,
            publish_at=publish_at,
            modified_at=modified_at,
            seo_title=seo_title,
            seo_description=seo_description,
            section=section,
            tags=tags,
            authors=authors,
            old_urls=[url for url in old_urls if url.strip()],
            media=media,
            label=label,
        )

    def _authors(self, item: Item) -> list[Term]:
        """Return the post's bylines: its Co-Authors Plus authors, else its creator."""
        logins = [
            name or nicename.removeprefix("cap-")
            for domain, nicename, name in item.categories
            if domain == "author" and (name or nicename)
        ]
        if not logins and item.creator:
            logins = [item.creator]
        return [
            Term(login, self._author_name(login)) for login in dict.fromkeys(logins)
        ]

    def _author_name(self, login: str) -> str:
        return (
            self.author_names.get(login)
            or self.guest_names.get(login)
            or self.author_term_names.get(login)
            or login
        )

    def _note_guest_author(self, item: Item) -> None:
        """Note a Co-Authors Plus guest author's display name, by login."""
        login = item.meta.get("cap-user_login", "").strip()
        name = item.meta.get("cap-display_name", "").strip() or html_to_text(
            item.rss.get("title", "")
        )
        if login and name:
            self.guest_names.setdefault(login, name)

    def _seo(self, item: Item, title: str, summary: str) -> tuple[str, str]:
        """Return the post's Yoast SEO title and description, variables filled in."""
        values = {
            "title": title,
            "sitename": self.site_name,
            "excerpt": truncate(html_to_text(summary), words=30, chars=155),
        }
        seo_title = yoast.fill(item.meta.get("_yoast_wpseo_title", ""), values)
        description = yoast.fill(item.meta.get("_yoast_wpseo_metadesc", ""), values)
        return seo_title[:200], description[:320]

    def _section_of(self, item: Item) -> Term | None:
        categories = item.category_terms()
        if not categories:
            return None
        primary = self.category_ids.get(
            item.meta.get("_yoast_wpseo_primary_category", "").strip()
        )
        categories.sort(key=lambda category: category[0] != primary)
        # Every category becomes a section, though an article has only one.
        for nicename, name in categories[1:]:
            category = self._category(nicename, name, self._parent(nicename))
            self.run.declare("section", category)
        nicename, name = categories[0]
        return self._category(nicename, name, self._parent(nicename))

    def _parent(self, nicename: str) -> str:
        return self.categories.get(nicename, ("", ""))[1]

    def _gallery(self, ids, post_id: str) -> list[wp_text.Image]:
        if ids is None:
            found = [a for a in self.attachments.values() if a.parent == post_id]
        else:
            found = [
                self.attachments[str(i)] for i in ids if str(i) in self.attachments
            ]
            if len(found) < len(ids):
                self.report.warn(
                    f"post {post_id}: gallery names attachments the file doesn't hold"
                )
        return [wp_text.Image(a.url, a.alt) for a in found if a.url]

    def _record_attachment(self, item: Item) -> None:
        found = self.attachments.get(item.post_id)
        if found is None or not found.url:
            return
        self.run.keep(
            Media(
                f"{self.site}|{item.post_id}",
                found.url,
                found.alt,
                role=ImportedMedia.Role.ATTACHMENT,
            )
        )
