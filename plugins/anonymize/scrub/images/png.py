"""PNG: keep the chunks that draw the picture, drop text, EXIF and time chunks, byte for byte.

An allowlist: critical chunks, the colour and transparency chunks that
change how the picture looks, and APNG animation. tEXt/iTXt/zTXt (author,
software, comments), eXIf, tIME and every unknown ancillary chunk go, and so
does everything after IEND. Every chunk's CRC is checked, so a corrupt or
truncated file is refused.

A PNG can say it is turned in three places a viewer reads (Pillow, in this
order): an eXIf chunk, ImageMagick's "Raw profile type exif" text chunk, and
XMP `tiff:Orientation` in an iTXt chunk. The picture is then turned for real
(decoded, turned and compressed again: the pixels are the same, only the
compression differs) before those chunks go, and the report says which one
was used. A picture of 16 bits a colour channel, which Pillow holds as 8,
is turned sample by sample (png_deep.py); an animation (APNG) frame by
frame, as a viewer composes each (8 bits a channel; a 16-bit animation with
an orientation is refused, saying what to do).
"""

from __future__ import annotations

import io
import struct
import zlib

from anonymize.scrub.images import orientation as orient
from anonymize.scrub.images.base import Cleaned, ImageError, Parser
from anonymize.scrub.images.trailer import describe

SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"bKGD",
        b"pHYs", b"hIST", b"acTL", b"fcTL", b"fdAT", b"cICP", b"mDCv", b"cLLi"}
# Colour chunks that must come before PLTE and IDAT, carried over when a turned picture is compressed again.
COLOUR = (b"cICP", b"mDCv", b"cLLi", b"iCCP", b"sRGB", b"gAMA", b"cHRM", b"sBIT")
MAX_PIXELS = 100_000_000
RAW_PROFILES = {b"Raw profile type exif", b"Raw profile type APP1"}
XMP_KEYWORD = b"XML:com.adobe.xmp"


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def chunks(data: bytes):
    """Yield (kind, start, end) for each chunk up to and including IEND; bytes after IEND are not walked."""
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


def _text(kind: bytes, body: bytes) -> tuple[bytes, bytes | None]:
    """(keyword, text) of a tEXt, zTXt or iTXt chunk; text None when it cannot be read."""
    keyword, _, rest = body.partition(b"\x00")
    if kind == b"tEXt":
        return keyword, rest
    if kind == b"zTXt":
        return keyword, orient.inflate(rest[1:])
    flag, rest = rest[:1], rest[2:]  # iTXt: compression flag, method, language\0, translated keyword\0, text
    parts = rest.split(b"\x00", 2)
    if len(parts) < 3:
        return keyword, None
    return keyword, orient.inflate(parts[2]) if flag == b"\x01" else parts[2]


def _orientation(kind: bytes, body: bytes, found: dict[str, int]) -> None:
    """Note the orientation a dropped chunk carries, under the name of its source."""
    if kind == b"eXIf":
        value = orient.from_tiff(body)
        if value is not None:
            found.setdefault("eXIf chunk", value)
    elif kind in (b"tEXt", b"zTXt", b"iTXt"):
        keyword = body.split(b"\x00", 1)[0]
        if keyword in RAW_PROFILES:
            text = _text(kind, body)[1]
            value = orient.from_raw_profile(text) if text else None
            if value is not None:
                found.setdefault(f'"{keyword.decode()}" text chunk', value)
        elif keyword == XMP_KEYWORD:
            text = _text(kind, body)[1]
            value = orient.from_xmp(text) if text else None
            if value is not None:
                found.setdefault("XMP tiff:Orientation", value)


class Png(Parser):
    name = "PNG"
    ext = ".png"

    def clean(self, data: bytes) -> Cleaned:
        out = bytearray(SIGNATURE)
        removed = []
        found: dict[str, int] = {}
        ihdr = b""
        animated = False
        end = len(SIGNATURE)
        for kind, start, end in chunks(data):
            if kind == b"IHDR":
                ihdr = data[start + 8:end - 4]
                width, height = struct.unpack(">II", ihdr[:8])
                if width * height > MAX_PIXELS or not width or not height:
                    raise ImageError(f"refused: {width}×{height} pixels (a decompression bomb guard)")
            animated = animated or kind == b"acTL"
            if kind in KEEP:
                out += data[start:end]
            else:
                removed.append(f"{kind.decode('latin-1')} chunk")
                _orientation(kind, data[start + 8:end - 4], found)
        if end < len(data):
            removed.append(describe(memoryview(data)[end:]))
        source, turn = _first(found)
        if turn != 1:
            return _upright(bytes(out), turn, source, removed, ihdr, animated)
        return Cleaned(bytes(out), self.ext, removed, "lossless")


