"""Where a picture says how to turn it, read without Pillow: EXIF (TIFF), XMP, and ImageMagick's raw-profile text.

A phone stores the sensor's pixels and a tag saying how a viewer should turn
them. Scrubbing drops the tag, so each format's scrubber turns the picture for
real first, from the first source a viewer would use (Pillow's order: EXIF, then
a raw EXIF profile in PNG text, then XMP `tiff:Orientation`), and says which.
"""

from __future__ import annotations

import re
import struct
import zlib

ORIENTATION_TAG = 0x0112
# A raw profile or XMP packet is small; a larger one is not read (and is dropped all the same).
MAX_TEXT = 4 << 20
_XMP = re.compile(rb"""tiff:Orientation\s*(?:=\s*["']\s*|>\s*)([0-9]+)""")


def from_tiff(tiff: bytes) -> int | None:
    """The orientation tag of IFD0 of an EXIF (TIFF) block, with or without an `Exif\\0\\0` prefix; None if absent."""
    if tiff[:6] == b"Exif\x00\x00":
        tiff = tiff[6:]
    endian = {b"II": "<", b"MM": ">"}.get(bytes(tiff[:2]))
    if not endian or len(tiff) < 8:
        return None
    try:
        offset = struct.unpack(endian + "I", tiff[4:8])[0]
        count = struct.unpack(endian + "H", tiff[offset:offset + 2])[0]
        for i in range(count):
            entry = tiff[offset + 2 + 12 * i: offset + 14 + 12 * i]
            tag, typ = struct.unpack(endian + "HH", entry[:4])
            if tag == ORIENTATION_TAG:
                if typ == 3:  # SHORT
                    value = struct.unpack(endian + "H", entry[8:10])[0]
                elif typ == 4:  # LONG (seen from some writers)
                    value = struct.unpack(endian + "I", entry[8:12])[0]
                else:
                    return None
                return value if 1 <= value <= 8 else None
    except struct.error:
        return None
    return None


def from_xmp(packet: bytes) -> int | None:
    """`tiff:Orientation` of an XMP packet, as attribute or element; None if absent or out of range."""
    m = _XMP.search(packet)
    if not m:
        return None
    value = int(m.group(1))
    return value if 1 <= value <= 8 else None


def from_raw_profile(text: bytes) -> int | None:
    """The orientation in ImageMagick's "Raw profile type exif/APP1" text: a name, a length, then hex lines."""
    lines = text.split()
    if len(lines) < 3 or not lines[1].isdigit():
        return None
    try:
        raw = bytes.fromhex(b"".join(lines[2:]).decode("ascii"))
    except ValueError:
        return None
    return from_tiff(raw[:int(lines[1])])


def inflate(data: bytes) -> bytes | None:
    """zlib-decompress at most MAX_TEXT bytes (a bomb guard); None when the stream is broken."""
    try:
        d = zlib.decompressobj()
        return d.decompress(data, MAX_TEXT)
    except zlib.error:
        return None


def turn(image, orientation: int):
    """The Pillow image turned upright for EXIF `orientation` (2-8)."""
    from PIL import Image

    t = Image.Transpose
    method = {2: t.FLIP_LEFT_RIGHT, 3: t.ROTATE_180, 4: t.FLIP_TOP_BOTTOM, 5: t.TRANSPOSE,
              6: t.ROTATE_270, 7: t.TRANSVERSE, 8: t.ROTATE_90}[orientation]
    return image.transpose(method)


def swaps_sides(orientation: int) -> bool:
    """Whether turning for `orientation` exchanges width and height."""
    return orientation in (5, 6, 7, 8)
