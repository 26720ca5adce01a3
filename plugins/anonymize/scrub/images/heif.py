"""HEIC/HEIF from phones: decoded, turned upright, and published as JPEG without metadata.

Nothing of the file is copied, only its pixels (and colour profile): EXIF, XMP,
thumbnails, depth maps and any bytes after the last box the file declares are
all left behind, and the report says so.

Orientation, as a viewer applies it: the HEIF transformative properties of
the primary item (`irot` rotation, `imir` mirror), which the decoder applies;
when the file has neither, the EXIF (or XMP) orientation, applied here. The
boxes are read from the bytes, not from the decoder, and the report says which
source was used.
"""

from __future__ import annotations

import io
import struct

from anonymize.scrub.images import orientation as orient
from anonymize.scrub.images.base import Cleaned, ImageError, Parser
from anonymize.scrub.images.trailer import describe

TRANSFORMS = {b"irot", b"imir"}


def boxes(data: bytes, start: int, end: int):
    """Yield (type, body start, box end) for each whole ISO-BMFF box in data[start:end], up to the first broken one."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        head = 8
        if size == 1:
            if pos + 16 > end:
                return
            size, head = struct.unpack(">Q", data[pos + 8:pos + 16])[0], 16
        elif size == 0:
            size = end - pos
        if size < head or pos + size > end or not all(32 <= c < 127 for c in kind):
            return
        yield kind, pos + head, pos + size
        pos += size


def declared_end(data: bytes) -> int:
    """Where the last whole top-level box ends."""
    end = 0
    for _kind, _body, stop in boxes(data, 0, len(data)):
        end = stop
    return end


def transforms(data: bytes) -> set[str]:
    """The transformative properties (irot, imir) associated with the primary item."""
    meta = next(((b, e) for k, b, e in boxes(data, 0, len(data)) if k == b"meta"), None)
    if meta is None:
        return set()
    inner = {k: (b, e) for k, b, e in boxes(data, meta[0] + 4, meta[1])}  # meta is a full box
    if b"pitm" not in inner or b"iprp" not in inner:
        return set()
    b, _e = inner[b"pitm"]
    primary = struct.unpack(">H", data[b + 4:b + 6])[0] if data[b] == 0 else struct.unpack(">I", data[b + 4:b + 8])[0]
    iprp = {k: (b, e) for k, b, e in boxes(data, *inner[b"iprp"])}
    if b"ipco" not in iprp or b"ipma" not in iprp:
        return set()
    properties = [k for k, _b, _e in boxes(data, *iprp[b"ipco"])]
    b, e = iprp[b"ipma"]
    version, flags = data[b], int.from_bytes(data[b + 1:b + 4], "big")
    count = struct.unpack(">I", data[b + 4:b + 8])[0]
    pos, found = b + 8, set()
    for _ in range(count):
        if version < 1:
            item = struct.unpack(">H", data[pos:pos + 2])[0]
            pos += 2
        else:
            item = struct.unpack(">I", data[pos:pos + 4])[0]
            pos += 4
        n = data[pos]
        pos += 1
        for _ in range(n):
            if flags & 1:
                index = struct.unpack(">H", data[pos:pos + 2])[0] & 0x7FFF
                pos += 2
            else:
                index = data[pos] & 0x7F
                pos += 1
            if item == primary and 0 < index <= len(properties) and properties[index - 1] in TRANSFORMS:
                found.add(properties[index - 1].decode())
        if pos > e:
            break
    return found


class Heif(Parser):
    name = "HEIF"
    ext = ".jpg"

    def clean(self, data: bytes) -> Cleaned:
        try:
            import pillow_heif
            from PIL import Image
        except ImportError as exc:  # pragma: no cover - pillow-heif is in the lock
            raise ImageError(f"HEIF support is missing ({exc})") from None
        try:
            boxed = transforms(data)
        except (struct.error, IndexError):
            raise ImageError("corrupt HEIF: its item properties cannot be read") from None
        pillow_heif.register_heif_opener()
        try:
            with Image.open(io.BytesIO(data)) as im:
                im.load()
                icc = im.info.get("icc_profile")
                # pillow-heif resets the EXIF/XMP orientation to 1 and keeps the original here.
                tagged = im.info.get("original_orientation") or 1
                from_exif = orient.from_tiff(im.info.get("exif") or b"") is not None
                picture = im.convert("RGB")
        except Exception as exc:  # noqa: BLE001 - a broken HEIF is refused, whatever broke
            raise ImageError(f"cannot decode HEIF ({exc})") from None
        removed = ["all HEIF metadata (EXIF, XMP, thumbnails)"]
        end = declared_end(data)
        if end < len(data):
            removed.append(describe(memoryview(data)[end:]))
        if boxed:
            removed.append(f"orientation from HEIF {' and '.join(sorted(boxed))} (applied by the decoder"
                           + (f"; EXIF orientation {tagged} ignored, as the HEIF standard says)" if tagged != 1
                              else ")"))
        elif tagged != 1:
            picture = orient.turn(picture, tagged)
            removed.append(f"orientation {tagged} from {'EXIF' if from_exif else 'XMP tiff:Orientation'} "
                           "(no HEIF rotation box; turned upright)")
        buf = io.BytesIO()
        kwargs = {"quality": 92, "optimize": True}
        if icc:
            kwargs["icc_profile"] = icc
        picture.save(buf, "JPEG", **kwargs)
        from anonymize.scrub.images.jpeg import Jpeg

        cleaned = Jpeg().clean(buf.getvalue())
        return Cleaned(cleaned.data, ".jpg", [*removed, "converted to JPEG"], "converted")
