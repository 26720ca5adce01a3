"""JPEG: drop metadata segments by copying the rest byte for byte (no re-encoding).

Kept: the frame, tables and scan (SOFn, DHT, DQT, DRI, SOS and the
entropy-coded data), a canonical JFIF header (without its thumbnail), the
ICC colour profile (APP2 ICC_PROFILE: without it a wide-gamut phone photo
would change colour) and Adobe APP14 (needed to decode CMYK/YCCK correctly).
Everything else goes: EXIF (APP1, with GPS, serials, owner, times and the
thumbnail), XMP, IPTC/Photoshop (APP13), comments (COM), maker segments
(APP3-APP15), FlashPix and MPF (other APP2).

When EXIF orientation is not 1 the picture is turned so it stays upright
without the tag: in the DCT domain, losslessly, when the picture's sides are
whole MCUs (`jpeg_rotate.py`), otherwise by a decode and a quality-95
re-encode. The result says which.
"""

from __future__ import annotations

import io
import struct

from anonymize.scrub.images.base import Cleaned, ImageError, Parser

SOI, EOI, SOS = 0xD8, 0xD9, 0xDA
SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
KEEP = {0xC4, 0xDB, 0xDD} | SOF  # DHT, DQT, DRI, SOFn
JFIF = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
NAMES = {0xE1: "APP1", 0xED: "APP13 (IPTC/Photoshop)", 0xFE: "comment", 0xE0: "APP0", 0xE2: "APP2"}
MAX_PIXELS = 100_000_000


def segments(data: bytes):
    """Yield (marker, start, end) for each header segment up to and including SOS; then ('scan', start, end)."""
    if data[:2] != b"\xff\xd8":
        raise ImageError("not a JPEG (no start-of-image marker)")
    pos, n = 2, len(data)
    while pos < n:
        if data[pos] != 0xFF:
            raise ImageError(f"corrupt JPEG: expected a marker at byte {pos}")
        while pos < n and data[pos] == 0xFF:
            pos += 1
        if pos >= n:
            break
        marker = data[pos]
        pos += 1
        if marker in (0x01,) or 0xD0 <= marker <= 0xD7:
            continue
        if marker == EOI:
            raise ImageError("corrupt JPEG: image ends before any scan")
        if pos + 2 > n:
            raise ImageError("truncated JPEG: segment length missing")
        length = struct.unpack(">H", data[pos:pos + 2])[0]
        if length < 2 or pos + length > n:
            raise ImageError(f"truncated JPEG: segment 0x{marker:02X} runs past the end of the file")
        yield marker, pos - 2, pos + length
        pos += length
        if marker == SOS:
            end = data.rfind(b"\xff\xd9")
            if end < pos:
                raise ImageError("truncated JPEG: no end-of-image marker after the scan")
            yield "scan", pos, end + 2
            return
    raise ImageError("truncated JPEG: no image data")


def _label(marker: int, body: bytes) -> str | None:
    """What a segment is, for the report; None when it is kept."""
    if marker in KEEP or marker == SOS:
        return None
    if marker == 0xE0 and body.startswith(b"JFIF\x00"):
        return None
    if marker == 0xE2 and body.startswith(b"ICC_PROFILE\x00"):
        return None
    if marker == 0xEE and body.startswith(b"Adobe"):
        return None
    if marker == 0xE1 and body.startswith(b"Exif\x00"):
        return "EXIF"
    if marker == 0xE1 and b"http://ns.adobe.com/xap/1.0/" in body[:40]:
        return "XMP"
    if marker == 0xE1 and body.startswith(b"http://ns.adobe.com/xmp/extension/"):
        return "XMP (extended)"
    if marker == 0xED:
        return "IPTC/Photoshop"
    if marker == 0xFE:
        return "comment"
    if marker == 0xE2 and body.startswith(b"MPF"):
        return "MPF (multi-picture)"
    if marker == 0xE2 and body.startswith(b"FPXR"):
        return "FlashPix"
    if marker == 0xE0:
        return "APP0 (non-JFIF)"
    if 0xE0 <= marker <= 0xEF:
        return f"APP{marker - 0xE0}"
    return f"segment 0x{marker:02X}"


