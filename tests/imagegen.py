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
