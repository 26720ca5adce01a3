"""Every orientation a viewer applies is applied before the tag goes (issue 13).

The fixtures store the upright picture turned the way a camera does and say
how to turn it back in one place each: PNG eXIf, ImageMagick's raw-profile text
(tEXt and zTXt, "exif" and "APP1"), XMP `tiff:Orientation` (attribute and
element); WebP EXIF chunk and XMP chunk, lossless and lossy; HEIC irot/imir
boxes, and an EXIF orientation with no box; JPEG XMP without EXIF. exiftool
reads the orientation in the original (so the fixture means something) and no
orientation, metadata or planted value in the result; the result's pixels are
the upright picture's (exactly, where the format is lossless).
"""

from __future__ import annotations

import io
import json
import subprocess
import zlib
from pathlib import Path

import imagegen as gen
import numpy as np
import pytest
from anonymize.scrub.images import ImageError, clean_bytes
from conftest import require_tool
from PIL import Image

UPRIGHT = gen.quadrants(64, 48)
TURNS = range(2, 9)
# exiftool groups that describe the file itself, not who made it or where.
STRUCTURE = {"ExifTool", "System", "File", "JFIF", "Composite", "PNG", "RIFF", "ICC-header", "ICC_Profile",
             "ICC-view", "ICC-meas"}
PNG_STRUCTURE = {"ImageWidth", "ImageHeight", "BitDepth", "ColorType", "Compression", "Filter", "Interlace",
                 "Palette", "SRGBRendering", "Gamma", "PixelsPerUnitX", "PixelsPerUnitY", "PixelUnits"}


