"""WebP: drop the EXIF and XMP chunks of the RIFF container and clear their flags; the image data is untouched.

The file ends where its RIFF header says: bytes after that size are dropped and
reported. When the EXIF chunk (or, without one, the XMP chunk) says the picture
is turned, it is decoded, turned and encoded again before the chunks go: a
lossless WebP stays lossless (the same pixels), a lossy one is encoded at
quality 95; an animation has every frame turned, each with its duration. The
report says which, and from which chunk.
"""

from __future__ import annotations

import io
import struct

from anonymize.scrub.images import orientation as orient
from anonymize.scrub.images.base import Cleaned, ImageError, Parser
from anonymize.scrub.images.trailer import describe

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
        found: dict[str, int] = {}
        kinds: set[bytes] = set()
        frame_kinds: set[bytes] = set()  # how each frame of an animation is coded (VP8 lossy, VP8L lossless)
        icc = b""
        while pos < end:
            if pos + 8 > end:
                raise ImageError("corrupt WebP: chunk header runs past the end")
            kind, length = struct.unpack("<4sI", data[pos:pos + 8])
            stop = pos + 8 + length + (length & 1)
            if pos + 8 + length > end:
                raise ImageError(f"truncated WebP: chunk {kind.decode('latin-1')} runs past the end")
            kinds.add(kind)
            if kind == b"ANMF":
                frame_kinds |= _sub_chunks(data[pos + 24:pos + 8 + length])
            chunk = bytearray(data[pos:min(stop, end)])
            if kind in KEEP:
                if kind == b"VP8X":
                    chunk[8] &= ~(EXIF_FLAG | XMP_FLAG) & 0xFF
                if kind == b"ICCP":
                    icc = bytes(chunk[8:8 + length])
                body += chunk
            else:
                removed.append(f"{kind.decode('latin-1').strip()} chunk")
                payload = data[pos + 8:pos + 8 + length]
                if kind == b"EXIF":
                    value = orient.from_tiff(payload)
                    if value is not None:
                        found.setdefault("EXIF chunk", value)
                elif kind == b"XMP ":
                    value = orient.from_xmp(payload)
                    if value is not None:
                        found.setdefault("XMP chunk (tiff:Orientation)", value)
            pos = stop
        if not kinds & {b"VP8 ", b"VP8L", b"ANMF"}:
            raise ImageError("corrupt WebP: no image data")
        if end < len(data):
            removed.append(describe(memoryview(data)[end:]))
        out = b"RIFF" + struct.pack("<I", len(body) + 4) + b"WEBP" + bytes(body)
        source = "EXIF chunk" if "EXIF chunk" in found else next(iter(found), "")
        turn = found.get(source, 1)
        if turn != 1:
            coded = frame_kinds if b"ANIM" in kinds else kinds
            return _upright(out, turn, source, removed, animated=b"ANIM" in kinds,
                            lossless=b"VP8L" in coded and b"VP8 " not in coded, icc=icc)
        return Cleaned(out, self.ext, removed, "lossless")


def _sub_chunks(payload: bytes) -> set[bytes]:
    """The kinds of the chunks inside an animation frame (after its 16-byte frame header)."""
    found, pos = set(), 0
    while pos + 8 <= len(payload):
        kind, length = struct.unpack("<4sI", payload[pos:pos + 8])
        found.add(kind)
        pos += 8 + length + (length & 1)
    return found


def _upright(clean: bytes, turn: int, source: str, removed: list[str], animated: bool, lossless: bool,
             icc: bytes) -> Cleaned:
    """Decode, turn and encode again: losslessly when the source was lossless, else at quality 95.

    An animation is read frame by frame as a viewer composes it (Pillow, through
    libwebp's decoder) and written again with each frame's duration and the loop
    count: every frame shows the same pixels, upright.
    """
    from PIL import Image, ImageSequence

    kwargs: dict = {"lossless": True, "exact": True} if lossless else {"quality": 95}
    if icc:
        kwargs["icc_profile"] = icc
    buf = io.BytesIO()
    with Image.open(io.BytesIO(clean)) as im:
        if animated:
            kwargs["loop"] = im.info.get("loop", 0)
            frames, durations = [], []
            for frame in ImageSequence.Iterator(im):
                frames.append(orient.turn(frame.convert("RGBA"), turn))
                durations.append(frame.info.get("duration", 0))
        else:
            im.load()
            frames, durations = [orient.turn(im, turn)], []
    for frame in frames:
        frame.info = {}
    if animated:
        frames[0].save(buf, "WEBP", save_all=True, append_images=frames[1:], duration=durations, **kwargs)
    else:
        frames[0].save(buf, "WEBP", **kwargs)
    again = WebP().clean(buf.getvalue())  # Pillow's output goes through the same chunk filter
    what = "every frame turned upright" if animated else "turned upright"
    how = (f"{what}: same pixels, encoded losslessly again" if lossless
           else f"{what}, re-encoded at quality 95")
    return Cleaned(again.data, ".webp", [*removed, f"orientation {turn} from the {source} ({how})"],
                   "lossless" if lossless else "re-encoded")
