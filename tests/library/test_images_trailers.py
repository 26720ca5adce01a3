"""Bytes after a picture's end are never published (issue 13).

Each case is a picture and what a camera, a phone or an editing tool put after
its end: the second picture of a multi-picture file with its own EXIF, an AFCP
trailer with IPTC by-line, city and caption, random slack, a hidden thumbnail,
unrelated HTML; baseline and progressive. The judges: the published bytes are
exactly those of the picture cleaned alone, exiftool (`-j -a -G1`) reads no
metadata and none of the planted values, a byte search finds none of them (GPS
as the rationals EXIF stores), and the pixels are the picture's.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import imagegen as gen
import numpy as np
import pytest
from anonymize.scrub.images import clean_bytes, clean_file, hashed_name
from conftest import require_tool, run_build, settings_with
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

# exiftool groups that describe the file itself, not who made it or where.
STRUCTURE = {"ExifTool", "System", "File", "JFIF", "Composite", "PNG", "RIFF", "GIF", "ICC-header", "ICC_Profile",
             "ICC-view", "ICC-meas"}
STRUCTURE_TAGS = {"PNG:ImageWidth", "PNG:ImageHeight", "PNG:BitDepth", "PNG:ColorType", "PNG:Compression",
                  "PNG:Filter", "PNG:Interlace", "PNG:Palette", "PNG:SRGBRendering", "PNG:Gamma",
                  "PNG:PixelsPerUnitX", "PNG:PixelsPerUnitY", "PNG:PixelUnits", "PNG:Transparency"}


def exiftool(data: bytes, tmp_path: Path, name: str = "x.jpg") -> dict:
    tool = require_tool("exiftool")
    path = tmp_path / name
    path.write_bytes(data)
    out = subprocess.run([tool, "-j", "-a", "-G1", "-u", str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)[0]


def left_by_exiftool(tags: dict) -> list[str]:
    """Tags beyond the file's own structure, trailer warnings, and any planted value exiftool reads."""
    left = [k for k in tags if k.split(":", 1)[0] not in STRUCTURE and k != "SourceFile"]
    left += [k for k in tags if k.startswith("PNG:") and k not in STRUCTURE_TAGS]
    left += [f"{k}={v}" for k, v in tags.items() if "Warning" in k and "railer" in str(v)]
    text = json.dumps(tags)
    return left + [value for value in gen.TRAILER_PLANTED if value in text]


def planted_in(data: bytes) -> list[str]:
    """Planted values a byte search finds: text values, and the GPS positions in EXIF's rational form."""
    found = [value for value in gen.TRAILER_PLANTED if value.encode() in data]
    return found + ["GPS position" for needle in gen.gps_needles() if needle in data][:1]


def _pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as im:
        return im.convert("RGBA").tobytes()


def _jpeg(progressive: bool = False, orientation: int = 1) -> bytes:
    buf = io.BytesIO()
    gen.stored_for(gen.quadrants(64, 48), orientation).save(
        buf, "JPEG", quality=92, progressive=progressive, exif=gen.phone_exif(orientation).tobytes())
    return buf.getvalue()


def _pillow_mpo() -> tuple[bytes, bytes]:
    data = gen.pillow_mpo()
    second = data.index(b"\xff\xd8\xff", data.index(b"\xff\xda"))  # the first picture's scan holds no FF D8
    return data[:second], data[second:]


def _afcp(progressive: bool) -> tuple[bytes, bytes]:
    picture = _jpeg(progressive)
    return picture, gen.afcp_trailer(len(picture))


def _slack(kind: str, progressive: bool = False) -> tuple[bytes, bytes]:
    whole = gen.jpeg_with_slack(kind, progressive=progressive)
    picture = _jpeg_picture_of(whole, progressive)
    return picture, whole[len(picture):]


def _jpeg_picture_of(whole: bytes, progressive: bool) -> bytes:
    """The generator's picture, made again the same way (Pillow's output is deterministic)."""
    buf = io.BytesIO()
    gen.quadrants(64, 48).save(buf, "JPEG", quality=92, progressive=progressive, exif=gen.phone_exif().tobytes())
    picture = buf.getvalue()
    assert whole.startswith(picture)
    return picture


def _comment_between_scans() -> tuple[bytes, bytes]:
    whole = gen.progressive_with_comment_between_scans()
    end = whole.index(b"\xff\xd9") + 2  # the generator's first picture has no FF D9 before its end
    return whole[:end], whole[end:]


