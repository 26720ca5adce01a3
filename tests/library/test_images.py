"""Image scrubbers: exiftool finds nothing after, pixels stay identical, photos stay upright, bad files refused."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import imagegen as gen
import pytest
from anonymize.scrub.images import ImageError, clean_bytes, clean_file, show_bytes
from blake3 import blake3
from conftest import ROOT, require_tool, run_build
from PIL import Image

METADATA_GROUPS = {"EXIF", "IFD0", "IFD1", "ExifIFD", "GPS", "XMP", "XMP-x", "XMP-dc", "IPTC", "Photoshop",
                   "MakerNotes", "InteropIFD", "ICC-header"}


def exiftool(path: Path) -> dict:
    tool = require_tool("exiftool")
    out = subprocess.run([tool, "-j", "-a", "-G1", "-u", str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)[0]


def metadata_left(path: Path) -> list[str]:
    """What exiftool reads beyond the file's own structure: any tag in a metadata group, or any planted value."""
    tags = exiftool(path)
    left = [k for k in tags if k.split(":", 1)[0] in METADATA_GROUPS]
    left += [k for k in tags if k.startswith("PNG:") and k.split(":")[1] in
             {"Author", "Software", "Comment", "ModifyDate", "Title", "Description", "Copyright", "CreationTime"}]
    left += [k for k in tags if k.endswith(":Comment") or k.endswith("DataXMP")]
    text = json.dumps(tags)
    left += [value for value in gen.PLANTED if value in text]
    return left


MAKERS = {
    "jpeg": gen.jpeg_everything,
    "png": gen.png_with_metadata,
    "webp": gen.webp_with_metadata,
    "gif": gen.gif_with_metadata,
    "heic": gen.heic_with_metadata,
}


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_exiftool_finds_no_metadata_after_cleaning(kind, tmp_path):
    original = tmp_path / f"original.{kind}"
    original.write_bytes(MAKERS[kind]())
    assert metadata_left(original), "the fixture must carry metadata for the test to mean anything"
    cleaned = clean_file(original)
    out = tmp_path / f"clean{cleaned.ext}"
    out.write_bytes(cleaned.data)
    assert metadata_left(out) == []
    assert cleaned.removed


def _pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as im:
        return im.convert("RGBA").tobytes()


@pytest.mark.parametrize("kind", ["jpeg", "png", "webp", "gif"])
def test_pixels_are_identical(kind):
    data = MAKERS[kind]()
    cleaned = clean_bytes(data)
    assert cleaned.method == "lossless"
    assert _pixels(cleaned.data) == _pixels(data)


def test_lossy_webp_pixels_identical():
    data = gen.webp_with_metadata(lossless=False)
    assert _pixels(clean_bytes(data).data) == _pixels(data)


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_rotated_jpeg_is_published_upright(orientation, tmp_path):
    upright = gen.quadrants(64, 48)
    # A camera stores the sensor's pixels and a tag saying how to turn them.
    inverse = {3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}
    stored = upright.transpose(inverse[orientation])
    data = gen.jpeg_with_metadata(stored, orientation=orientation, quality=95)
    cleaned = clean_bytes(data)
    assert cleaned.method == "lossless"  # 64×48 is whole 16-pixel MCUs: turned in the DCT domain
    assert any("orientation" in r and "losslessly" in r for r in cleaned.removed), cleaned.removed
    with Image.open(io.BytesIO(cleaned.data)) as im:
        assert im.size == (64, 48)
        assert "exif" not in im.info
        r, g, b = im.convert("RGB").getpixel((8, 8))
        assert r > 200 and g < 60 and b < 60, "red must be top-left"
        r, g, b = im.convert("RGB").getpixel((56, 8))
        assert g > 200 and r < 60, "green must be top-right"
    out = tmp_path / "upright.jpg"
    out.write_bytes(cleaned.data)
    tags = exiftool(out)
    assert "IFD0:Orientation" not in tags


def _png_bomb() -> bytes:
    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    end = struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    return b"\x89PNG\r\n\x1a\n" + chunk + end