def exiftool(data: bytes, tmp_path: Path, name: str) -> dict:
    tool = require_tool("exiftool")
    path = tmp_path / name
    path.write_bytes(data)
    out = subprocess.run([tool, "-j", "-a", "-G1", "-u", str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)[0]


def orientation_read(tags: dict) -> list[str]:
    return [k for k in tags if k.split(":")[-1] == "Orientation"]


def left(tags: dict) -> list[str]:
    found = [k for k in tags if k.split(":", 1)[0] not in STRUCTURE and k != "SourceFile"]
    found += [k for k in tags if k.startswith("PNG:") and k.split(":")[1] not in PNG_STRUCTURE]
    text = json.dumps(tags)
    return found + [v for v in (gen.CAMERA_OWNER, gen.CAMERA_SERIAL, gen.CAMERA_MAKE, gen.TAKEN_AT) if v in text]


def planted_in(data: bytes) -> list[str]:
    """The phone's values a byte search finds in a published file (GPS as the rationals EXIF stores)."""
    found = [v for v in (gen.CAMERA_OWNER, gen.CAMERA_SERIAL, gen.CAMERA_MAKE, gen.CAMERA_MODEL, gen.TAKEN_AT)
             if v.encode() in data]
    return found + ["GPS position" for needle in gen.gps_needles() if needle in data][:1]


def rgba(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as im:
        return im.convert("RGBA")


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    assert a.size == b.size, (a.size, b.size)
    return float(np.abs(np.asarray(a, dtype=int) - np.asarray(b.convert("RGBA"), dtype=int)).mean())


PNG_SOURCES = {
    "exif": "eXIf chunk",
    "raw-text": '"Raw profile type exif" text chunk',
    "raw-ztxt": '"Raw profile type exif" text chunk',
    "raw-app1": '"Raw profile type APP1" text chunk',
    "xmp": "XMP tiff:Orientation",
    "xmp-element": "XMP tiff:Orientation",
}


@pytest.mark.parametrize("source", sorted(PNG_SOURCES))
@pytest.mark.parametrize("turn", TURNS)
def test_png_is_turned_from_each_source(source, turn, tmp_path):
    data = gen.png_with_orientation(source, turn)
    assert rgba(data).tobytes() != UPRIGHT.convert("RGBA").tobytes()
    cleaned = clean_bytes(data)
    assert cleaned.method == "lossless"
    assert f"orientation {turn} from the {PNG_SOURCES[source]} (turned upright: same pixels, compressed again)" \
        in cleaned.removed, cleaned.removed
    assert rgba(cleaned.data).tobytes() == UPRIGHT.convert("RGBA").tobytes()
    assert cleaned.data.endswith(b"IEND\xaeB`\x82")
    assert planted_in(data) and planted_in(cleaned.data) == []
    if turn == 6:  # exiftool, the slower judge, on one turn per source
        assert orientation_read(exiftool(data, tmp_path, "in.png")), "exiftool must read the fixture's orientation"
        tags = exiftool(cleaned.data, tmp_path, "out.png")
        assert orientation_read(tags) == [] and left(tags) == []


def test_png_turn_keeps_colour_chunks_and_turns_the_pixel_density():
    """gAMA and pHYs survive the re-compression; a quarter turn swaps pHYs' two densities."""
    buf = io.BytesIO()
    gen.stored_for(UPRIGHT, 6).save(buf, "PNG", dpi=(300, 150), exif=gen.phone_exif(6).tobytes())
    data = buf.getvalue()
    gama = gen._png_chunk(b"gAMA", (45455).to_bytes(4, "big"))
    at = data.index(b"IDAT") - 4
    data = data[:at] + gama + data[at:]
    cleaned = clean_bytes(data).data
    assert gama in cleaned and cleaned.index(gama) < cleaned.index(b"IDAT")
    with Image.open(io.BytesIO(cleaned)) as im:
        x, y = im.info["dpi"]
        assert round(x) == 150 and round(y) == 300


def test_png_palette_with_transparency_is_turned_exactly():
    stored = gen.stored_for(UPRIGHT, 8).convert("P", palette=Image.Palette.ADAPTIVE, colors=8)
    buf = io.BytesIO()
    stored.save(buf, "PNG", transparency=0, exif=gen.phone_exif(8).tobytes())
    cleaned = clean_bytes(buf.getvalue())
    expected = stored.transpose(Image.Transpose.ROTATE_90)
    expected.info["transparency"] = 0
    assert rgba(cleaned.data).tobytes() == expected.convert("RGBA").tobytes()


def _png_16bit_rgb_with_exif(turn: int) -> bytes:
    rows = b"".join(b"\x00" + bytes(range(4 * 6)) for _ in range(4))
    ihdr = (4).to_bytes(4, "big") * 2 + bytes([16, 2, 0, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + gen._png_chunk(b"IHDR", ihdr)
            + gen._png_chunk(b"eXIf", gen.phone_exif(turn).tobytes()[6:])
            + gen._png_chunk(b"IDAT", zlib.compress(rows)) + gen._png_chunk(b"IEND", b""))


def test_png_that_cannot_be_turned_exactly_is_refused_with_advice():
    """Pillow holds 16-bit colour as 8 bits: rather than publish fewer bits or a sideways picture, say what to do."""
    with pytest.raises(ImageError, match="16-bit colour PNG with orientation 6 .*export it upright"):
        clean_bytes(_png_16bit_rgb_with_exif(6))
    assert clean_bytes(_png_16bit_rgb_with_exif(1)).method == "lossless"  # nothing to turn: kept as it is


WEBP_SOURCES = {"exif": "EXIF chunk", "xmp": "XMP chunk (tiff:Orientation)"}


@pytest.mark.parametrize("source", sorted(WEBP_SOURCES))
@pytest.mark.parametrize("turn", TURNS)
def test_lossless_webp_is_turned_exactly(source, turn, tmp_path):
    data = gen.webp_with_orientation(source, turn, lossless=True)
    cleaned = clean_bytes(data)
    assert cleaned.method == "lossless"
    assert any(r.startswith(f"orientation {turn} from the {WEBP_SOURCES[source]}") for r in cleaned.removed)
    assert rgba(cleaned.data).tobytes() == UPRIGHT.convert("RGBA").tobytes()
    assert planted_in(data) and planted_in(cleaned.data) == []
    if turn == 6:
        assert orientation_read(exiftool(data, tmp_path, "in.webp"))
        tags = exiftool(cleaned.data, tmp_path, "out.webp")
        assert orientation_read(tags) == [] and left(tags) == []


@pytest.mark.parametrize("turn", [3, 6, 8])
def test_lossy_webp_is_turned_and_says_it_was_re_encoded(turn):
    cleaned = clean_bytes(gen.webp_with_orientation("exif", turn, lossless=False))
    assert cleaned.method == "re-encoded"
    assert any("re-encoded at quality 95" in r for r in cleaned.removed), cleaned.removed
    assert mean_difference(rgba(cleaned.data), UPRIGHT) < 6


@pytest.mark.parametrize("source", ["box", "exif"])
@pytest.mark.parametrize("turn", TURNS)
def test_heic_is_turned_from_its_box_or_else_its_exif(source, turn, tmp_path):
    data = gen.heic_with_orientation(source, turn)
    assert (b"irot" in data or b"imir" in data) == (source == "box")
    cleaned = clean_bytes(data)
    said = " ".join(cleaned.removed)
    if source == "box":
        assert "orientation from HEIF" in said and "applied by the decoder" in said, said
    else:
        assert f"orientation {turn} from EXIF (no HEIF rotation box; turned upright)" in said, said
    assert mean_difference(rgba(cleaned.data), UPRIGHT) < 8  # HEIC to JPEG is a lossy conversion
    assert planted_in(cleaned.data) == []
    r, g, b, _ = rgba(cleaned.data).getpixel((8, 8))
    assert r > 200 and g < 60 and b < 60, "red must be top-left"
    if turn == 6:
        tags = exiftool(cleaned.data, tmp_path, "out.jpg")
        assert orientation_read(tags) == [] and left(tags) == []


@pytest.mark.parametrize("element", [False, True])
def test_jpeg_with_only_an_xmp_orientation_is_turned(element, tmp_path):
    buf = io.BytesIO()
    gen.stored_for(UPRIGHT, 6).save(buf, "JPEG", quality=95, xmp=gen.xmp_orientation(6, element=element))
    cleaned = clean_bytes(buf.getvalue())
    assert "orientation 6 from XMP tiff:Orientation (turned upright losslessly)" in cleaned.removed
    with Image.open(io.BytesIO(cleaned.data)) as im:
        assert im.size == (64, 48)
        r, g, b = im.convert("RGB").getpixel((8, 8))
        assert r > 200 and g < 60 and b < 60
    assert left(exiftool(cleaned.data, tmp_path, "out.jpg")) == []


def test_exif_orientation_wins_over_xmp_in_jpeg():
    """Pillow's order: an EXIF orientation (even 1) is used before XMP's."""
    buf = io.BytesIO()
    UPRIGHT.save(buf, "JPEG", quality=95, exif=gen.phone_exif(1).tobytes(), xmp=gen.xmp_orientation(6))
    cleaned = clean_bytes(buf.getvalue())
    assert not any(r.startswith("orientation") for r in cleaned.removed)
    with Image.open(io.BytesIO(cleaned.data)) as im:
        assert im.size == (64, 48)


@pytest.mark.parametrize("kind", ["png", "webp"])
def test_animated_picture_with_an_orientation_is_refused(kind):
    frames = [gen.stored_for(UPRIGHT, 6), gen.stored_for(UPRIGHT.transpose(Image.Transpose.FLIP_LEFT_RIGHT), 6)]
    buf = io.BytesIO()
    frames[0].save(buf, kind.upper(), save_all=True, append_images=frames[1:], exif=gen.phone_exif(6).tobytes(),
                   **({"lossless": True} if kind == "webp" else {}))
    with pytest.raises(ImageError, match="animated .* export it upright"):
        clean_bytes(buf.getvalue())


def _tiff(endian: str, entries: list[tuple[int, int, int, bytes]]) -> bytes:
    """A minimal TIFF block: header, then IFD0 with (tag, type, count, 4-byte value) entries."""
    import struct

    mark = b"II*\x00" if endian == "<" else b"MM\x00*"
    body = struct.pack(endian + "H", len(entries))
    body += b"".join(struct.pack(endian + "HHI", tag, typ, count) + value for tag, typ, count, value in entries)
    return mark + struct.pack(endian + "I", 8) + body + b"\x00\x00\x00\x00"


@pytest.mark.parametrize("endian", ["<", ">"])
def test_orientation_is_read_from_either_byte_order_and_type(endian):
    import struct

    from anonymize.scrub.images.orientation import from_tiff

    short = _tiff(endian, [(0x010F, 2, 4, b"abc\x00"), (0x0112, 3, 1, struct.pack(endian + "HH", 6, 0))])
    assert from_tiff(short) == 6 and from_tiff(b"Exif\x00\x00" + short) == 6
    long = _tiff(endian, [(0x0112, 4, 1, struct.pack(endian + "I", 8))])
    assert from_tiff(long) == 8
    assert from_tiff(_tiff(endian, [(0x010F, 2, 4, b"abc\x00")])) is None  # no tag
    assert from_tiff(_tiff(endian, [(0x0112, 3, 1, struct.pack(endian + "HH", 9, 0))])) is None  # out of range
    assert from_tiff(short[:12]) is None and from_tiff(b"junk") is None  # cut short, not a TIFF


def test_orientation_is_read_from_xmp_and_raw_profiles():
    from anonymize.scrub.images.orientation import from_raw_profile, from_xmp

    assert from_xmp(gen.xmp_orientation(5)) == 5 and from_xmp(gen.xmp_orientation(7, element=True)) == 7
    assert from_xmp(b"<x:xmpmeta tiff:Orientation='3'/>") == 3
    assert from_xmp(b"<x:xmpmeta/>") is None and from_xmp(b'tiff:Orientation="0"') is None
    assert from_raw_profile(gen.raw_profile_exif(6)) == 6
    assert from_raw_profile(gen.raw_profile_exif(3, "Raw profile type APP1")) == 3
    assert from_raw_profile(b"\nexif\n  12\nnot hex at all\n") is None and from_raw_profile(b"") is None


def test_png_compressed_xmp_orientation_is_applied():
    """An iTXt XMP packet may be zlib-compressed (compression flag 1)."""
    buf = io.BytesIO()
    gen.stored_for(UPRIGHT, 3).save(buf, "PNG")
    data = buf.getvalue()
    packet = zlib.compress(gen.xmp_orientation(3))
    chunk = gen._png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x01\x00\x00\x00" + packet)
    at = data.index(b"IDAT") - 4
    cleaned = clean_bytes(data[:at] + chunk + data[at:])
    assert "orientation 3 from the XMP tiff:Orientation (turned upright: same pixels, compressed again)" \
        in cleaned.removed
    assert rgba(cleaned.data).tobytes() == UPRIGHT.convert("RGBA").tobytes()
