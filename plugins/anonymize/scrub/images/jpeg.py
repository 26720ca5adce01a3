"""JPEG: keep exactly the primary picture, drop metadata segments by copying the rest byte for byte (no re-encoding).

The picture is walked, not searched: its header segments, then each
entropy-coded scan up to the first marker that is not a stuffed byte or a
restart (a progressive file has several scans with tables between them), until
the end-of-image marker that closes *this* picture. Everything after that
marker is dropped and reported (`trailer.py`): the other pictures of a
multi-picture (MPF/MPO) file with their own EXIF, AFCP trailers, motion-photo
videos, camera slack. A file named `.mpo` is therefore published as its first
picture, as a `.jpg`.

Kept: the frame, tables and scans (SOFn, DHT, DQT, DRI, DNL, SOS and the
entropy-coded data), a canonical JFIF header (without its thumbnail), the ICC
colour profile (APP2 ICC_PROFILE: without it a wide-gamut phone photo would
change colour) and Adobe APP14 (needed to decode CMYK/YCCK correctly).
Everything else goes, wherever it sits (also between the scans of a
progressive picture): EXIF (APP1, with GPS, serials, owner, times and the
thumbnail), XMP, IPTC/Photoshop (APP13), comments (COM), maker segments
(APP3-APP15), FlashPix and MPF (other APP2).

When the picture says it is turned (EXIF orientation, else XMP
`tiff:Orientation`, as Pillow reads it) it is turned so it stays upright without
the tag: in the DCT domain, losslessly, when the picture's sides are whole MCUs
(`jpeg_rotate.py`), otherwise by a decode and a quality-95 re-encode. The
result says which, and from which tag.
"""

from __future__ import annotations

import io
import re
import struct
import sys

from anonymize.scrub.images import orientation as orient
from anonymize.scrub.images.base import Cleaned, ImageError, Parser
from anonymize.scrub.images.trailer import describe

SOI, EOI, SOS = 0xD8, 0xD9, 0xDA
SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
KEEP = {0xC4, 0xCC, 0xDB, 0xDC, 0xDD} | SOF  # DHT, DAC, DQT, DNL, DRI, SOFn
JFIF = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
MAX_PIXELS = 100_000_000
# In entropy-coded data a 0xFF byte is always followed by 0x00 (stuffing) or a restart marker 0xD0-0xD7;
# anything else is a marker, and so the end of the scan.
_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7]")
_SMALL_SCAN = 1 << 16
_WINDOW = 1 << 20


def scan_end(data: bytes, pos: int, vectorised: bool | None = None) -> int:
    """Where the entropy-coded data starting at `pos` ends (the next marker), or -1 when it runs off the end.

    Every byte of the scan must be looked at. In a photo a 0xFF comes about once a kilobyte, so `bytes.find`
    (memchr) hops from one to the next and Python looks only at those (about 1.6 ms on a 12-megapixel photo's
    5 MB scan, against 2 ms for a regular expression over every byte, which also holds the lock threads share).
    Where they come more often than once in 512 bytes (quality near 100, or a crafted file) the rest goes to
    one regular expression in C. When numpy is already loaded (a rotation loads it) a large scan is searched
    with it a megabyte at a time instead (about 1.5 ms whatever the density); it is not imported for this
    alone, as importing it costs a build 0.2-0.4 s.
    """
    if vectorised is None:
        vectorised = len(data) - pos >= _SMALL_SCAN and "numpy" in sys.modules
    if not vectorised:
        return _hop(data, pos)
    import numpy as np

    whole = np.frombuffer(data, np.uint8)
    while pos < len(whole) - 1:
        window = whole[pos:pos + _WINDOW + 1]  # one byte more: the follower of a 0xFF at the window's edge
        ff = np.flatnonzero(window[:-1] == 0xFF)
        follower = window[ff + 1]
        markers = ff[(follower != 0) & ((follower < 0xD0) | (follower > 0xD7))]
        if len(markers):
            return pos + int(markers[0])
        pos += _WINDOW
    return -1


def _hop(data: bytes, pos: int) -> int:
    """scan_end by hopping from one 0xFF to the next; a dense run is handed to the regular expression."""
    find, n, start, seen = data.find, len(data), pos, 0
    while True:
        pos = find(b"\xff", pos)
        if pos < 0 or pos + 1 >= n:
            return -1
        follower = data[pos + 1]
        if follower and not 0xD0 <= follower <= 0xD7:
            return pos
        pos += 2
        seen += 1
        if not seen & 255 and pos - start < seen << 9:  # more than one 0xFF in 512 bytes so far
            m = _SCAN_END.search(data, pos)
            return m.start() if m else -1


