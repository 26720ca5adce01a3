"""Generate test photographs that carry the metadata a phone would add.

Nothing is downloaded: every image is drawn here, so tests and the sample
site can show metadata being removed without shipping anyone's real photo.
Run as a script to (re)create the sample site's photo:

    .venv/bin/python tests/imagegen.py content/images/corridor.jpg
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image, ImageDraw

# Values a phone would write; tests assert none of them reaches the site.
CAMERA_OWNER = "Hannelore Q. personal phone"
CAMERA_SERIAL = "SN-4471-HQB-0099"
CAMERA_MAKE = "Examplephone"
CAMERA_MODEL = "Examplephone 12 Pro"
TAKEN_AT = "2026:05:17 06:41:09"
GPS = (51.0, 30.0, 26.28)  # degrees, minutes, seconds
GPS_LON = (0.0, 7.0, 39.6)


def corridor(width: int = 960, height: int = 640) -> Image.Image:
    """A simple drawing of a corridor in perspective: floor, walls, lights, doors."""
    img = Image.new("RGB", (width, height), (214, 220, 224))
    d = ImageDraw.Draw(img)
    cx, cy = width // 2, int(height * 0.45)
    vw, vh = width // 10, height // 10
    # floor and ceiling
    d.polygon([(0, height), (width, height), (cx + vw, cy + vh), (cx - vw, cy + vh)], fill=(150, 158, 150))
    d.polygon([(0, 0), (width, 0), (cx + vw, cy - vh), (cx - vw, cy - vh)], fill=(236, 238, 240))
    # walls
    d.polygon([(0, 0), (cx - vw, cy - vh), (cx - vw, cy + vh), (0, height)], fill=(196, 206, 214))
    d.polygon([(width, 0), (cx + vw, cy - vh), (cx + vw, cy + vh), (width, height)], fill=(188, 200, 208))
    # far wall with a window of early light
    d.rectangle([cx - vw, cy - vh, cx + vw, cy + vh], fill=(250, 236, 200))
    # ceiling lights and doors receding
    for i in range(1, 7):
        t = i / 7
        lx0 = int(cx - (cx - vw) * (1 - t) - 30 * (1 - t))
        ly = int((cy - vh) * t)
        d.rectangle([lx0, ly, int(width - lx0), ly + max(2, int(10 * (1 - t)))], fill=(255, 255, 240))
        dx = int((cx - vw) * t)
        dy0 = int((cy - vh) * t + height * 0.15 * (1 - t))
        dy1 = int(height - (height - cy - vh) * t)
        d.line([(dx, dy0), (dx, dy1)], fill=(120, 130, 140), width=max(1, int(6 * (1 - t))))
        d.line([(width - dx, dy0), (width - dx, dy1)], fill=(120, 130, 140), width=max(1, int(6 * (1 - t))))
    return img


def phone_exif(orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: owner, serial, make/model, time, GPS position."""
    exif = Image.Exif()
    exif[0x010F] = CAMERA_MAKE
    exif[0x0110] = CAMERA_MODEL
    exif[0x0112] = orientation
    exif[0x013B] = CAMERA_OWNER  # Artist
    exif[0x0132] = TAKEN_AT  # DateTime
    exif[0x0131] = "Examplephone Camera 4.2"  # Software
    ifd = exif.get_ifd(0x8769)
    ifd[0x9003] = TAKEN_AT  # DateTimeOriginal
    ifd[0xA431] = CAMERA_SERIAL  # BodySerialNumber
    ifd[0xA430] = CAMERA_OWNER  # CameraOwnerName
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = GPS
    gps[3] = "W"
    gps[4] = GPS_LON
    return exif


def jpeg_with_metadata(img: Image.Image | None = None, orientation: int = 1, quality: int = 88) -> bytes:
    """A JPEG carrying EXIF (with GPS), a comment, and an XMP packet."""
    img = img or corridor()
    buf = io.BytesIO()
    xmp = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>'
        f"{CAMERA_OWNER}</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()
    img.save(buf, "JPEG", quality=quality, exif=phone_exif(orientation).tobytes(), xmp=xmp,
             comment=f"taken by {CAMERA_OWNER}".encode())
    return buf.getvalue()


