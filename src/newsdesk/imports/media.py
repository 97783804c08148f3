"""Download imported featured images into the media store, where reachable."""

from __future__ import annotations

import io
import posixpath
from urllib.parse import urlsplit

from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

from newsdesk.imports.base import ImportRefused, Report
from newsdesk.imports.fetching import read
from newsdesk.imports.models import ImportedMedia


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
        try:
            data = read(media.url)
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
        except (ImportRefused, UnidentifiedImageError, OSError) as error:
            report.warn(f"featured image {media.url}: not downloaded ({error})")
            continue
        name = posixpath.basename(urlsplit(media.url).path) or "image"
        media.file.save(name, ContentFile(data), save=True)
        article = media.article
        if not article.lead_image:
            article.lead_image.save(name, ContentFile(data), save=False)
            article.lead_image_alt = (media.alt or article.title)[:250]
            article.save()
        report.created["images downloaded"] += 1