def orientation(exif_body: bytes) -> int:
    """Read the orientation tag (0x0112) from an EXIF APP1 body; 1 when absent."""
    tiff = exif_body[6:]
    if len(tiff) < 8:
        return 1
    endian = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if not endian:
        return 1
    try:
        offset = struct.unpack(endian + "I", tiff[4:8])[0]
        count = struct.unpack(endian + "H", tiff[offset:offset + 2])[0]
        for i in range(count):
            entry = tiff[offset + 2 + 12 * i: offset + 14 + 12 * i]
            tag, typ = struct.unpack(endian + "HH", entry[:4])
            if tag == 0x0112 and typ == 3:
                value = struct.unpack(endian + "H", entry[8:10])[0]
                return value if 1 <= value <= 8 else 1
    except struct.error:
        return 1
    return 1


def dimensions(data: bytes) -> tuple[int, int]:
    for marker, start, _end in segments(data):
        if marker in SOF:
            height, width = struct.unpack(">HH", data[start + 5:start + 9])
            return width, height
    raise ImageError("corrupt JPEG: no frame header")


class Jpeg(Parser):
    name = "JPEG"
    ext = ".jpg"

    def clean(self, data: bytes) -> Cleaned:
        view = memoryview(data)
        out: list = [b"\xff\xd8"]  # pieces, not joined: the scan is hashed and written from `data` itself
        removed: list[str] = []
        turn = 1
        seen_jfif = False
        seen_frame = False
        for marker, start, end in segments(data):
            if marker == "scan":
                out.append(view[start:end])
                continue
            body = data[start + 4:end]
            if marker in SOF:
                seen_frame = True
                height, width = struct.unpack(">HH", data[start + 5:start + 9])
                if width * height > MAX_PIXELS or width == 0 or height == 0:
                    raise ImageError(f"refused: {width}×{height} pixels (a decompression bomb guard)")
            label = _label(marker, body)
            if label == "EXIF":
                turn = orientation(body)
            if marker == 0xE0 and label is None:
                if not seen_jfif:
                    out.append(JFIF)  # canonical: no thumbnail, no density quirks
                    seen_jfif = True
                    if body != JFIF[4:]:
                        removed.append("JFIF thumbnail or extension")
                continue
            if label:
                removed.append(label)
                continue
            out.append(view[start:end])
        if not seen_frame:
            raise ImageError("corrupt JPEG: no frame header")
        if turn != 1:
            return _upright(b"".join(out), turn, removed)
        return Cleaned(out, self.ext, removed, "lossless")


def _upright(clean: bytes, turn: int, removed: list[str]) -> Cleaned:
    """Bake an EXIF orientation into the picture: losslessly where the sides allow, else re-encoded; say which."""
    from anonymize.scrub.images.jpeg_rotate import upright

    turned = upright(clean, turn)
    if turned is not None:
        data = _with_colour_segments(Jpeg().clean(turned).data, clean)
        return Cleaned(data, ".jpg", [*removed, f"orientation {turn} (turned upright losslessly)"], "lossless")
    return _reencoded(clean, turn, removed)


def _with_colour_segments(turned: bytes, original: bytes) -> bytes:
    """Carry the ICC profile and Adobe segment of the original into the turned picture (after JFIF)."""
    keep = [original[start:end] for marker, start, end in segments(original)
            if marker in (0xE2, 0xEE) and _label(marker, original[start + 4:end]) is None]
    if not keep:
        return turned
    at = 2 + len(JFIF) if turned[2:2 + len(JFIF)] == JFIF else 2
    return turned[:at] + b"".join(keep) + turned[at:]


def _reencoded(clean: bytes, turn: int, removed: list[str]) -> Cleaned:
    """Decode, turn and re-encode at quality 95 (the sides are not whole MCUs)."""
    from PIL import Image, JpegImagePlugin

    T = Image.Transpose
    method = {2: T.FLIP_LEFT_RIGHT, 3: T.ROTATE_180, 4: T.FLIP_TOP_BOTTOM, 5: T.TRANSPOSE,
              6: T.ROTATE_270, 7: T.TRANSVERSE, 8: T.ROTATE_90}[turn]
    with Image.open(io.BytesIO(clean)) as im:
        im.load()
        sampling = JpegImagePlugin.get_sampling(im)
        icc = im.info.get("icc_profile")
        upright = im.transpose(method)
    buf = io.BytesIO()
    kwargs = {"quality": 95, "optimize": True}
    if sampling in (0, 1, 2):
        kwargs["subsampling"] = sampling
    if icc:
        kwargs["icc_profile"] = icc
    upright.save(buf, "JPEG", **kwargs)
    cleaned = Jpeg().clean(buf.getvalue())  # Pillow's output goes through the same segment filter
    return Cleaned(cleaned.data, ".jpg", [*removed, f"orientation {turn} (turned upright, re-encoded at quality 95)"],
                   "re-encoded")