# name -> (the picture, what follows it), and what the report must name
JPEG_CASES = {
    "multi-picture jpg (MPF index, second picture with EXIF)": (lambda: gen.multi_picture_parts(), "a JPEG picture"),
    "multi-picture from Pillow's MPO writer": (_pillow_mpo, "a JPEG picture"),
    "AFCP trailer": (lambda: _afcp(False), "AFCP"),
    "AFCP trailer after a progressive picture": (lambda: _afcp(True), "AFCP"),
    "random slack": (lambda: _slack("random"), "unidentified data"),
    "hidden thumbnail in slack": (lambda: _slack("thumbnail"), "a JPEG picture"),
    "HTML in slack after a progressive picture": (lambda: _slack("html", True), "HTML"),
    "comment between progressive scans, second JPEG after": (_comment_between_scans, "a JPEG picture"),
}


@pytest.mark.parametrize("case", sorted(JPEG_CASES))
def test_jpeg_keeps_exactly_the_primary_picture(case, tmp_path):
    make, named = JPEG_CASES[case]
    picture, tail = make()
    whole = picture + tail
    assert planted_in(tail) or planted_in(whole), "the fixture must carry planted values for the test to mean anything"
    cleaned = clean_bytes(whole)
    # the published bytes are the picture's, cleaned, and end at its end-of-image marker
    assert cleaned.data == clean_bytes(picture).data
    assert cleaned.data.endswith(b"\xff\xd9") and cleaned.data.count(b"\xff\xd8\xff") == 1
    assert cleaned.method == "lossless"
    assert any("after the picture's end" in r and named in r for r in cleaned.removed), cleaned.removed
    # the judges
    assert planted_in(cleaned.data) == []
    assert left_by_exiftool(exiftool(cleaned.data, tmp_path)) == []
    assert _pixels(cleaned.data) == _pixels(picture)


def test_exiftool_sees_the_planted_trailers(tmp_path):
    """The fixtures are what exiftool knows: the second picture's serial and the AFCP IPTC fields are read."""
    mpf = exiftool(gen.multi_picture_jpeg(), tmp_path, "mpf.jpg")
    assert mpf.get("MPF0:NumberOfImages") == 2 and "MPImage2:MPImageLength" in mpf
    afcp = exiftool(gen.jpeg_with_afcp(), tmp_path, "afcp.jpg")
    assert afcp.get("IPTC2:By-line") == gen.AFCP_BYLINE and afcp.get("IPTC2:City") == gen.AFCP_CITY
    assert afcp.get("IPTC2:Caption-Abstract") == gen.AFCP_CAPTION


def test_a_comment_between_scans_is_dropped_though_exiftool_does_not_see_it(tmp_path):
    """exiftool stops reading at the first scan; the bytes still carry the comment, and the scrubber drops it."""
    whole = gen.progressive_with_comment_between_scans()
    assert gen.SECOND_OWNER.encode() in whole
    cleaned = clean_bytes(whole)
    assert "comment (between scans)" in cleaned.removed
    assert gen.SECOND_OWNER.encode() not in cleaned.data


def test_mpo_is_published_as_its_first_picture(tmp_path):
    """A .mpo name is accepted (it is a JPEG) and published as the first picture, as a .jpg."""
    picture, tail = gen.multi_picture_parts()
    path = tmp_path / "DSCF0001.MPO"
    path.write_bytes(picture + tail)
    cleaned = clean_file(path)
    assert cleaned.ext == ".jpg" and hashed_name(cleaned).endswith(".jpg")
    assert "multi-picture file: only its first picture is published" in cleaned.removed
    assert cleaned.data == clean_bytes(picture).data
    assert planted_in(cleaned.data) == []


@pytest.mark.parametrize("orientation", range(2, 9))
def test_multi_picture_with_orientation_is_turned_and_cut(orientation, tmp_path):
    """The primary picture is turned upright in the DCT domain (no re-encoding); the second picture goes. The
    published pixels are what a viewer shows for the original, up to the decoder's rounding of turned blocks."""
    from PIL import ImageOps

    stored = gen.stored_for(gen.quadrants(64, 48), orientation)
    picture, tail = gen.multi_picture_parts(stored, orientation)
    cleaned = clean_bytes(picture + tail)
    assert cleaned.method == "lossless"
    assert f"orientation {orientation} from EXIF (turned upright losslessly)" in cleaned.removed, cleaned.removed
    assert cleaned.data == clean_bytes(picture).data
    with Image.open(io.BytesIO(picture)) as im:
        shown = ImageOps.exif_transpose(im).convert("RGB")
    with Image.open(io.BytesIO(cleaned.data)) as im:
        assert im.size == shown.size == (64, 48)
        published = im.convert("RGB")
    difference = np.abs(np.asarray(shown, dtype=int) - np.asarray(published, dtype=int)).max()
    assert difference <= 2, difference
    assert planted_in(cleaned.data) == [] and left_by_exiftool(exiftool(cleaned.data, tmp_path)) == []


