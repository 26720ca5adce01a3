"""Image metadata and bytes after a picture's end, read straight from the bytes (no Pillow, nothing shared with
the scrubbers): each format is walked to the end its own structure declares, and anything after it is a finding."""

from __future__ import annotations

import struct

PNG_TEXT = {b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"tIME"}


def kind_of(data: bytes) -> str | None:
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[4:8] == b"ftyp":
        return "heif"
    return None


def check(kind: str, data: bytes, rel: str) -> list[str]:
    try:
        return {"jpeg": _jpeg, "png": _png, "webp": _webp, "gif": _gif, "heif": _heif}[kind](data)
    except (struct.error, IndexError, ValueError):
        return [f"{kind} file is malformed and cannot be checked"]


def _jpeg(data: bytes) -> list[str]:
    """Walk the primary picture to its end: metadata segments anywhere in it (also between progressive scans),
    and any byte after the end-of-image marker that closes it (another picture, a trailer, slack)."""
    found, pos, n = [], 2, len(data)
    where = ""
    while True:
        if pos + 2 > n:
            return found + ["JPEG has no end-of-image marker: where the picture ends cannot be checked"]
        if data[pos] != 0xFF:
            return found + ["JPEG structure broken before the image data"]
        marker = data[pos + 1]
        if marker == 0xFF or marker == 0x01 or 0xD0 <= marker <= 0xD7:
            pos += 1 if marker == 0xFF else 2
            continue
        if marker == 0xD9:
            pos += 2
            break
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        body = data[pos + 4:pos + 2 + length]
        if marker == 0xE1:
            found.append(f"JPEG carries EXIF or XMP (APP1){where}")
        elif marker == 0xED:
            found.append(f"JPEG carries IPTC/Photoshop data (APP13){where}")
        elif marker == 0xFE:
            found.append(f"JPEG carries a comment{where}")
        elif marker == 0xE0 and (not body.startswith(b"JFIF\x00") or len(body) > 14):
            found.append(f"JPEG carries an APP0 segment with more than a plain JFIF header{where}")
        elif marker == 0xE2 and not body.startswith(b"ICC_PROFILE\x00"):
            found.append(f"JPEG carries an APP2 segment other than a colour profile{where}")
        elif 0xE3 <= marker <= 0xEF and not (marker == 0xEE and body.startswith(b"Adobe")):
            found.append(f"JPEG carries an APP{marker - 0xE0} segment{where}")
        pos += 2 + length
        if marker == 0xDA:
            pos = _scan_end(data, pos)
            where = " between its scans"
    if pos < n:
        found.append(f"JPEG has {n - pos:,} bytes after the end of its picture (another picture, a trailer or slack)")
    return found


def _scan_end(data: bytes, pos: int) -> int:
    """Where entropy-coded data starting at `pos` ends: the first 0xFF that is neither stuffing nor a restart."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            return len(data)
        follower = data[pos + 1]
        if follower == 0 or 0xD0 <= follower <= 0xD7:
            pos += 2
            continue
        return pos


def _png(data: bytes) -> list[str]:
    found, pos = [], 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind in PNG_TEXT:
            found.append(f"PNG carries a {kind.decode()} chunk")
        pos += 12 + length
        if kind == b"IEND":
            if pos < len(data):
                found.append(f"PNG has {len(data) - pos:,} bytes after its IEND chunk")
            break
    return found


def _webp(data: bytes) -> list[str]:
    found, pos = [], 12
    end = min(len(data), 8 + struct.unpack("<I", data[4:8])[0])
    while pos + 8 <= end:
        kind, length = struct.unpack("<4sI", data[pos:pos + 8])
        if kind in (b"EXIF", b"XMP "):
            found.append(f"WebP carries an {kind.decode().strip()} chunk")
        pos += 8 + length + (length & 1)
    if len(data) > end:
        found.append(f"WebP has {len(data) - end:,} bytes after the size its RIFF header declares")
    return found


def _gif(data: bytes) -> list[str]:
    """Walk the GIF's blocks: comment, plain-text and non-loop application extensions are findings."""
    found = []
    flags = data[10]
    pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)

    def skip_sub_blocks(p: int) -> int:
        while data[p]:
            p += 1 + data[p]
        return p + 1

    while pos < len(data):
        block = data[pos]
        if block == 0x3B:
            if pos + 1 < len(data):
                found.append(f"GIF has {len(data) - pos - 1:,} bytes after its trailer")
            break
        if block == 0x2C:
            local = data[pos + 9]
            pos += 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0)
            pos = skip_sub_blocks(pos + 1)
        elif block == 0x21:
            label = data[pos + 1]
            if label == 0xFE:
                found.append("GIF carries a comment extension")
            elif label == 0x01:
                found.append("GIF carries a plain-text extension")
            elif label == 0xFF and data[pos + 3:pos + 14] not in (b"NETSCAPE2.0", b"ANIMEXTS1.0"):
                found.append(f"GIF carries an application extension ({data[pos + 3:pos + 14].decode('latin-1')})")
            pos = skip_sub_blocks(pos + 2)
        else:
            found.append("GIF structure broken")
            break
    return found


def _heif(data: bytes) -> list[str]:
    return ["HEIF/ISO media file published as is (it carries EXIF and thumbnails)"]
