"""Atomic publishing: the live site is a symbolic link swapped in one rename.

`rename(2)` over an existing link is atomic on POSIX file systems, so
readers see either the old site or the new one. Earlier builds are kept
(the last few) so a bad publish can be rolled back by pointing the link back.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

KEEP = 3


def _token(nbytes: int) -> str:
    """Random hex for a unique name: `secrets.token_hex` is os.urandom too, but `secrets` loads OpenSSL (~3 ms of
    every `invoke` start, as tasks.py imports this module for every task)."""
    return os.urandom(nbytes).hex()


def published_target(output: Path) -> Path | None:
    """The published folder `output` links to (made by `swap`), or None when it is an ordinary folder."""
    if not output.is_symlink():
        return None
    target = Path(os.path.realpath(output))
    return target if target.parent.name == ".sites" and target.name.startswith("site-") else None


def new_staging(sites: Path) -> Path:
    sites.mkdir(parents=True, exist_ok=True)
    path = sites / f"site-{_token(6)}"
    path.mkdir()
    return path


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def swap(live: Path, staging: Path) -> Path | None:
    """Point `live` at `staging` atomically; return the folder it pointed at before (if any)."""
    previous: Path | None = None
    if live.is_symlink():
        previous = Path(os.path.realpath(live))
    elif live.exists():
        # First publish over a plain folder: keep it as a previous site, then link.
        previous = staging.parent / f"site-previous-{_token(4)}"
        os.replace(live, previous)
    link = live.with_name(f".{live.name}.link-{_token(4)}")
    os.symlink(os.path.relpath(staging, live.parent), link)
    os.replace(link, live)
    _prune(staging.parent, keep={staging, previous})
    return previous


def _prune(sites: Path, keep: set) -> None:
    folders = sorted((p for p in sites.iterdir() if p.is_dir() and p not in keep), key=lambda p: p.stat().st_mtime)
    for old in folders[:-KEEP] if len(folders) > KEEP else []:
        shutil.rmtree(old, ignore_errors=True)