OTHER_FORMATS = {
    "png": (lambda: gen.png_with_orientation("exif", 1), "PNG"),
    "webp": (lambda: gen.webp_with_orientation("exif", 1), "WebP"),
    "gif": (gen.gif_with_metadata, "GIF"),
}


@pytest.mark.parametrize("kind", sorted(OTHER_FORMATS))
def test_other_formats_drop_bytes_after_their_end(kind, tmp_path):
    make, _name = OTHER_FORMATS[kind]
    picture = make()
    whole = gen.with_tail(picture)
    assert planted_in(whole)
    cleaned = clean_bytes(whole)
    assert cleaned.data == clean_bytes(picture).data
    assert any("after the picture's end" in r and "a JPEG picture" in r and "HTML" in r for r in cleaned.removed)
    assert planted_in(cleaned.data) == []
    assert left_by_exiftool(exiftool(cleaned.data, tmp_path, f"x.{kind}")) == []
    assert _pixels(cleaned.data) == _pixels(picture)


def test_heif_reports_bytes_after_its_last_box(tmp_path):
    picture = gen.heic_with_orientation("box", 1)
    cleaned = clean_bytes(gen.with_tail(picture))
    assert any("after the picture's end" in r for r in cleaned.removed), cleaned.removed
    assert planted_in(cleaned.data) == []
    assert left_by_exiftool(exiftool(cleaned.data, tmp_path)) == []


def test_a_jpeg_without_its_end_marker_is_refused():
    from anonymize.scrub.images import ImageError

    data = _jpeg()
    with pytest.raises(ImageError, match="no end-of-image marker"):
        clean_bytes(data[:-2])


def test_build_publishes_only_the_first_picture_and_turns_what_is_tagged(content_copy, tmp_path):
    """End to end: an essay showing a multi-picture photo saved as .jpg and another as .mpo, a photo with an
    AFCP trailer, a PNG turned by a raw-profile text chunk and a HEIC turned by EXIF alone. The built site carries
    none of the planted values, every picture is upright, and the build (with its audit) passes."""
    images = content_copy / "images"
    (images / "stereo.jpg").write_bytes(gen.multi_picture_jpeg())
    (images / "stereo2.mpo").write_bytes(gen.pillow_mpo(6))
    (images / "agency.jpg").write_bytes(gen.jpeg_with_afcp(progressive=True))
    (images / "scan.png").write_bytes(gen.png_with_orientation("raw-text", 6))
    (images / "phone.heic").write_bytes(gen.heic_with_orientation("exif", 6))
    essay = content_copy / "essays" / "the-photograph-in-the-corridor.md"
    essay.write_text(essay.read_text("utf-8") + "".join(
        f"\n![Picture {i}]({{static}}/images/{name})\n" for i, name in
        enumerate(["stereo.jpg", "stereo2.mpo", "agency.jpg", "scan.png", "phone.heic"])), "utf-8")
    out = tmp_path / "out"
    report_path = tmp_path / "build-report.json"  # its own report: builds in other test workers write the default one
    result = run_build(content_copy, out, settings=settings_with(tmp_path, ANONYMIZE_REPORT_PATH=str(report_path)))
    assert result.returncode == 0, result.log
    published = sorted((out / "images").iterdir())
    assert sorted(p.suffix for p in published) == [".jpg"] * 5 + [".png"]
    upright = gen.quadrants(64, 48).convert("RGBA").tobytes()
    for path in published:
        data = path.read_bytes()
        assert planted_in(data) == [], path.name
        if path.suffix == ".png":
            assert _pixels(data) == upright
            continue
        assert data.endswith(b"\xff\xd9") and data.count(b"\xff\xd8\xff") == 1, path.name
        with Image.open(io.BytesIO(data)) as im:
            assert im.size in ((64, 48), (960, 640)), (path.name, im.size)  # the sample essay's corridor photo
    page = (out / "essays" / "the-photograph-in-the-corridor" / "index.html").read_text("utf-8")
    assert not any(name in page for name in ("stereo", "agency", "scan.png", "phone.heic"))
    report = report_path.read_text("utf-8")
    assert "after the picture's end" in report and "AFCP" in report
    assert "Raw profile type exif" in report and "no HEIF rotation box" in report