def main(argv: list[str]) -> int:
    target = Path(argv[1] if len(argv) > 1 else "content/images/corridor.jpg")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(jpeg_with_metadata())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))


PLANTED = [CAMERA_OWNER, CAMERA_SERIAL, "planted-png-author", "planted-software-secret", "planted-gif-comment",
           "planted-iptc-byline", "planted-webp-xmp"]


def _segment(marker: int, body: bytes) -> bytes:
    import struct

    return b"\xff" + bytes([marker]) + struct.pack(">H", len(body) + 2) + body


def jpeg_everything(orientation: int = 1) -> bytes:
    """A JPEG with EXIF+GPS, XMP, a comment, IPTC (APP13) and a maker APP3 segment."""
    base = jpeg_with_metadata(orientation=orientation)
    iptc = b"\x1c\x02\x50" + len(b"planted-iptc-byline").to_bytes(2, "big") + b"planted-iptc-byline"
    resource = b"8BIM\x04\x04\x00\x00" + len(iptc).to_bytes(4, "big") + iptc + (b"\x00" if len(iptc) % 2 else b"")
    app13 = _segment(0xED, b"Photoshop 3.0\x00" + resource)
    app3 = _segment(0xE3, b"MAKER\x00planted-software-secret")
    return base[:2] + app13 + app3 + base[2:]


def png_with_metadata(img: Image.Image | None = None) -> bytes:
    from PIL import PngImagePlugin

    img = img or corridor(320, 200)
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "planted-png-author")
    info.add_text("Software", "planted-software-secret", zip=True)
    info.add_itxt("Comment", f"owner {CAMERA_OWNER}", lang="en", tkey="Comment")
    buf = io.BytesIO()
    img.save(buf, "PNG", pnginfo=info, exif=phone_exif().tobytes())
    data = buf.getvalue()
    # add a tIME chunk before IEND
    import struct
    import zlib

    body = struct.pack(">HBBBBB", 2026, 5, 17, 6, 41, 9)
    chunk = struct.pack(">I", len(body)) + b"tIME" + body + struct.pack(">I", zlib.crc32(b"tIME" + body))
    return data[:-12] + chunk + data[-12:]


def webp_with_metadata(img: Image.Image | None = None, lossless: bool = True) -> bytes:
    img = img or corridor(320, 200)
    buf = io.BytesIO()
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/">planted-webp-xmp {CAMERA_OWNER}</x:xmpmeta>'.encode()
    img.save(buf, "WEBP", lossless=lossless, quality=80, exif=phone_exif().tobytes(), xmp=xmp)
    return buf.getvalue()


def gif_with_metadata(img: Image.Image | None = None) -> bytes:
    img = (img or corridor(320, 200)).convert("P", palette=Image.Palette.ADAPTIVE)
    buf = io.BytesIO()
    img.save(buf, "GIF", comment=b"planted-gif-comment " + CAMERA_OWNER.encode())
    data = buf.getvalue()
    # an XMP application extension after the header and palette
    xmp = b"<x:xmpmeta>" + CAMERA_SERIAL.encode() + b"</x:xmpmeta>"
    blocks = b"".join(bytes([len(xmp[i:i + 255])]) + xmp[i:i + 255] for i in range(0, len(xmp), 255)) + b"\x00"
    ext = b"\x21\xff\x0bXMP DataXMP" + blocks
    flags = data[10]
    pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    return data[:pos] + ext + data[pos:]


def heic_with_metadata(img: Image.Image | None = None) -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    img = img or corridor(320, 200)
    buf = io.BytesIO()
    img.save(buf, "HEIF", quality=90, exif=phone_exif().tobytes())
    return buf.getvalue()


