"""HTML for library images: <picture> with srcset, sizes, width, height and alt."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from newsdesk.media.models import Image

WEBP = "image/webp"
# What the body column and the lead image take at most (see web's CSS).
BODY_SIZES = "(min-width: 50rem) 45rem, 100vw"


def picture(
    image: Image, *, sizes: str = BODY_SIZES, eager: bool = False, css_class: str = ""
) -> SafeString:
    """Return a <picture> that lets the browser pick a rendition.

    Width and height are always there (no layout shift), alt is the library's
    (never empty), and images below the fold load lazily unless `eager`.
    """
    loading = (
        mark_safe(' loading="eager"')
        if eager
        else mark_safe(' loading="lazy" decoding="async"')
    )
    own_srcset = image.srcset(image.mime_type)
    img = format_html(
        '<img src="{}"{}{} width="{}" height="{}" alt="{}"{}{}>',
        image.rendition_url(960),
        format_html(' srcset="{}"', own_srcset) if own_srcset else "",
        format_html(' sizes="{}"', sizes) if own_srcset else "",
        image.width,
        image.height,
        image.alt,
        loading,
        format_html(' class="{}"', css_class) if css_class else "",
    )
    webp_srcset = image.srcset(WEBP) if image.mime_type != WEBP else ""
    if not webp_srcset:
        return img
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">{}</picture>',
        webp_srcset,
        sizes,
        img,
    )


def thumbnail(image: Image, *, width: int = 120) -> SafeString:
    """Return a small <img> for the newsroom's lists and forms."""
    height = round(image.height * width / image.width) if image.width else width
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" loading="lazy" '
        'class="library-thumbnail">',
        image.rendition_url(width, WEBP),
        width,
        height,
        image.alt,
    )