@pytest.mark.parametrize("vectorised", [False, True])
@pytest.mark.parametrize("size", [1000, 70_000, (1 << 20) - 1, (1 << 20) + 1, 3 << 20])
def test_scan_end_finds_the_first_marker_whatever_the_scan_size(size, vectorised):
    """A scan is searched with a regular expression, or with numpy a window at a time when numpy is loaded: both
    find the first 0xFF that is neither stuffing nor a restart, also across a window's edge."""
    import random
    import re

    from anonymize.scrub.images.jpeg import scan_end

    rng = random.Random(size)
    scan = rng.randbytes(size).replace(b"\xff", b"\xff\x00")
    for at in {0, 5, size // 2, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, len(scan) - 2}:
        if at > len(scan) - 2:
            continue
        data = bytearray(scan)
        data[at:at + 2] = b"\xff\xd9"
        if at >= 6:
            data[at // 3:at // 3 + 2] = b"\xff\xd3"  # a restart marker before it is part of the scan
        expected = re.search(rb"\xff[^\x00\xd0-\xd7]", bytes(data)).start()
        assert scan_end(bytes(data), 0, vectorised) == expected <= at
    assert scan_end(scan, 0, vectorised) == -1


@pytest.mark.parametrize("dense_from", [None, 0.5])
def test_scan_end_hops_a_photo_like_scan_and_hands_a_dense_run_to_the_expression(dense_from):
    """In a photo a stuffed 0xFF comes about once a kilobyte: the scan is walked from one to the next, also over
    restart markers; where they crowd (from the middle on here) the rest is searched by the regular expression.
    Either way the first real marker is found, and a scan without one runs off the end."""
    import random
    import re

    from anonymize.scrub.images.jpeg import scan_end

    rng = random.Random(7)
    size = 3 << 20
    scan = bytearray(rng.randbytes(size).replace(b"\xff", b"\xfe"))
    for i in range(0, size - 1, 997):
        scan[i:i + 2] = b"\xff\x00" if i % 5 else bytes((0xFF, 0xD0 + i % 8))
    if dense_from is not None:
        for i in range(int(size * dense_from), size - 1, 40):
            if scan[i - 1] != 0xFF:  # not the follower of a 0xFF already there
                scan[i:i + 2] = b"\xff\x00"
    for at in (3, 70_001, size // 2 + 1, size - 2):
        while 0xFF in scan[at - 1:at + 2]:  # not on or right after a 0xFF already there
            at -= 1
        data = bytearray(scan)
        data[at:at + 2] = b"\xff\xc4"
        expected = re.search(rb"\xff[^\x00\xd0-\xd7]", bytes(data)).start()
        assert scan_end(bytes(data), 0, False) == expected == at
    assert scan_end(bytes(scan), 0, False) == -1


PICTURES = {
    "baseline jpeg": lambda: _jpeg(),
    "progressive jpeg": lambda: _jpeg(progressive=True),
    "png": lambda: gen.png_with_orientation("exif", 1),
    "webp": lambda: gen.webp_with_orientation("exif", 1),
    "gif": gen.gif_with_metadata,
}
_MADE: dict[str, tuple[bytes, bytes]] = {}


def _picture(kind: str) -> tuple[bytes, bytes]:
    if kind not in _MADE:
        picture = PICTURES[kind]()
        _MADE[kind] = (picture, clean_bytes(picture).data)
    return _MADE[kind]


@settings(max_examples=60, deadline=None)
@given(kind=st.sampled_from(sorted(PICTURES)), tail=st.binary(min_size=1, max_size=3000),
       marked=st.sampled_from([b"", b"\xff\xd8\xff\xe1", b"\xff\xd9", b"AXS!", b"IEND", b"\x3b", b"RIFF"]))
def test_whatever_follows_a_picture_is_never_published(kind, tail, marked):
    """Property: for any bytes after a picture's end (random, or starting with what looks like another picture,
    an end marker or a trailer), the published file is the picture's clean form, and the report says so."""
    picture, clean = _picture(kind)
    cleaned = clean_bytes(picture + marked + tail)
    assert cleaned.data == clean
    size = len(marked) + len(tail)
    said = f"{size:,} byte{'s' if size != 1 else ''} after the picture's end"
    assert any(r.startswith(said) for r in cleaned.removed), cleaned.removed