def quadrants(width: int = 64, height: int = 48) -> Image.Image:
    """A picture whose orientation can be checked: red top-left, green top-right, blue bottom-left, white rest."""
    img = Image.new("RGB", (width, height), (255, 255, 255))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, width // 2 - 1, height // 2 - 1], fill=(255, 0, 0))
    d.rectangle([width // 2, 0, width - 1, height // 2 - 1], fill=(0, 255, 0))
    d.rectangle([0, height // 2, width // 2 - 1, height - 1], fill=(0, 0, 255))
    return img


# --- Bytes after the picture's end, and every place an orientation is stored (issue 13) -------------------------
#
# Layouts written from their specifications, as exiftool reads them: CIPA DC-007 multi-picture files (an APP2
# "MPF" index in the first picture, the other pictures appended after its end-of-image marker, each a full JPEG
# with its own EXIF), AFCP trailers ("AXS!" header, a directory of IPTC/TEXT records with absolute offsets, and an
# "AXS!" end record pointing back at the header), ImageMagick's "Raw profile type exif" PNG text, HEIF irot/imir.

SECOND_MAKE = "Stereocam"
SECOND_MODEL = "Stereocam 3D Twin"
SECOND_SERIAL = "SN-MPO-SECOND-7731"
SECOND_OWNER = "Ottoline R. second lens"
SECOND_TIME = "2025:11:02 23:17:45"
AFCP_BYLINE = "Byline Wilhelmina Okonkwo-Tate"
AFCP_CITY = "Little Snoring"
AFCP_CAPTION = "night shift ward 7B caption"
SLACK_SECRET = "slack-html-Ignatius-Pemberton"
# What a byte search of a published trailer case must not find (the GPS values are in EXIF's rational form).
TRAILER_PLANTED = [CAMERA_MAKE, CAMERA_MODEL, CAMERA_SERIAL, CAMERA_OWNER, TAKEN_AT, SECOND_MAKE, SECOND_MODEL,
                   SECOND_SERIAL, SECOND_OWNER, SECOND_TIME, AFCP_BYLINE, AFCP_CITY, AFCP_CAPTION, SLACK_SECRET]

# EXIF orientation -> the transpose that makes the stored picture from the upright one (each undoes the turn).
STORED = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
          5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_90, 7: Image.Transpose.TRANSVERSE,
          8: Image.Transpose.ROTATE_270}


def stored_for(upright: Image.Image, orientation: int) -> Image.Image:
    """The pixels a camera stores when it tags them with `orientation` to be shown as `upright`."""
    return upright if orientation == 1 else upright.transpose(STORED[orientation])


def gps_needles() -> list[bytes]:
    """The planted GPS positions as EXIF stores them (each coordinate's three rationals, either byte order),
    read back from the EXIF Pillow writes, so the needles are the bytes a file really carries."""
    import struct

    needles = []
    for exif in (phone_exif(), second_exif()):
        written = Image.Exif()
        written.load(exif.tobytes())
        gps = written.get_ifd(0x8825)
        for tag in (2, 4):
            for endian in "<>":
                needles.append(b"".join(struct.pack(endian + "II", int(r.numerator), int(r.denominator))
                                        for r in gps[tag]))
    return needles


def second_exif() -> Image.Exif:
    """EXIF of the second lens of a stereo camera: another make, model, serial, owner, time and position."""
    exif = Image.Exif()
    exif[0x010F] = SECOND_MAKE
    exif[0x0110] = SECOND_MODEL
    exif[0x013B] = SECOND_OWNER
    exif[0x0132] = SECOND_TIME
    ifd = exif.get_ifd(0x8769)
    ifd[0x9003] = SECOND_TIME
    ifd[0xA431] = SECOND_SERIAL
    ifd[0xA430] = SECOND_OWNER
    gps = exif.get_ifd(0x8825)
    gps[1] = "S"
    gps[2] = (33.0, 51.0, 54.5)
    gps[3] = "E"
    gps[4] = (151.0, 12.0, 34.1)
    return exif


def _jpeg(img: Image.Image, exif: Image.Exif | None = None, **kwargs) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=kwargs.pop("quality", 90), exif=exif.tobytes() if exif else b"", **kwargs)
    return buf.getvalue()


def _mpf(entries: list[tuple[int, int, int]], index: bool = True) -> bytes:
    """An APP2 MPF segment (big-endian): the MP Index IFD with its entries, or the attribute IFD of a later picture."""
    import struct

    if index:
        count = 3
        values_at = 8 + 2 + 12 * count + 4
        ifd = struct.pack(">H", count)
        ifd += struct.pack(">HHI4s", 0xB000, 7, 4, b"0100")
        ifd += struct.pack(">HHII", 0xB001, 4, 1, len(entries))
        ifd += struct.pack(">HHII", 0xB002, 7, 16 * len(entries), values_at)
        ifd += struct.pack(">I", 0)
        values = b"".join(struct.pack(">IIIHH", attr, size, offset, 0, 0) for attr, size, offset in entries)
    else:
        ifd = struct.pack(">H", 2) + struct.pack(">HHI4s", 0xB000, 7, 4, b"0100")
        ifd += struct.pack(">HHII", 0xB101, 4, 1, 2) + struct.pack(">I", 0)
        values = b""
    return _segment(0xE2, b"MPF\x00" + b"MM\x00\x2a\x00\x00\x00\x08" + ifd + values)


def multi_picture_jpeg(first: Image.Image | None = None, orientation: int = 1) -> bytes:
    """A stereo camera's .mpo / a phone's multi-picture .jpg: the first picture carries the MPF index, the second
    is appended after its end with its own full EXIF (another make, model, serial, owner, time and position)."""
    return b"".join(multi_picture_parts(first, orientation))


def multi_picture_parts(first: Image.Image | None = None, orientation: int = 1) -> tuple[bytes, bytes]:
    """(the first picture, everything after its end) of `multi_picture_jpeg`."""
    first = first or quadrants(64, 48)
    a = _jpeg(first, phone_exif(orientation), quality=92)
    second = _jpeg(corridor(64, 48), second_exif(), quality=92)
    b = second[:2] + _mpf([], index=False) + second[2:]
    placeholder = _mpf([(0, 0, 0), (0, 0, 0)])
    at = a.index(b"\xff\xdb")  # after the EXIF segment, before the tables (where cameras write it)
    base = at + 8  # MPF offsets count from the TIFF header inside the segment
    size_a = len(a) + len(placeholder)
    index = _mpf([(0x20030000, size_a, 0), (0x00020002, len(b), size_a - base)])
    return a[:at] + index + a[at:], b


def pillow_mpo(orientation: int = 1) -> bytes:
    """The same kind of file as Pillow's own MPO writer makes it (each frame with the phone's EXIF)."""
    buf = io.BytesIO()
    first = stored_for(quadrants(64, 48), orientation)
    first.save(buf, "MPO", save_all=True, append_images=[corridor(64, 48)], quality=92,
               exif=phone_exif(orientation).tobytes())
    return buf.getvalue()


def _iptc(dataset: int, value: str) -> bytes:
    raw = value.encode()
    return b"\x1c\x02" + bytes([dataset]) + len(raw).to_bytes(2, "big") + raw


def afcp_trailer(start: int) -> bytes:
    """An AFCP trailer that begins at byte `start` of its file: IPTC by-line (2:80), city (2:90), caption (2:120)
    and a TEXT record, big-endian ("AXS!"), with absolute offsets as the protocol has them."""
    import struct

    iptc = _iptc(80, AFCP_BYLINE) + _iptc(90, AFCP_CITY) + _iptc(120, AFCP_CAPTION)
    text = f"Caption: {AFCP_CAPTION}\r\nBy: {AFCP_BYLINE}\r\n".encode()
    records = [(b"IPTC", iptc), (b"TEXT", text)]
    at = start + 12 + 12 * len(records)
    directory, values = b"", b""
    for tag, value in records:
        directory += tag + struct.pack(">II", len(value), at + len(values))
        values += value
    header = b"AXS!" + struct.pack(">HHI", 1, len(records), 0)
    return header + directory + values + b"AXS!" + struct.pack(">II", start, 0)


def jpeg_with_afcp(orientation: int = 1, progressive: bool = False) -> bytes:
    """A JPEG with phone EXIF and an AFCP trailer after its end-of-image marker."""
    data = _jpeg(stored_for(quadrants(64, 48), orientation), phone_exif(orientation), quality=92,
                 progressive=progressive)
    return data + afcp_trailer(len(data))


def jpeg_with_slack(kind: str = "random", progressive: bool = False) -> bytes:
    """A JPEG followed by camera slack: random bytes, a hidden thumbnail with EXIF, or unrelated HTML."""
    data = _jpeg(quadrants(64, 48), phone_exif(), quality=92, progressive=progressive)
    if kind == "random":
        import random

        rng = random.Random(13)
        slack = bytes(rng.randrange(256) for _ in range(4096)) + SLACK_SECRET.encode()
    elif kind == "thumbnail":
        thumb = corridor(32, 24)
        slack = b"\x00" * 512 + _jpeg(thumb, second_exif(), quality=70) + b"\x00" * 100
    elif kind == "html":
        slack = (f"<!DOCTYPE html><html><body><p>{SLACK_SECRET}</p><img src='https://tracker.example/p.gif'>"
                 "</body></html>").encode()
    else:
        raise ValueError(kind)
    return data + slack


def progressive_with_comment_between_scans() -> bytes:
    """A progressive JPEG with a comment segment between two of its scans (where a walk to the first scan stops
    looking), and a second EXIF-bearing JPEG after its end."""
    data = _jpeg(quadrants(64, 48), phone_exif(), quality=92, progressive=True)
    first_sos = data.index(b"\xff\xda")
    second_sos = data.index(b"\xff\xda", first_sos + 2)
    between = _segment(0xFE, f"between scans {SECOND_OWNER}".encode())
    return data[:second_sos] + between + data[second_sos:] + _jpeg(corridor(48, 32), second_exif())


# --- orientation sources --------------------------------------------------------------------------------------

def xmp_orientation(orientation: int, element: bool = False) -> bytes:
    """An XMP packet carrying tiff:Orientation (as an attribute, or as an element) and the owner's name."""
    tiff = (f"<tiff:Orientation>{orientation}</tiff:Orientation>" if element else "")
    attr = "" if element else f' tiff:Orientation="{orientation}"'
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:tiff="http://ns.adobe.com/tiff/1.0/"'
        f' xmlns:dc="http://purl.org/dc/elements/1.1/"{attr}>{tiff}'
        f"<dc:creator><rdf:Seq><rdf:li>{CAMERA_OWNER}</rdf:li></rdf:Seq></dc:creator>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


def raw_profile_exif(orientation: int, keyword: str = "Raw profile type exif") -> bytes:
    """ImageMagick's way of keeping EXIF in PNG text: "\\nexif\\n  <length>\\n" then hex in lines of 72."""
    raw = phone_exif(orientation).tobytes()  # with the "Exif" header, as ImageMagick keeps it
    digits = raw.hex()
    name = "exif" if keyword.endswith("exif") else "APP1"
    return (f"\n{name}\n{len(raw):8d}\n" + "\n".join(digits[i:i + 72] for i in range(0, len(digits), 72))
            + "\n").encode()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    import struct
    import zlib

    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_with_orientation(source: str, orientation: int, upright: Image.Image | None = None) -> bytes:
    """A PNG stored turned, saying how to turn it in one place: "exif" (eXIf chunk), "raw-text" (tEXt raw
    profile), "raw-ztxt" (zTXt raw profile), "raw-app1" (older APP1 raw profile), "xmp" (iTXt attribute),
    "xmp-element". It also carries text chunks with the owner's name."""
    import zlib

    upright = upright or quadrants(64, 48)
    buf = io.BytesIO()
    stored_for(upright, orientation).save(buf, "PNG", **({"exif": phone_exif(orientation).tobytes()}
                                                          if source == "exif" else {}))
    data = buf.getvalue()
    extra = _png_chunk(b"tEXt", b"Author\x00" + CAMERA_OWNER.encode())
    if source == "raw-text":
        extra += _png_chunk(b"tEXt", b"Raw profile type exif\x00" + raw_profile_exif(orientation))
    elif source == "raw-ztxt":
        extra += _png_chunk(b"zTXt", b"Raw profile type exif\x00\x00" + zlib.compress(raw_profile_exif(orientation)))
    elif source == "raw-app1":
        extra += _png_chunk(b"tEXt", b"Raw profile type APP1\x00" + raw_profile_exif(orientation, "APP1"))
    elif source in ("xmp", "xmp-element"):
        packet = xmp_orientation(orientation, element=source == "xmp-element")
        extra += _png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + packet)
    elif source != "exif":
        raise ValueError(source)
    at = data.index(b"IDAT") - 4
    return data[:at] + extra + data[at:]


def webp_with_orientation(source: str, orientation: int, lossless: bool = True,
                          upright: Image.Image | None = None) -> bytes:
    """A WebP stored turned, saying how in its EXIF chunk ("exif") or only in its XMP chunk ("xmp")."""
    upright = upright or quadrants(64, 48)
    kwargs: dict = {"lossless": lossless, "quality": 90}
    if source == "exif":
        kwargs["exif"] = phone_exif(orientation).tobytes()
    elif source == "xmp":
        kwargs["xmp"] = xmp_orientation(orientation)
    else:
        raise ValueError(source)
    buf = io.BytesIO()
    stored_for(upright, orientation).save(buf, "WEBP", **kwargs)
    return buf.getvalue()


def heic_with_orientation(source: str, orientation: int, upright: Image.Image | None = None) -> bytes:
    """A HEIC stored turned. "box": the way phones write it, irot/imir boxes (libheif's encoder writes them from
    the EXIF orientation) and the same EXIF orientation. "exif": only an EXIF orientation, no rotation box (the
    file is written upright-tagged, then the EXIF orientation value is set in place)."""
    import struct

    import pillow_heif

    pillow_heif.register_heif_opener()
    upright = upright or quadrants(64, 48)
    buf = io.BytesIO()
    if source == "box":
        stored_for(upright, orientation).save(buf, "HEIF", quality=95, exif=phone_exif(orientation).tobytes())
        return buf.getvalue()
    if source != "exif":
        raise ValueError(source)
    stored_for(upright, orientation).save(buf, "HEIF", quality=95, exif=phone_exif(1).tobytes())
    data = bytearray(buf.getvalue())
    import re

    tiff = re.search(rb"Exif\x00\x00(?=II\x2a\x00|MM\x00\x2a)", data).end()
    endian = "<" if data[tiff:tiff + 2] == b"II" else ">"
    ifd = tiff + struct.unpack(endian + "I", data[tiff + 4:tiff + 8])[0]
    for i in range(struct.unpack(endian + "H", data[ifd:ifd + 2])[0]):
        entry = ifd + 2 + 12 * i
        if struct.unpack(endian + "H", data[entry:entry + 2])[0] == 0x0112:
            data[entry + 8:entry + 10] = struct.pack(endian + "H", orientation)
            return bytes(data)
    raise AssertionError("the EXIF written has no orientation tag to set")


def with_tail(data: bytes, tail: bytes | None = None) -> bytes:
    """Any picture with a second EXIF-bearing JPEG and some HTML slack after its declared end."""
    tail = tail if tail is not None else (_jpeg(corridor(48, 32), second_exif())
                                          + f"<html><p>{SLACK_SECRET}</p></html>".encode())
    return data + tail
