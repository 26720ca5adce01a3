"""Image metadata, read straight from the bytes (no Pillow, nothing shared with the scrubbers)."""

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
    found, pos = [], 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return found + ["JPEG structure broken before the image data"]
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        body = data[pos + 4:pos + 2 + length]
        if marker == 0xDA:
            break
        if marker == 0xE1:
            found.append("JPEG carries EXIF or XMP (APP1)")
        elif marker == 0xED:
            found.append("JPEG carries IPTC/Photoshop data (APP13)")
        elif marker == 0xFE:
            found.append("JPEG carries a comment")
        elif marker == 0xE0 and (not body.startswith(b"JFIF\x00") or len(body) > 14):
            found.append("JPEG carries an APP0 segment with more than a plain JFIF header")
        elif marker == 0xE2 and not body.startswith(b"ICC_PROFILE\x00"):
            found.append("JPEG carries an APP2 segment other than a colour profile")
        elif 0xE3 <= marker <= 0xEF and not (marker == 0xEE and body.startswith(b"Adobe")):
            found.append(f"JPEG carries an APP{marker - 0xE0} segment")
        pos += 2 + length
    return found


def _png(data: bytes) -> list[str]:
    found, pos = [], 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind in PNG_TEXT:
            found.append(f"PNG carries a {kind.decode()} chunk")
        if kind == b"IEND":
            break
        pos += 12 + length
    return found


def _webp(data: bytes) -> list[str]:
    found, pos = [], 12
    while pos + 8 <= len(data):
        kind, length = struct.unpack("<4sI", data[pos:pos + 8])
        if kind in (b"EXIF", b"XMP "):
            found.append(f"WebP carries an {kind.decode().strip()} chunk")
        pos += 8 + length + (length & 1)
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
