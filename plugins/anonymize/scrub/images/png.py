"""PNG: keep the chunks that draw the picture, drop text, EXIF and time chunks, byte for byte.

An allowlist: critical chunks, the colour and transparency chunks that
change how the picture looks, and APNG animation. tEXt/iTXt/zTXt (author,
software, comments), eXIf, tIME and every unknown ancillary chunk go.
Every chunk's CRC is checked, so a corrupt or truncated file is refused.
"""

from __future__ import annotations

import struct
import zlib

from anonymize.scrub.images.base import Cleaned, ImageError, Parser

SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"bKGD",
        b"pHYs", b"hIST", b"acTL", b"fcTL", b"fdAT", b"cICP", b"mDCv", b"cLLi"}
MAX_PIXELS = 100_000_000


def chunks(data: bytes):
    if not data.startswith(SIGNATURE):
        raise ImageError("not a PNG (bad signature)")
    pos = len(SIGNATURE)
    while True:
        if pos + 8 > len(data):
            raise ImageError("truncated PNG: no IEND chunk")
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        end = pos + 12 + length
        if end > len(data):
            raise ImageError(f"truncated PNG: chunk {kind.decode('latin-1')} runs past the end of the file")
        crc = struct.unpack(">I", data[end - 4:end])[0]
        if zlib.crc32(data[pos + 4:end - 4]) != crc:
            raise ImageError(f"corrupt PNG: bad CRC in chunk {kind.decode('latin-1')}")
        yield kind, pos, end
        pos = end
        if kind == b"IEND":
            return


class Png(Parser):
    name = "PNG"
    ext = ".png"

    def clean(self, data: bytes) -> Cleaned:
        out = bytearray(SIGNATURE)
        removed = []
        for kind, start, end in chunks(data):
            if kind == b"IHDR":
                width, height = struct.unpack(">II", data[start + 8:start + 16])
                if width * height > MAX_PIXELS or not width or not height:
                    raise ImageError(f"refused: {width}×{height} pixels (a decompression bomb guard)")
            if kind in KEEP:
                out += data[start:end]
            else:
                removed.append(f"{kind.decode('latin-1')} chunk")
        return Cleaned(bytes(out), self.ext, removed, "lossless")
