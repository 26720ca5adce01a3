"""WebP: drop the EXIF and XMP chunks of the RIFF container and clear their flags; the image data is untouched."""

from __future__ import annotations

import struct

from anonymize.scrub.images.base import Cleaned, ImageError, Parser

KEEP = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"}
EXIF_FLAG, XMP_FLAG = 0x08, 0x04


class WebP(Parser):
    name = "WebP"
    ext = ".webp"

    def clean(self, data: bytes) -> Cleaned:
        if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
            raise ImageError("not a WebP (bad RIFF header)")
        size = struct.unpack("<I", data[4:8])[0]
        if size + 8 > len(data):
            raise ImageError("truncated WebP: the file is shorter than its header says")
        pos, end = 12, size + 8
        body = bytearray()
        removed = []
        has_image = False
        while pos < end:
            if pos + 8 > end:
                raise ImageError("corrupt WebP: chunk header runs past the end")
            kind, length = struct.unpack("<4sI", data[pos:pos + 8])
            stop = pos + 8 + length + (length & 1)
            if pos + 8 + length > end:
                raise ImageError(f"truncated WebP: chunk {kind.decode('latin-1')} runs past the end")
            chunk = bytearray(data[pos:stop])
            if kind in KEEP:
                if kind == b"VP8X":
                    chunk[8] &= ~(EXIF_FLAG | XMP_FLAG) & 0xFF
                if kind in (b"VP8 ", b"VP8L", b"ANMF"):
                    has_image = True
                body += chunk
            else:
                removed.append(f"{kind.decode('latin-1').strip()} chunk")
            pos = stop
        if not has_image:
            raise ImageError("corrupt WebP: no image data")
        out = b"RIFF" + struct.pack("<I", len(body) + 4) + b"WEBP" + bytes(body)
        return Cleaned(out, self.ext, removed, "lossless")
