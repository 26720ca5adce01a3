"""The audit reads each published image to the end its own structure declares: bytes after it fail, naming the file.

Each case plants, in a copy of the built sample site, a picture that is clean
up to its end (as the scrubber publishes it) with something after that end:
the second picture of a multi-picture file, an AFCP trailer, camera slack,
or, inside a progressive JPEG, a comment between its scans.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import imagegen as gen
import pytest
from anonymize.audit import Policy, audit_site, image_bytes
from anonymize.scrub.images import clean_bytes
from blake3 import blake3

POLICY = Policy(site_hosts=frozenset({"unsigned.example"}))
MIDNIGHT = 1_767_225_600  # 2026-01-01 00:00 UTC


def _clean(data: bytes) -> bytes:
    return clean_bytes(data).data


def _progressive_comment_between_scans() -> bytes:
    buf = io.BytesIO()
    gen.quadrants(64, 48).save(buf, "JPEG", quality=90, progressive=True)
    data = buf.getvalue()
    second_sos = data.index(b"\xff\xda", data.index(b"\xff\xda") + 2)
    return data[:second_sos] + b"\xff\xfe\x00\x0eplanted-note" + data[second_sos:]


def _jpeg(progressive: bool = False) -> bytes:
    buf = io.BytesIO()
    gen.quadrants(64, 48).save(buf, "JPEG", quality=90, progressive=progressive)
    return buf.getvalue()


# name -> (published bytes, extension, words the finding must contain)
CASES = {
    "jpeg + second picture with EXIF": (lambda: _jpeg() + gen.multi_picture_parts()[1], ".jpg", "bytes after the end"),
    "jpeg + AFCP trailer": (lambda: _jpeg() + gen.afcp_trailer(len(_jpeg())), ".jpg", "bytes after the end"),
    "progressive jpeg + slack": (lambda: _jpeg(True) + b"\x00" * 64 + gen.SLACK_SECRET.encode(), ".jpg",
                                 "bytes after the end"),
    "progressive jpeg, comment between scans": (_progressive_comment_between_scans, ".jpg",
                                                "comment between its scans"),
    "png + tail": (lambda: gen.with_tail(_clean(gen.png_with_orientation("exif", 1))), ".png", "after its IEND"),
    "webp + tail": (lambda: gen.with_tail(_clean(gen.webp_with_orientation("exif", 1))), ".webp",
                    "after the size its RIFF header declares"),
    "gif + tail": (lambda: gen.with_tail(_clean(gen.gif_with_metadata())), ".gif", "after its trailer"),
}


@pytest.fixture(scope="module")
def clean_site(site, tmp_path_factory):
    root = tmp_path_factory.mktemp("audit-images") / "clean"
    shutil.copytree(site.output, root, copy_function=shutil.copy2)
    return root


def test_published_images_end_where_they_say(clean_site):
    images = sorted((clean_site / "images").iterdir())
    assert images
    for path in images:
        data = path.read_bytes()
        assert image_bytes.check(image_bytes.kind_of(data), data, path.name) == [], path.name


@pytest.mark.parametrize("case", sorted(CASES))
def test_bytes_after_an_image_fail_the_audit_naming_the_file(case, clean_site, tmp_path):
    make, ext, words = CASES[case]
    data = make()
    assert image_bytes.check(image_bytes.kind_of(_clean(data)), _clean(data), "x") == [], "the scrubber's output passes"
    root = tmp_path / "site"
    shutil.copytree(clean_site, root, copy_function=shutil.copy2)
    planted = root / "images" / (blake3(data).hexdigest()[:20] + ext)
    planted.write_bytes(data)
    os.utime(planted, (MIDNIGHT, MIDNIGHT))
    problems = audit_site(root, POLICY)
    named = [p for p in problems if p.path == str(Path("images") / planted.name)]
    assert named and any(words in p.what for p in named), problems