def _first(found: dict[str, int]) -> tuple[str, int]:
    """The source a viewer reads first (eXIf, then a raw profile, then XMP) and its orientation."""
    for name, value in sorted(found.items(), key=lambda kv: (not kv[0].startswith("eXIf"), "XMP" in kv[0])):
        return name, value
    return "", 1


def _upright(clean: bytes, turn: int, source: str, removed: list[str], ihdr: bytes, animated: bool) -> Cleaned:
    """Decode, turn and compress again: the same pixels, upright; colour chunks carried over, pHYs turned too."""
    depth, colour_type = ihdr[8], ihdr[9]
    if animated and depth == 16:
        raise ImageError(f"an animated PNG of 16 bits a channel with orientation {turn} ({source}) cannot be turned "
                         "without losing precision: export it upright (or turned, at 8 bits a channel) and try again")
    if depth == 16 and colour_type in (2, 4, 6):  # Pillow holds these as 8 bits: turned sample by sample
        from anonymize.scrub.images import png_deep

        how = f"orientation {turn} from the {source} (turned upright: same 16-bit pixels, compressed again)"
        return Cleaned(png_deep.turn(clean, turn, chunks), ".png", [*removed, how], "lossless")
    if animated:  # a palette's frames become RGBA: its bKGD (an index) and sBIT (three values) no longer fit
        fresh, palette = _turned_animation(clean, turn), colour_type == 3
    else:
        fresh, palette = _turned_still(clean, turn)
    moved = (*COLOUR, b"pHYs", b"bKGD")
    carried = {kind: clean[start + 8:end - 4] for kind, start, end in chunks(clean) if kind in moved}
    out = bytearray(SIGNATURE)
    before_idat = b""
    if b"pHYs" in carried:
        body = carried[b"pHYs"]
        if orient.swaps_sides(turn):
            body = body[4:8] + body[:4] + body[8:]
        before_idat += chunk(b"pHYs", body)
    if b"bKGD" in carried and not palette:  # a palette index might not survive the new palette
        before_idat += chunk(b"bKGD", carried[b"bKGD"])
    for kind, start, end in chunks(fresh):
        if kind not in KEEP or kind in moved:
            continue
        if kind == b"IDAT" and before_idat:
            out += before_idat
            before_idat = b""
        out += fresh[start:end]
        if kind == b"IHDR":
            out += b"".join(chunk(k, carried[k]) for k in COLOUR if k in carried
                            and not (k == b"sBIT" and animated and palette))
    what = "every frame turned upright" if animated else "turned upright"
    how = f"orientation {turn} from the {source} ({what}: same pixels, compressed again)"
    return Cleaned(bytes(out), ".png", [*removed, how], "lossless")


def _turned_still(clean: bytes, turn: int) -> tuple[bytes, bool]:
    """Pillow's PNG of the picture turned (and whether it has a palette)."""
    from PIL import Image

    with Image.open(io.BytesIO(clean)) as im:
        im.load()
        transparency = im.info.get("transparency")
        palette = im.mode == "P"
        turned = orient.turn(im, turn)
    turned.info = {}
    buf = io.BytesIO()
    turned.save(buf, "PNG", **({"transparency": transparency} if transparency is not None else {}))
    return buf.getvalue(), palette


def _turned_animation(clean: bytes, turn: int) -> bytes:
    """Pillow's APNG of every frame turned: each frame as a viewer composes it, with its duration and the loops.

    Frames are read whole (Pillow applies each frame's disposal and blending),
    so the turned animation shows the same pixels at the same times; a
    palette becomes RGBA, which holds every colour exactly.
    """
    from PIL import Image, ImageSequence
    from PIL.PngImagePlugin import Blend, Disposal

    frames, durations = [], []
    with Image.open(io.BytesIO(clean)) as im:
        loop = im.info.get("loop", 0)
        default_image = bool(im.info.get("default_image"))
        for frame in ImageSequence.Iterator(im):
            whole = frame.copy() if frame.mode in ("RGB", "RGBA", "L", "LA") else frame.convert("RGBA")
            frames.append(orient.turn(whole, turn))
            durations.append(frame.info.get("duration", 0))
    for frame in frames:
        frame.info = {}
    buf = io.BytesIO()
    frames[0].save(buf, "PNG", save_all=True, append_images=frames[1:], duration=durations, loop=loop,
                   default_image=default_image, disposal=Disposal.OP_NONE, blend=Blend.OP_SOURCE)
    return buf.getvalue()
