"""Images inside article bodies: only library images, shown from the library.

The editor (django-prose-editor's Figure, whose "Browse..." opens the library's
picker) writes `<img src=... alt=... data-file="ID">`. On save, `bind_images`
keeps only images that are in the library (by that id, or by a library file's
address) and drops the rest; on the public page, `render_images` turns each
into the library's <picture> with srcset, sizes, width, height and its alt text,
so a body image can never lack alt text or come from elsewhere.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from newsdesk.lib.markup import (
    find_images,
    image_source,
    replace_images,
    unwrap_empty_figures,
)
from newsdesk.media.models import Image
from newsdesk.media.rendering import BODY_SIZES, picture

_SUFFIX = re.compile(r"(-\d+)?\.\w+$")
# A stored name is `<stem>-<8 hex digits>.<ext>` (media.images.store), a
# rendition's `<stem>-<8 hex>-<width>.<ext>`: the token ends the base. Its digits
# may all be decimal, so `_SUFFIX` alone would take them for a width.
_TOKENED = re.compile(r"-[0-9a-f]{8}(?=(-\d+)?\.\w+$)")


def _library_name(src: str) -> str | None:
    """Return the stored name's base for an address of a library file, if it is one."""
    if not src.startswith(settings.MEDIA_URL):
        return None
    name = src.removeprefix(settings.MEDIA_URL)
    if not name.startswith("images/"):
        return None
    token = _TOKENED.search(name)
    if token is not None:
        return name[: token.end()]
    return _SUFFIX.sub("", name)


def _id(attrs: dict[str, str]) -> int | None:
    value = attrs.get("data-file", "")
    return int(value) if value.isdigit() else None


def _lookup(html: str) -> tuple[dict[int, Image], dict[str, Image]]:
    images = find_images(html)
    ids = {i for i in map(_id, images) if i is not None}
    # image_source, not attrs["src"]: rows stored before bodies were cleaned of
    # them may hold an <img> with no src at all.
    bases = {
        b for a in images if _id(a) is None and (b := _library_name(image_source(a)))
    }
    by_id = {image.pk: image for image in Image.objects.filter(pk__in=ids)}
    by_base: dict[str, Image] = {}
    for base in bases:
        found = Image.objects.filter(file__startswith=base + ".").first()
        if found is not None:
            by_base[base] = found
    return by_id, by_base


def bind_images(html: str) -> str:
    """Keep only library images in a body, each marked with its library id."""
    if "<img" not in (html or ""):
        return html or ""
    by_id, by_base = _lookup(html)

    def bind(attrs: dict[str, str]) -> str:
        image = by_id.get(_id(attrs)) or by_base.get(_library_name(image_source(attrs)))
        if image is None:
            return ""
        return format_html(
            '<img src="{}" alt="{}" width="{}" height="{}" data-file="{}">',
            image.rendition_url(),
            image.alt,
            image.width,
            image.height,
            image.pk,
        )

    return unwrap_empty_figures(replace_images(html, bind))


def render_images(html: str) -> SafeString:
    """Show a (sanitized) body's images from the library; drop any it lacks."""
    if "<img" not in (html or ""):
        return mark_safe(html or "")
    by_id, _ = _lookup(html)

    def render(attrs: dict[str, str]) -> str:
        image = by_id.get(_id(attrs))
        return picture(image, sizes=BODY_SIZES) if image is not None else ""

    return mark_safe(replace_images(html, render))
