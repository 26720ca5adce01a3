"""File names and times: a published name or mtime must not carry a source's name or moment."""

from __future__ import annotations

import gzip
import os
import re

# Names that phones, scanners and editors give files (IMG_20240305_143107.jpg, Screenshot 2024-03-05 at 14.31.07.png).
SOURCE_NAME = re.compile(
    r"(?:IMG|VID|PXL|DSC|DSCN|DSCF|SAM|WP|MVIMG|PANO|Screenshot|Screen Shot|Scan|Photo|image)[-_ ]?\d"
    r"|\d{8}[-_ T]?\d{6}|\d{4}-\d{2}-\d{2}[ _T]\d{2}[.:]\d{2}|draft|final|copy of|\(\d+\)",
    re.I,
)
IMAGE_NAME = re.compile(r"^[0-9a-f]{20}\.(?:jpg|png|webp|gif)$")
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".tif", ".tiff", ".bmp"}


def check_name_and_time(rel: str, path: str) -> list[str]:
    problems = []
    name = os.path.basename(rel)
    suffix = os.path.splitext(name)[1].lower()
    if SOURCE_NAME.search(name):
        problems.append(f"file name looks like a source name or time: {name}")
    in_theme = rel.startswith(("theme/", "pagefind/"))
    if suffix in IMAGE_SUFFIXES and not in_theme and not IMAGE_NAME.match(name):
        problems.append(f"image name is not a content hash: {name}")
    mtime = os.stat(path, follow_symlinks=False).st_mtime
    if mtime % 86400:
        problems.append("modification time carries a time of day (must be 00:00 UTC of a day)")
    return problems


def decoded_text(data: bytes, rel: str) -> str | None:
    """The text of a file, gunzipped if needed (search index fragments); None for binary files."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError):
            return None
        if data.startswith(b"pagefind_dcd"):
            data = data[len(b"pagefind_dcd"):]
    if b"\x00" in data[:4096] and not rel.endswith((".pf_fragment", ".pf_meta", ".pf_index", ".pf_filter")):
        return None
    return data.decode("utf-8", "replace")
