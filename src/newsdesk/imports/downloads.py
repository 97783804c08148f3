"""Download imported images into the media library, where reachable.

A step of its own, after the import's commit (`import ... --download-media`):
files are not part of a transaction, and a slow image server shouldn't hold
the database. Featured images become the articles' lead images; attachments
become library images, and the imported bodies' <img> tags that show them (at
any of WordPress's sizes, `name-300x200.jpg`) are pointed at the library copies.
A body image that isn't in the library is never shown on the public site.
"""

from __future__ import annotations

import json
import posixpath
import re
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import F
from django.utils.html import format_html

from newsdesk.content.models import Article
from newsdesk.imports.fetching import AddressPolicy, fetch, is_url, public_only
from newsdesk.imports.models import ImportedMedia
from newsdesk.imports.types import ImportRefused, Report
from newsdesk.lib.markup import clean_html, replace_images
from newsdesk.media.images import ImageRefused, create_image, limits
from newsdesk.media.models import Image

# WordPress serves resized copies as name-300x200.jpg beside name.jpg.
_SIZED = re.compile(r"-\d+x\d+(?=\.\w+$)")


def download(report: Report, *, policy: AddressPolicy = public_only) -> None:
    """Fetch the import's featured images and attachments; a failure only warns.

    `report` is the committed import's (`Importer.run`). The addresses come
    from the source's content, so each must pass `policy` (public addresses
    only, unless the operator allowed private ones).
    """
    if report.source_id is None:
        return
    source, article_ids = report.source_id, list(report.article_ids)
    featured = ImportedMedia.objects.filter(
        source=source,
        role=ImportedMedia.Role.FEATURED,
        article_id__in=article_ids,
        file="",
    ).select_related("article")
    failed: set[str] = set()  # Each address is tried once: a slow one costs once.
    leads: list[tuple[int, Image]] = []
    for media in featured.iterator():
        article = media.article
        alt = (media.alt or article.title)[:250]
        image = _fetch(media, alt, report, policy, failed)
        if image is not None and article.lead_image_id is None:
            leads.append((article.pk, image))
    # Written together, after the fetching (no transaction waits on the
    # network): the site hears of them as one change, not one per image.
    with transaction.atomic():
        for pk, image in leads:
            _update(pk, lead_image=image)
    attachments = ImportedMedia.objects.filter(
        source=source, role=ImportedMedia.Role.ATTACHMENT, file=""
    )
    for media in attachments.iterator():
        alt = media.alt.strip()
        if not alt:
            report.warn(
                f"attachment {media.url}: no alt text in the export; it has a "
                "placeholder until someone describes it in the media library"
            )
        name = posixpath.basename(urlsplit(media.url).path) or "image"
        alt = (alt or f"Image {name} from the old site")[:250]
        _fetch(media, alt, report, policy, failed)
    _point_bodies_at_the_library(source, report)


def _update(pk: int, **fields) -> None:
    """Change imported fields without save(), which keeps only library images.

    Not a newsroom edit either: the import's record of the article stays as it
    is, so a later import still updates it. Still a new version, so a form
    opened before refuses to overwrite the change.
    """
    Article.objects.filter(pk=pk).update(**fields, version=F("version") + 1)


def _fetch(
    media: ImportedMedia,
    alt: str,
    report: Report,
    policy: AddressPolicy,
    failed: set[str],
) -> Image | None:
    name = posixpath.basename(urlsplit(media.url).path) or "image"
    fetched = (
        ImportedMedia.objects.filter(source=media.source_id, url=media.url)
        .exclude(file="")
        .values_list("file", flat=True)
        .first()
    )
    known = Image.objects.filter(file=fetched).first() if fetched else None
    if known is not None:
        # A featured image that is also an attachment is fetched once.
        media.file.name = known.file.name
        media.save(update_fields=["file"])
        return known
    if media.url in failed:
        return None
    if not is_url(media.url):
        # An export names addresses on the web, never this machine's files.
        report.warn(f"image {media.url[:200]}: not an http(s) address; not downloaded")
        return None
    try:
        # The library checks the file by its content, strips EXIF location data
        # and makes the renditions, as for an upload.
        data = fetch(media.url, policy=policy, max_bytes=limits()["max_bytes"])
        image = create_image(data, alt=alt, name=name)
    except (ImportRefused, ImageRefused, OSError) as error:
        failed.add(media.url)
        report.warn(f"image {media.url}: not downloaded ({error})")
        return None
    media.file.name = image.file.name
    media.save(update_fields=["file"])
    report.created["images downloaded"] += 1
    return image


def _original(url: str) -> str:
    return _SIZED.sub("", url.split("?")[0])


def _point_bodies_at_the_library(source: int, report: Report) -> None:
    """Point the imported bodies' images at their library copies.

    From the bodies as the source gave them (`Report.bodies`): the import's own
    save kept only images that were in the library already.
    """
    bodies, report.bodies = report.bodies, None
    if bodies is None:
        return
    with bodies:
        downloaded = {
            _original(m.url): m.file.name
            for m in ImportedMedia.objects.filter(source=source).exclude(file="")
        }
        if not downloaded:
            return
        by_file = {
            i.file.name: i for i in Image.objects.filter(file__in=downloaded.values())
        }
        library = {url: by_file[f] for url, f in downloaded.items() if f in by_file}
        bodies.seek(0)
        with transaction.atomic():  # One change for the site to hear of.
            for line in bodies:
                pk, body = json.loads(line)
                _point(pk, body, library, report)


def _point(pk: int, body: str, library: dict[str, Image], report: Report) -> None:
    matched = 0

    def point(attrs: dict[str, str]) -> str:
        nonlocal matched
        image = library.get(_original(attrs.get("src", "")))
        if image is None:
            return format_html('<img src="{}" alt="{}">', attrs.get("src", ""),
                               attrs.get("alt", ""))  # fmt: skip
        matched += 1
        return format_html(
            '<img src="{}" alt="{}" data-file="{}">',
            image.rendition_url(), image.alt, image.pk,
        )  # fmt: skip

    # Cleaned first, as the import's own save did: a lazy image's real address
    # (data-src) becomes its src, to be matched.
    body = replace_images(clean_html(body), point)
    # Stored only when a library copy was found. An unmatched image stays in the
    # stored body then (readers don't see it; the newsroom drops it on save).
    if matched:
        _update(pk, body=clean_html(body))
        report.created["bodies pointed at library images"] += 1
