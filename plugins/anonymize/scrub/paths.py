"""Paths a source names stay inside their folder: a link, a slug, an id, a file in the content tree.

A submission is written by someone we do not know. `{static}/../../x.jpg` would make Pelican read a file outside
the content folder and write its copy outside the output; `Slug: ../../x` would make Pelican skip the essay; a
symbolic link would publish whatever it points to. These checks say which, so the caller can refuse naming it.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from urllib.parse import unquote, urlsplit

# One path segment: letters, digits, '-', '_' and '.', not starting with '.' (so never '..' or a hidden file).
SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}")
# Pelican's intra-site links: {static}x, {attach}x, {filename}x and the old |static|x form.
INTRASITE = re.compile(r"[{|](static|attach|filename)[|}]([^\"'\s<>)\]]*)")


def segment_problem(value: str) -> str | None:
    """Why `value` is not one safe path segment, or None when it is."""
    if SEGMENT.fullmatch(value) and ".." not in value:
        return None
    return "is not one safe path segment: use letters, digits, '-' and '_' only"


def escapes(source_dir: str, target: str) -> bool:
    """Whether an intra-site link `target` in a source under `source_dir` (relative to the content folder)
    resolves outside the content folder, in any of the spellings Pelican tries (as is, unquoted, unescaped)."""
    for spelling in {target, unquote(target), html.unescape(target), unquote(html.unescape(target))}:
        path = urlsplit(spelling).path.replace("\\", "/")
        joined = path.lstrip("/") if path.startswith("/") else posixpath.join(source_dir, path)
        norm = posixpath.normpath(joined) if joined else "."
        if norm == ".." or norm.startswith("../") or posixpath.isabs(norm):
            return True
    return False


def escaping_links(text: str, source: str) -> list[str]:
    """The intra-site links in `text` (of the source `source`, relative to the content folder) that leave it."""
    source_dir = posixpath.dirname(source)
    return [m.group(0) for m in INTRASITE.finditer(text) if escapes(source_dir, m.group(2))]


def inside(root: str | os.PathLike, path: str | os.PathLike) -> bool:
    """Whether `path`, every link in it resolved, is `root` or under it."""
    real_root, real = os.path.realpath(root), os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def symlinks(root: str | os.PathLike) -> list[tuple[str, str]]:
    """(path relative to root, what it points to) for every symbolic link under `root`, never following one."""
    found = []
    for dirpath, dirs, files in os.walk(root, followlinks=False):
        for name in sorted(dirs + files):
            full = os.path.join(dirpath, name)
            if os.path.islink(full):
                found.append((os.path.relpath(full, root).replace(os.sep, "/"), os.readlink(full)))
    return sorted(found)
