"""`invoke scrub`: clean image files before they are sent or published; the originals are never touched.

Cleaned copies are named by their content hash, because a phone's file name (IMG_20240305_143107.jpg) carries the
minute the photo was taken.
"""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from anonymize.cli import Refused
from anonymize.desk import progress


def image_paths(given: list[str]) -> list[Path]:
    """Every file named, folders opened (hidden files skipped); Refused naming each path that does not exist."""
    found: list[Path] = []
    missing = []
    for raw in given:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            found.append(path)
        else:
            missing.append(f"{raw}: no such file or folder: give an image or a folder of images")
    if missing:
        raise Refused(*missing)
    return found


def scrub(given: list[str], out: str | None, show: bool) -> int:
    """Clean (or only show) every image; print one line per file; return how many could not be cleaned."""
    from anonymize.scrub.images import ImageError, clean_file, hashed_name, show_bytes

    paths = image_paths(given)
    if not paths:
        raise Refused("scrub: no image given: invoke scrub --out DIR -- PHOTO... (or --path PHOTO)")
    if not show and not out:
        raise Refused("scrub: no --out: say where the cleaned copies go (--out DIR), or use --show")
    target = Path(out) if out else None
    if target:
        target.mkdir(parents=True, exist_ok=True)

    def one(src: Path) -> tuple[str, bool]:
        """Clean one file; the line to print and whether it failed (runs in a thread)."""
        try:
            if show:
                kind, removed = show_bytes(src.read_bytes())
                return f"{src}: {kind}; would remove: {', '.join(removed) or 'nothing'}", False
            cleaned = clean_file(src)
        except ImageError as exc:
            return f"{src}: refused: {exc}", True
        dest = target / hashed_name(cleaned)
        if dest.resolve() == src.resolve():
            return f"{src}: already clean", False
        tmp = dest.with_name(f"{dest.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        with open(tmp, "wb") as fh:
            cleaned.write_to(fh)
        tmp.replace(dest)
        how = "" if cleaned.method == "lossless" else f" ({cleaned.method})"
        return f"{src} -> {dest}{how}; removed: {', '.join(cleaned.removed) or 'nothing'}", False

    failures = 0
    # Reading, hashing and writing release the GIL: a few threads keep the disks and cores busy.
    with ThreadPoolExecutor(max_workers=min(4, (os.cpu_count() or 1) + 1)) as pool:
        for line, failed in progress.bar(pool.map(one, paths), "Scrubbing images", total=len(paths)):
            failures += failed
            print(line, file=sys.stderr if failed else sys.stdout)
    return failures
