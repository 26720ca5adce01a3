"""GIF: drop comment, plain-text and application extensions (except the animation loop), byte for byte.

The file ends at its trailer byte (0x3B): whatever follows is dropped and reported.
"""

from __future__ import annotations

from anonymize.scrub.images.base import Cleaned, ImageError, Parser
from anonymize.scrub.images.trailer import describe

LOOP_APPS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")


def _sub_blocks(data: bytes, pos: int) -> int:
    """Return the position after a chain of data sub-blocks starting at `pos`."""
    while True:
        if pos >= len(data):
            raise ImageError("truncated GIF: data block runs past the end")
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos


class Gif(Parser):
    name = "GIF"
    ext = ".gif"

    def clean(self, data: bytes) -> Cleaned:
        if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 13:
            raise ImageError("not a GIF (bad header)")
        flags = data[10]
        pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
        out = bytearray(data[:pos])
        removed = []
        frames = 0
        while True:
            if pos >= len(data):
                raise ImageError("truncated GIF: no trailer")
            block = data[pos]
            if block == 0x3B:
                out.append(0x3B)
                if pos + 1 < len(data):
                    removed.append(describe(memoryview(data)[pos + 1:]))
                break
            if block == 0x2C:
                if pos + 10 > len(data):
                    raise ImageError("truncated GIF: image descriptor runs past the end")
                local = data[pos + 9]
                start = pos
                pos += 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0)
                pos = _sub_blocks(data, pos + 1)  # skip LZW minimum code size, then the data
                out += data[start:pos]
                frames += 1
            elif block == 0x21:
                if pos + 2 > len(data):
                    raise ImageError("truncated GIF: extension runs past the end")
                label = data[pos + 1]
                start = pos
                pos = _sub_blocks(data, pos + 2)
                if label == 0xF9:
                    out += data[start:pos]
                elif label == 0xFF and data[start + 3:start + 14] in LOOP_APPS:
                    out += data[start:pos]
                else:
                    kind = {0xFE: "comment", 0x01: "plain text", 0xFF: "application"}.get(label, f"0x{label:02X}")
                    extra = f" {data[start + 3:start + 14].decode('latin-1', 'replace')}" if label == 0xFF else ""
                    removed.append(f"{kind} extension{extra}")
            else:
                raise ImageError(f"corrupt GIF: unknown block 0x{block:02X} at byte {pos}")
        if not frames:
            raise ImageError("corrupt GIF: no image")
        return Cleaned(bytes(out), self.ext, removed, "lossless")
