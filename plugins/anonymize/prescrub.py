"""Read and scrub changed sources on every core before Pelican reads them one by one.

Pelican reads content files in one process, one after another; Markdown and
the scrubber are most of a build. Before the first generator reads, this
step finds the sources the scrub cache does not hold yet and runs our reader
on them in worker processes, which fill the cache. Pelican's own pass then
replays each result from the cache: the same HTML, metadata and report as a
cold read (the cache's own tests hold it to that). A source that fails in a
worker is simply not cached; the build reads it again and reports the error
with the file's name, so nothing about failing closed changes here.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from . import scrub_cache

logger = logging.getLogger("anonymize")

# Below this many uncached sources, starting workers costs more than it saves.
MIN_SOURCES = 16

_settings: Mapping | None = None
_reader = None


def sources(settings: Mapping) -> list[Path]:
    """Markdown sources under the article and page paths (a superset of what Pelican reads is harmless)."""
    from .reader import AnonymizingMarkdownReader

    base = Path(settings.get("PATH", "content"))
    exts = tuple("." + e for e in AnonymizingMarkdownReader.file_extensions)
    found: list[Path] = []
    for sub in [*settings.get("ARTICLE_PATHS", [""]), *settings.get("PAGE_PATHS", [])]:
        root = base / sub
        if root.is_dir():
            found += [p for p in root.rglob("*") if p.suffix in exts and p.is_file()]
    return sorted(set(found))


def workers(settings: Mapping) -> int:
    """ANONYMIZE_WORKERS, or one per CPU; a value that is not a whole number is refused with a warning."""
    configured = settings.get("ANONYMIZE_WORKERS")
    if configured in (None, ""):
        return os.cpu_count() or 1
    try:
        return max(1, int(configured))
    except (TypeError, ValueError):
        logger.warning("anonymize: ANONYMIZE_WORKERS=%r is not a whole number; using one process", configured)
        return 1


def prescrub(settings: Mapping) -> int:
    """Fill the scrub cache for every uncached source, in parallel; return how many were scrubbed."""
    global _settings
    cache = scrub_cache.for_settings(settings)
    n = workers(settings)
    if cache is None or n < 2:
        return 0
    base = Path(settings.get("PATH", "content")).resolve()
    todo: list[str] = []
    keys: list[str] = []
    for path in sources(settings):
        raw = path.read_bytes()
        source = path.resolve().relative_to(base).as_posix()
        key = cache.key(raw, source)
        if not cache.has(key):
            todo.append(str(path))
            keys.append(key)
    if len(todo) < MIN_SOURCES:
        return 0
    _settings = settings
    context = multiprocessing.get_context("fork")  # workers inherit the loaded code and settings
    chunk = max(1, len(todo) // (n * 8))
    # Objects inherited from this process stay out of the workers' garbage collections: collecting them would
    # touch (and so copy) every inherited page in every worker.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=n, mp_context=context) as pool:
            done = sum(pool.map(_scrub_one, todo, chunksize=chunk))
    finally:
        gc.unfreeze()
    cache.expect_fresh(keys)
    logger.info("anonymize: scrubbed %d of %d sources in %d worker processes", done, len(todo), n)
    return done


def _scrub_one(path: str) -> int:
    """In a worker: read one source through our reader, which caches it when it passes every check."""
    global _reader
    from .reader import AnonymizingMarkdownReader

    if _reader is None:
        _reader = AnonymizingMarkdownReader(_settings)
    try:
        _reader.read(path)
    except Exception:  # noqa: BLE001 - the build's own read reports it, naming the file
        return 0
    return 1