def segments(data: bytes):
    """Walk the primary picture.

    Yields (marker, start, end) for each marker segment, ('scan', start, end) for each run of
    entropy-coded data, and last ('end', start, end) for the end-of-image marker that closes the
    picture: bytes after that `end` are not part of it.
    """
    if data[:2] != b"\xff\xd8":
        raise ImageError("not a JPEG (no start-of-image marker)")
    pos, n = 2, len(data)
    scanned = False
    while True:
        if pos >= n:
            raise ImageError("truncated JPEG: no end-of-image marker" if scanned else "truncated JPEG: no image data")
        if data[pos] != 0xFF:
            raise ImageError(f"corrupt JPEG: expected a marker at byte {pos}")
        while pos < n and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= n:
            continue
        marker = data[pos]
        pos += 1
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            continue
        if marker == EOI:
            if not scanned:
                raise ImageError("corrupt JPEG: image ends before any scan")
            yield "end", pos - 2, pos
            return
        if marker == SOI:
            raise ImageError(f"corrupt JPEG: a second start-of-image marker at byte {pos - 2} inside the picture")
        if pos + 2 > n:
            raise ImageError("truncated JPEG: segment length missing")
        length = struct.unpack(">H", data[pos:pos + 2])[0]
        if length < 2 or pos + length > n:
            raise ImageError(f"truncated JPEG: segment 0x{marker:02X} runs past the end of the file")
        yield marker, pos - 2, pos + length
        pos += length
        if marker == SOS:
            scanned = True
            stop = scan_end(data, pos)
            if stop < 0:
                raise ImageError("truncated JPEG: no end-of-image marker after the scan")
            yield "scan", pos, stop
            pos = stop


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
        return "MPF (multi-picture index)"
    if marker == 0xE2 and body.startswith(b"FPXR"):
        return "FlashPix"
    if marker == 0xE0:
        return "APP0 (non-JFIF)"
    if 0xE0 <= marker <= 0xEF:
        return f"APP{marker - 0xE0}"
    return f"segment 0x{marker:02X}"


def orientation(exif_body: bytes) -> int:
    """The orientation tag (0x0112) of an EXIF APP1 body; 1 when absent."""
    return orient.from_tiff(exif_body) or 1


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
        out: list = [b"\xff\xd8"]  # pieces, not joined: the scans are hashed and written from `data` itself
        removed: list[str] = []
        exif_turn: int | None = None
        xmp_turn: int | None = None
        seen_jfif = False
        seen_frame = False
        scans = 0
        end = len(data)
        for marker, start, stop in segments(data):
            if marker == "scan":
                out.append(view[start:stop])
                continue
            if marker == "end":
                out.append(b"\xff\xd9")
                end = stop
                continue
            body = data[start + 4:stop]
            if marker in SOF:
                seen_frame = True
                height, width = struct.unpack(">HH", data[start + 5:start + 9])
                if width * height > MAX_PIXELS or width == 0 or height == 0:
                    raise ImageError(f"refused: {width}×{height} pixels (a decompression bomb guard)")
            if marker == SOS:
                scans += 1
            label = _label(marker, body)
            if label == "EXIF" and exif_turn is None:
                exif_turn = orient.from_tiff(body)
            elif label == "XMP" and xmp_turn is None:
                xmp_turn = orient.from_xmp(body)
            if marker == 0xE0 and label is None:
                if seen_jfif or scans:
                    removed.append("repeated JFIF header")
                    continue
                out.append(JFIF)  # canonical: no thumbnail, no density quirks
                seen_jfif = True
                if body != JFIF[4:]:
                    removed.append("JFIF thumbnail or extension")
                continue
            if label:
                removed.append(f"{label} (between scans)" if scans else label)
                continue
            out.append(view[start:stop])
        if not seen_frame:
            raise ImageError("corrupt JPEG: no frame header")
        if end < len(data):
            removed.append(describe(view[end:]))
            if "MPF (multi-picture index)" in removed:
                removed.append("multi-picture file: only its first picture is published")
        turn, source = (exif_turn, "EXIF") if exif_turn is not None else (xmp_turn, "XMP tiff:Orientation")
        if turn and turn != 1:
            return _upright(b"".join(out), turn, source, removed)
        return Cleaned(out, self.ext, removed, "lossless")


def _upright(clean: bytes, turn: int, source: str, removed: list[str]) -> Cleaned:
    """Bake an orientation into the picture: losslessly where the sides allow, else re-encoded; say which."""
    from .jpeg_rotate import upright

    turned = upright(clean, turn)
    if turned is not None:
        data = _with_colour_segments(Jpeg().clean(turned).data, clean)
        return Cleaned(data, ".jpg", [*removed, f"orientation {turn} from {source} (turned upright losslessly)"],
                       "lossless")
    return _reencoded(clean, turn, source, removed)


def _with_colour_segments(turned: bytes, original: bytes) -> bytes:
    """Carry the ICC profile and Adobe segment of the original into the turned picture (after JFIF)."""
    keep = [original[start:end] for marker, start, end in segments(original)
            if marker in (0xE2, 0xEE) and _label(marker, original[start + 4:end]) is None]
    if not keep:
        return turned
    at = 2 + len(JFIF) if turned[2:2 + len(JFIF)] == JFIF else 2
    return turned[:at] + b"".join(keep) + turned[at:]


def _reencoded(clean: bytes, turn: int, source: str, removed: list[str]) -> Cleaned:
    """Decode, turn and re-encode at quality 95 (the sides are not whole MCUs)."""
    from PIL import Image, JpegImagePlugin

    with Image.open(io.BytesIO(clean)) as im:
        im.load()
        sampling = JpegImagePlugin.get_sampling(im)
        icc = im.info.get("icc_profile")
        upright = orient.turn(im, turn)
    buf = io.BytesIO()
    kwargs = {"quality": 95, "optimize": True}
    if sampling in (0, 1, 2):
        kwargs["subsampling"] = sampling
    if icc:
        kwargs["icc_profile"] = icc
    upright.save(buf, "JPEG", **kwargs)
    cleaned = Jpeg().clean(buf.getvalue())  # Pillow's output goes through the same segment filter
    return Cleaned(cleaned.data, ".jpg",
                   [*removed, f"orientation {turn} from {source} (turned upright, re-encoded at quality 95)"],
                   "re-encoded")
