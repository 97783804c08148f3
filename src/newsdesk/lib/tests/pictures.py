"""Real image files made with Pillow for the tests, and a decompression bomb."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def picture(
    fmt: str = "JPEG",
    size: tuple[int, int] = (1200, 800),
    *,
    color: str = "navy",
    gps: bool = False,
    orientation: int | None = None,
    mode: str = "RGB",
) -> bytes:
    """Return an encoded image; optionally with GPS EXIF and an orientation tag."""
    image = Image.new(mode, size, color)
    # A marker in the top-left corner, to see which way up the result is.
    image.paste("red" if mode == "RGB" else (255, 0, 0, 255), (0, 0, 10, 10))
    exif = Image.Exif()
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 30.0)}
    if orientation:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    options = {"exif": exif.tobytes()} if (gps or orientation) else {}
    image.save(out, fmt, **options)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def bomb_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """Return a few dozen bytes of PNG whose header claims width × height pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )
