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
