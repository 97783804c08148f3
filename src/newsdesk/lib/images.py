"""Check uploaded images by their content and make web renditions with Pillow.

Nothing here knows Django. An upload is refused (ImageRefused, with a message for
the person who sent it) when it is too many bytes, not an image of a supported
format whatever its name says, or too many pixels; the pixel count is read from
the file's header, before anything is decoded, so a decompression bomb costs
nothing. Accepted images are decoded once, turned upright (EXIF orientation) and
re-encoded without their EXIF data, so camera location and other metadata never
reach readers.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError, features

# Widths of the renditions, in pixels; an image is never made larger than it is.
WIDTHS = (480, 960, 1600)


@dataclass(frozen=True)
class Format:
    name: str  # Pillow's name
    label: str  # what people call it
    extension: str
    mime: str


FORMATS = {
    "JPEG": Format("JPEG", "JPEG", "jpg", "image/jpeg"),
    "PNG": Format("PNG", "PNG", "png", "image/png"),
    "WEBP": Format("WEBP", "WebP", "webp", "image/webp"),
}
if features.check("avif"):
    FORMATS["AVIF"] = Format("AVIF", "AVIF", "avif", "image/avif")
WEBP = FORMATS["WEBP"]


def supported_labels() -> str:
    """Name the accepted formats for messages: "JPEG, PNG, WebP or AVIF"."""
    labels = [f.label for f in FORMATS.values()]
    return ", ".join(labels[:-1]) + " or " + labels[-1]


class ImageRefused(ValueError):
    """An upload that can't become a library image; the message says why."""


@dataclass(frozen=True)
class Inspected:
    format: Format
    width: int
    height: int


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    format: Format
    data: bytes


@dataclass(frozen=True)
class Processed:
    """The cleaned full-size image and its renditions, all as encoded bytes."""

    original: Rendition
    renditions: tuple[Rendition, ...]


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB".replace(".0 MB", " MB")


def read_limited(stream: BinaryIO, max_bytes: int) -> bytes:
    """Read a file, refusing it as soon as it passes max_bytes."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImageRefused(
            f"The file is larger than the limit of {_megabytes(max_bytes)}."
        )
    return data


def _open(data: bytes, max_pixels: int) -> Image.Image:
    """Open (not decode) an image of a supported format, within the pixel limit."""
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb check runs at open; the limit below is the one
            # that counts, with a message a person can act on.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
    except Image.DecompressionBombError:
        raise ImageRefused(
            "The image has too many pixels to process safely "
            f"(the limit is {max_pixels / 1_000_000:g} megapixels)."
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ImageRefused(
            f"The file is not a {supported_labels()} image, whatever its name says."
        ) from None
    width, height = image.size
    if width < 1 or height < 1:
        raise ImageRefused("The image has no pixels.")
    if width * height > max_pixels:
        raise ImageRefused(
            f"The image is {width:,}×{height:,} pixels, more than the limit of "
            f"{max_pixels / 1_000_000:g} megapixels."
        )
    return image


def inspect(data: bytes, *, max_bytes: int, max_pixels: int) -> Inspected:
    """Check an upload's size, format (by content) and pixel count from its header."""
    if len(data) > max_bytes:
        raise ImageRefused(
            f"The file is larger than the limit of {_megabytes(max_bytes)}."
        )
    if not data:
        raise ImageRefused("The file is empty.")
    image = _open(data, max_pixels)
    return Inspected(FORMATS[image.format], image.width, image.height)


def _decode(data: bytes, max_pixels: int) -> Image.Image:
    image = _open(data, max_pixels)
    try:
        # Decodes exactly the size the header gave, already checked.
        image.load()
    except (OSError, ValueError, SyntaxError):
        raise ImageRefused(
            "The image is damaged or truncated and can't be read."
        ) from None
    return image


def _encode(image: Image.Image, fmt: Format, icc: bytes | None) -> bytes:
    out = io.BytesIO()
    options: dict = {}
    if icc:
        options["icc_profile"] = icc
    if fmt.name == "JPEG":
        image = image.convert("RGB") if image.mode != "RGB" else image
        options |= {"quality": 85, "optimize": True, "progressive": True}
    elif fmt.name == "PNG":
        options |= {"optimize": True}
    elif fmt.name == "WEBP":
        options |= {"quality": 80, "method": 4}
    elif fmt.name == "AVIF":
        options |= {"quality": 60}
    # No `exif=`: the new file carries no EXIF at all (no GPS, no camera).
    image.save(out, fmt.name, **options)
    return out.getvalue()


def _web_mode(image: Image.Image) -> Image.Image:
    """Convert to a mode every output format can write (RGB, or RGBA for alpha)."""
    if image.mode in ("RGB", "RGBA"):
        return image
    has_alpha = image.mode in ("LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info
    )
    return image.convert("RGBA" if has_alpha else "RGB")


def rendition_widths(width: int, widths: tuple[int, ...] = WIDTHS) -> list[int]:
    """Return the widths to make for an image this wide: never wider than it is."""
    return sorted({w for w in widths if w < width} | {min(width, max(widths))})


def process(
    data: bytes, *, max_bytes: int, max_pixels: int, widths: tuple[int, ...] = WIDTHS
) -> Processed:
    """Check an upload, then make its clean original and its renditions.

    The original keeps its format and size, turned upright and without EXIF.
    Each rendition width comes in WebP and in the original's format.
    """
    fmt = inspect(data, max_bytes=max_bytes, max_pixels=max_pixels).format
    image = _decode(data, max_pixels)
    icc = image.info.get("icc_profile")
    upright = _web_mode(ImageOps.exif_transpose(image))
    original = Rendition(upright.width, upright.height, fmt, _encode(upright, fmt, icc))
    renditions = []
    for width in rendition_widths(upright.width, widths):
        height = max(1, round(upright.height * width / upright.width))
        resized = (
            upright
            if width == upright.width
            else upright.resize((width, height), Image.Resampling.LANCZOS)
        )
        for out in dict.fromkeys((WEBP, fmt)):
            renditions.append(Rendition(width, height, out, _encode(resized, out, icc)))
    return Processed(original, tuple(renditions))
