"""Put images into the library: the one way in, for the newsroom and importers.

`create_image()` checks the bytes (by content, size and pixel count), makes the
renditions, and `store()` writes every file through Django's storage API and
saves the row (the newsroom's upload form, which checks the bytes as it
validates, calls `store()` itself). A refused or failed upload leaves no file
behind.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from pathlib import PurePosixPath
from typing import BinaryIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from newsdesk.lib.images import ImageRefused, Processed, process, read_limited
from newsdesk.media.models import Image

__all__ = [
    "ImageRefused",
    "check_upload",
    "create_image",
    "remake",
    "store",
]

log = logging.getLogger(__name__)
ALT_MISSING = "Describe the image for readers who can't see it (alt text)."


def limits() -> dict[str, int]:
    return {
        "max_bytes": settings.NEWSDESK_MAX_UPLOAD_MB * 1_000_000,
        "max_pixels": settings.NEWSDESK_MAX_IMAGE_PIXELS,
    }


def check_upload(file: BinaryIO | bytes) -> Processed:
    """Read an upload within the limits and process it, or raise ImageRefused."""
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    else:
        with contextlib.suppress(AttributeError, OSError):
            file.seek(0)
        data = read_limited(file, limits()["max_bytes"])
    return process(data, **limits())


def _stem(name: str) -> str:
    return slugify(PurePosixPath(name or "").stem)[:60] or "image"


def delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:  # A file already gone, or storage away: log, go on.
            log.warning("Could not delete %s from storage", name, exc_info=True)


def store(image: Image, processed: Processed, *, name: str = "") -> Image:
    """Write a processed image's files to storage and save the row with them.

    The one place library files are written. On any failure, in storage or in
    the database, the files written so far are deleted again.
    """
    folder = timezone.now().strftime("images/%Y/%m")
    base = f"{folder}/{_stem(name)}-{secrets.token_hex(4)}"
    saved: list[str] = []

    def put(name: str, data: bytes) -> str:
        saved.append(default_storage.save(name, ContentFile(data)))
        return saved[-1]

    original = processed.original
    try:
        image.file = put(f"{base}.{original.format.extension}", original.data)
        image.renditions = [
            {
                "width": r.width,
                "height": r.height,
                "mime_type": r.format.mime,
                "name": put(f"{base}-{r.width}.{r.format.extension}", r.data),
            }
            for r in processed.renditions
        ]
        image.width, image.height = original.width, original.height
        image.mime_type = original.format.mime
        image.size = len(original.data)
        with transaction.atomic():
            image.save()
    except BaseException:
        delete_files(saved)
        raise
    return image


def create_image(
    file: BinaryIO | bytes,
    *,
    alt: str,
    caption: str = "",
    credit: str = "",
    uploaded_by=None,
    name: str = "",
) -> Image:
    """Add an image (an open file or its bytes) to the library.

    `name` is the original file name, used only to name the stored files.
    Raises ImageRefused, with a message for people, when the image can't be used.
    """
    alt = (alt or "").strip()
    if not alt:
        raise ImageRefused(ALT_MISSING)
    processed = check_upload(file)
    image = Image(
        alt=alt,
        caption=caption.strip(),
        credit=credit.strip(),
        uploaded_by=uploaded_by if getattr(uploaded_by, "pk", None) else None,
    )
    return store(image, processed, name=name or getattr(file, "name", ""))


def remake(image: Image) -> Image:
    """Process a library image's stored original again: clean it, make renditions.

    For images that came in without renditions (moved from before the media
    library); the old files go once the new ones are saved.
    """
    with default_storage.open(image.file.name, "rb") as stored:
        processed = check_upload(stored)
    old = image.files()
    store(image, processed, name=image.file.name)
    transaction.on_commit(lambda: delete_files(old), robust=True)
    return image
