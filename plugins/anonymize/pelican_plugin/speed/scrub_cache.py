"""A cache of reader results keyed by the essay's bytes and the scrubber's identity.

Editors rebuild often; re-running Markdown and every scrubber on thousands of
unchanged essays is most of a build. Pelican's own content cache is keyed by
path and mtime and knows nothing of our rules, so a new tracking rule would
not reach cached essays. This cache is keyed by the SHA-256 of the source
bytes, inside a folder named for a fingerprint of the plugin's code, its rule
tables, the libraries that shape the HTML and the settings the reader uses:
any change to those starts a fresh cache. Only essays that passed every
check are cached; the removals they reported are replayed on a hit, so the
build report is the same either way.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from importlib import metadata as importlib_metadata
from pathlib import Path

from anonymize import paths
from anonymize.pelican_plugin import state

# The whole plugin package (library, glue, desk, audit): any change to its code or tables invalidates the cache.
PLUGIN_DIR = Path(__file__).resolve().parents[2]
# The packages whose code or data decide what the reader produces (the findings read names, words and places).
LIBRARIES = ("pelican", "markdown", "beautifulsoup4", "selectolax", "nh3", "pillow", "phonenumbers", "names",
             "gender-guesser", "wordfreq")
FORMAT = 1
SOURCES = {".py", ".toml", ".txt", ".json", ".gz"}  # code, rules and data (the gazetteer is .tsv.gz)


def fingerprint(settings: Mapping) -> str:
    """Identity of everything that decides what the reader produces."""
    h = hashlib.sha256(f"format {FORMAT}\n".encode())
    for path in sorted(PLUGIN_DIR.rglob("*")):
        if path.is_file() and path.suffix in SOURCES and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(PLUGIN_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    for lib in LIBRARIES:
        try:
            h.update(f"{lib}=={importlib_metadata.version(lib)}\n".encode())
        except importlib_metadata.PackageNotFoundError:
            h.update(f"{lib} absent\n".encode())
    relevant = {
        k: v
        for k, v in settings.items()
        if (k.startswith("ANONYMIZE_") and k not in {"ANONYMIZE_REPORT_PATH", "ANONYMIZE_SCRUB_CACHE_PATH",
                                                 "ANONYMIZE_AUDIT_CACHE_PATH", "ANONYMIZE_WORKERS",
                                                 "ANONYMIZE_AUDIT_AHEAD", "ANONYMIZE_REWRITE_IN_PLACE",
                                                 "ANONYMIZE_FIXED_URLS", "ANONYMIZE_TEMPLATE_CACHE",
                                                 "ANONYMIZE_FAST_TAXONOMY"})
        or k in {"MARKDOWN", "FORMATTED_FIELDS", "PAGE_PATHS", "ARTICLE_PATHS", "STATIC_PATHS"}
    }
    h.update(json.dumps(relevant, sort_keys=True, default=repr).encode())
    return h.hexdigest()[:24]


class ScrubCache:
    """Reader results on disk, one JSON file per source digest."""

    def __init__(self, root: str | os.PathLike, settings: Mapping) -> None:
        self.root = Path(root)
        self.dir = self.root / fingerprint(settings)
        self.hits = 0
        self.misses = 0
        self._fresh: set[str] = set()  # written by this build's workers: counted as scrubbed, not reused

    @staticmethod
    def key(raw: bytes, source: str) -> str:
        # The source path is part of the key: the report names it, and pages and essays differ.
        return hashlib.sha256(source.encode() + b"\0" + raw).hexdigest()

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.json"

    def has(self, key: str) -> bool:
        return self._path(key).is_file()

    def expect_fresh(self, keys: list[str]) -> None:
        """Mark entries this build just wrote, so the log counts them as scrubbed."""
        self._fresh.update(keys)

    def get(self, key: str) -> dict | None:
        try:
            with open(self._path(key), encoding="utf-8") as fh:
                value = json.load(fh)
        except (OSError, ValueError):
            self.misses += 1
            return None
        if key in self._fresh:
            self._fresh.discard(key)
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, key: str, value: dict) -> None:
        """Write atomically: a crash never leaves a half-written entry to be trusted."""
        folder = self.dir / key[:2]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            text = json.dumps(value, ensure_ascii=False)  # one write: json.dump writes in hundreds of pieces
            fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, folder / f"{key}.json")
        except OSError:
            pass  # a cache that cannot be written only costs time on the next build

    def prune(self) -> None:
        """Drop caches made by other code, rules or settings."""
        if not self.root.is_dir():
            return
        for child in self.root.iterdir():
            if child.is_dir() and child != self.dir:
                shutil.rmtree(child, ignore_errors=True)


def for_settings(settings: Mapping) -> ScrubCache | None:
    """The build's cache, or None when `ANONYMIZE_SCRUB_CACHE` is off."""
    if not settings.get("ANONYMIZE_SCRUB_CACHE", True):
        return None
    current = state.current()
    root = Path(paths.scrub_cache_path(settings))
    if current.scrub_cache is None or current.scrub_cache.root != root:
        current.scrub_cache = ScrubCache(root, settings)
    return current.scrub_cache
