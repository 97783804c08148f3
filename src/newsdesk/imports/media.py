"""Download imported featured images into the media store, where reachable."""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

from newsdesk.imports.base import ImportRefused, Report
from newsdesk.imports.fetching import read
from newsdesk.imports.models import ImportedMedia
from newsdesk.media.images import ImageRefused, create_image


def download(source: str, article_ids: list[int], report: Report) -> None:
    """Fetch the featured images of these articles; a failure is only a warning.

    Runs after the import's commit: files are not part of a transaction, and a
    slow image server shouldn't hold the database.
    """
    pending = ImportedMedia.objects.filter(
        source=source,
        role=ImportedMedia.Role.FEATURED,
        article_id__in=article_ids,
        file="",
    ).select_related("article")
    for media in pending.iterator():
        article = media.article
        name = posixpath.basename(urlsplit(media.url).path) or "image"
        try:
            # The library checks the file by its content, strips EXIF location
            # data and makes the renditions, as for an upload.
            image = create_image(
                read(media.url), alt=(media.alt or article.title)[:250], name=name
            )
        except (ImportRefused, ImageRefused, OSError) as error:
            report.warn(f"featured image {media.url}: not downloaded ({error})")
            continue
        media.file.name = image.file.name
        media.save(update_fields=["file"])
        if article.lead_image_id is None:
            article.lead_image = image
            article.save()
        report.created["images downloaded"] += 1