BAD = {
    "bomb.png": (_png_bomb, "decompression bomb"),
    "truncated.jpg": (lambda: gen.jpeg_with_metadata()[:5000], "truncated JPEG"),
    "corrupt.png": (lambda: gen.png_with_metadata()[:40] + b"XXXX" + gen.png_with_metadata()[44:], "bad CRC"),
    "liar.png": (gen.jpeg_with_metadata, "the name says .png but the content is JPEG"),
    "drawing.svg": (lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>', "SVG is refused"),
    "notes.pdf": (lambda: b"%PDF-1.7\n...", "PDF is refused"),
    "random.bin": (lambda: os.urandom(64), "not an image"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_are_refused_with_a_reason(name, tmp_path):
    make, reason = BAD[name]
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(ImageError, match=reason):
        clean_file(path)


def test_show_lists_what_clean_removes():
    data = gen.jpeg_everything()
    kind, removed = show_bytes(data)
    assert kind == "JPEG"
    assert removed == clean_bytes(data).removed


def test_build_refuses_a_bad_image_and_writes_nothing(content_copy, tmp_path):
    (content_copy / "images" / "liar.png").write_bytes(gen.jpeg_with_metadata())
    (content_copy / "images" / "scan.svg").write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    out = tmp_path / "out"
    result = run_build(content_copy, out)
    assert result.returncode != 0
    assert "images/liar.png" in result.log and "is JPEG" in result.log
    assert "images/scan.svg" in result.log and "SVG is refused" in result.log
    assert not (out / "index.html").exists()


def test_site_publishes_clean_images_under_hash_names(site, tmp_path):
    images = sorted((site.output / "images").iterdir())
    assert images, "the sample essay has a photo"
    for img in images:
        assert img.stem != "corridor" and len(img.stem) == 20
        assert blake3(img.read_bytes()).hexdigest()[:20] == img.stem  # the name is the content's hash
        assert metadata_left(img) == []
        assert os.stat(img).st_mtime % 86400 == 0, "mtime is a day, never the source's time"
    page = (site.output / "essays" / "the-photograph-in-the-corridor" / "index.html").read_text("utf-8")
    assert f"images/{images[0].name}" in page and "corridor.jpg" not in page


def test_invoke_scrub_cleans_copies_and_never_touches_originals(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "IMG_20240305_143107.jpg").write_bytes(gen.jpeg_everything())
    (src / "screenshot.png").write_bytes(gen.png_with_metadata())
    before = {p.name: p.read_bytes() for p in src.iterdir()}
    invoke = Path(sys.executable).parent / "invoke"
    out = tmp_path / "out"
    run = subprocess.run([str(invoke), "scrub", "--out", str(out), "--", str(src / "IMG_20240305_143107.jpg"),
                          str(src / "screenshot.png")], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert {p.name: p.read_bytes() for p in src.iterdir()} == before
    cleaned = sorted(out.iterdir())
    assert len(cleaned) == 2 and not any("IMG_2024" in p.name for p in cleaned)
    for p in cleaned:
        assert metadata_left(p) == []
    show = subprocess.run([str(invoke), "scrub", "--show", "--path", str(src)], cwd=ROOT, capture_output=True,
                          text=True)
    assert show.returncode == 0 and "EXIF" in show.stdout and "tEXt chunk" in show.stdout
    bad = subprocess.run([str(invoke), "scrub", "--path", str(src), "--out", str(out)], cwd=ROOT, capture_output=True,
                         text=True)
    assert bad.returncode == 0
    (src / "x.svg").write_bytes(b"<svg/>")
    refused = subprocess.run([str(invoke), "scrub", "--out", str(out), "--", str(src / "x.svg")], cwd=ROOT,
                             capture_output=True, text=True)
    assert refused.returncode == 1 and "SVG is refused" in refused.stderr


def test_invoke_scrub_of_upright_jpegs_imports_only_what_it_uses(tmp_path):
    """Every `invoke scrub` is a new Python process, so what it imports is most of what it costs: cleaning upright
    JPEGs in a pipe loads the JPEG parser and not rich (drawn on a terminal only), the other formats' parsers,
    Pillow, numpy, OpenSSL's hashes, Pelican, the findings or the audit."""
    photos = [tmp_path / f"IMG_{i}.jpg" for i in range(2)]
    for i, path in enumerate(photos):
        path.write_bytes(gen.jpeg_with_metadata(gen.corridor(64 + 16 * i, 48)))
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")}
    run = subprocess.run([sys.executable, "-X", "importtime", str(Path(sys.executable).parent / "invoke"), "scrub",
                          "--out", str(tmp_path / "out"), "--", *map(str, photos)], cwd=ROOT, capture_output=True,
                         text=True, env=env)
    assert run.returncode == 0, run.stderr[-2000:]
    loaded = {line.rsplit("|", 1)[1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")}
    assert len(list((tmp_path / "out").iterdir())) == 2
    assert "anonymize.scrub.images.jpeg" in loaded and "anonymize.desk.image_files" in loaded
    unwanted = {"rich", "rich.console", "anonymize.scrub.images.png", "anonymize.scrub.images.webp",
                "anonymize.scrub.images.gif", "anonymize.scrub.images.heif", "PIL", "numpy", "jpeglib", "hashlib",
                "pelican", "anonymize.pelican_plugin", "anonymize.scrub.findings", "anonymize.audit", "bs4",
                "markdown"}
    assert loaded & unwanted == set()


def _coefficients(data: bytes, tmp_path: Path, name: str):
    import jpeglib

    path = tmp_path / name
    path.write_bytes(data)
    image = jpeglib.read_dct(str(path))
    return [image.Y, image.Cb, image.Cr], image.qt


@pytest.mark.parametrize("turn,back", [(2, 2), (3, 3), (4, 4), (5, 5), (6, 8), (7, 7), (8, 6)])
def test_lossless_turn_only_moves_coefficients(turn, back, tmp_path):
    """Turning and turning back gives the very same quantised coefficients: nothing was decoded or re-quantised."""
    from anonymize.scrub.images.jpeg_rotate import upright

    buf = io.BytesIO()
    gen.quadrants(64, 48).save(buf, "JPEG", quality=90, subsampling=2)
    original = buf.getvalue()
    turned = upright(original, turn)
    assert turned is not None
    returned = upright(turned, back)
    assert returned is not None
    (a, qa), (b, qb) = _coefficients(original, tmp_path, "a.jpg"), _coefficients(returned, tmp_path, "b.jpg")
    assert (qa == qb).all()
    for x, y in zip(a, b, strict=True):
        assert x.shape == y.shape and (x == y).all()


def test_partial_mcu_is_reencoded_upright_and_says_so():
    """60×44 is not whole 16-pixel MCUs: a mirror would move padding onto the picture, so it is re-encoded."""
    upright = gen.quadrants(60, 44)
    data = gen.jpeg_with_metadata(upright.transpose(Image.Transpose.ROTATE_180), orientation=3, quality=95)
    cleaned = clean_bytes(data)
    assert cleaned.method == "re-encoded"
    assert any("re-encoded" in r for r in cleaned.removed), cleaned.removed
    with Image.open(io.BytesIO(cleaned.data)) as im:
        assert im.size == (60, 44)
        r, g, b = im.convert("RGB").getpixel((6, 6))
        assert r > 200 and g < 60 and b < 60, "red must be top-left"


def test_lossless_turn_keeps_the_colour_profile(tmp_path):
    from PIL import ImageCms

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    stored = gen.quadrants(64, 48).transpose(Image.Transpose.ROTATE_90)
    buf = io.BytesIO()
    stored.save(buf, "JPEG", quality=90, icc_profile=icc, exif=gen.phone_exif(6).tobytes())
    cleaned = clean_bytes(buf.getvalue())
    assert cleaned.method == "lossless"
    with Image.open(io.BytesIO(cleaned.data)) as im:
        assert im.info.get("icc_profile") == icc
        assert im.size == (64, 48)
    out = tmp_path / "turned.jpg"
    out.write_bytes(cleaned.data)
    tags = exiftool(out)
    assert not [k for k in tags if k.split(":")[0] in METADATA_GROUPS - {"ICC-header"}], tags


def test_cleaned_jpeg_pieces_hash_and_write_as_the_joined_file(tmp_path):
    """A JPEG's clean form stays in pieces (its scan is a view of the source, not a copy); the name's hash and
    the written file must be those of the whole, joined file."""
    from anonymize.scrub.images import hashed_name

    data = gen.jpeg_with_metadata()
    cleaned = clean_bytes(data)
    assert len(cleaned.parts) > 2 and any(isinstance(p, memoryview) for p in cleaned.parts)
    joined = b"".join(bytes(p) for p in cleaned.parts)
    assert cleaned.data == joined
    assert hashed_name(cleaned) == blake3(joined).hexdigest()[:20] + ".jpg"
    with open(tmp_path / "out.jpg", "wb") as fh:
        cleaned.write_to(fh)
    assert (tmp_path / "out.jpg").read_bytes() == joined
    assert _pixels(joined) == _pixels(data)
