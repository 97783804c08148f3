import io

import pytest
from PIL import Image

from newsdesk.lib.images import (
    FORMATS,
    ImageRefused,
    inspect,
    process,
    read_limited,
    rendition_widths,
)
from newsdesk.lib.tests.pictures import GPS_IFD, bomb_png, picture

LIMITS = {"max_bytes": 5_000_000, "max_pixels": 40_000_000}


def test_it_reads_format_and_size_from_the_content():
    found = inspect(picture("PNG", (300, 200)), **LIMITS)
    assert (found.format.name, found.width, found.height) == ("PNG", 300, 200)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_it_accepts_every_supported_format(fmt):
    assert inspect(picture(fmt, (64, 48)), **LIMITS).format.name == fmt


def test_avif_is_supported_when_pillow_can_write_it():
    from PIL import features

    assert ("AVIF" in FORMATS) == features.check("avif")


def test_it_refuses_text_whatever_its_name():
    with pytest.raises(ImageRefused, match="not a JPEG, PNG, WebP"):
        inspect(b"Just some words, not a picture at all.\n", **LIMITS)


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_it_refuses_formats_it_does_not_support(fmt):
    with pytest.raises(ImageRefused, match="not a JPEG"):
        inspect(picture(fmt, (20, 20)), **LIMITS)


def test_it_refuses_svg():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    with pytest.raises(ImageRefused, match="not a JPEG"):
        inspect(svg, **LIMITS)


def test_it_refuses_a_decompression_bomb_from_its_header():
    bomb = bomb_png(100_000, 100_000)
    assert len(bomb) < 100
    with pytest.raises(ImageRefused, match="too many pixels|megapixels"):
        process(bomb, **LIMITS)


def test_it_refuses_more_pixels_than_its_own_limit_with_the_size_in_the_message():
    with pytest.raises(ImageRefused, match=r"8,000×6,000 pixels.*1 megapixels"):
        inspect(bomb_png(8000, 6000), max_bytes=1000, max_pixels=1_000_000)


def test_it_refuses_too_many_bytes_without_reading_them_all():
    stream = io.BytesIO(b"x" * 2_000)
    with pytest.raises(ImageRefused, match="larger than the limit of"):
        read_limited(stream, 1_000)
    assert stream.tell() == 1_001


def test_it_refuses_a_truncated_image():
    data = picture("PNG", (400, 400), color="teal")
    with pytest.raises(ImageRefused, match="damaged or truncated"):
        process(data[: len(data) // 2], **LIMITS)


def test_renditions_are_never_wider_than_the_original():
    assert rendition_widths(3000) == [480, 960, 1600]
    assert rendition_widths(1000) == [480, 960, 1000]
    assert rendition_widths(300) == [300]


def test_it_makes_webp_and_original_format_renditions_at_each_width():
    result = process(picture("JPEG", (2000, 1000)), **LIMITS)
    made = [(r.format.name, r.width, r.height) for r in result.renditions]
    assert made == [
        ("WEBP", 480, 240), ("JPEG", 480, 240),
        ("WEBP", 960, 480), ("JPEG", 960, 480),
        ("WEBP", 1600, 800), ("JPEG", 1600, 800),
    ]  # fmt: skip
    for rendition in result.renditions:
        opened = Image.open(io.BytesIO(rendition.data))
        assert opened.format == rendition.format.name
        assert opened.size == (rendition.width, rendition.height)


def test_a_webp_original_gets_webp_renditions_once():
    result = process(picture("WEBP", (600, 300)), **LIMITS)
    assert [(r.format.name, r.width) for r in result.renditions] == [
        ("WEBP", 480),
        ("WEBP", 600),
    ]


def test_it_removes_gps_and_all_exif():
    data = picture("JPEG", (640, 480), gps=True)
    assert GPS_IFD in Image.open(io.BytesIO(data)).getexif()
    result = process(data, **LIMITS)
    for out in (result.original, *result.renditions):
        opened = Image.open(io.BytesIO(out.data))
        assert not opened.getexif(), out
        assert b"Exif" not in out.data[:2000]


def test_it_turns_the_image_upright_by_its_exif_orientation():
    # Orientation 6: stored sideways, shown turned 90° clockwise.
    result = process(picture("JPEG", (800, 400), orientation=6), **LIMITS)
    assert (result.original.width, result.original.height) == (400, 800)
    upright = Image.open(io.BytesIO(result.original.data)).convert("RGB")
    # The red corner marker moved from top-left to top-right.
    r, g, b = upright.getpixel((395, 4))
    assert r > 200 and g < 60 and b < 60


def test_transparency_survives_in_png_and_webp():
    data = picture("PNG", (200, 100), color=(0, 0, 0, 0), mode="RGBA")
    result = process(data, **LIMITS)
    for out in result.renditions:
        opened = Image.open(io.BytesIO(out.data))
        assert opened.mode == "RGBA"
        assert opened.getpixel((100, 50))[3] == 0
