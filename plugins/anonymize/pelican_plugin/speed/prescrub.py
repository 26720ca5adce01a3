"""Read and scrub changed sources on every core while Pelican reads them one by one.

Pelican reads content files in one process, one after another; Markdown and
the scrubber are most of a build. When the first generator is about to read,
this step finds the sources the scrub cache does not hold yet and hands them
to worker processes, which fill the cache. Pelican's own pass starts at once:
each source it reaches either comes from the cache (the same HTML, metadata
and report as a cold read; the cache's own tests hold it to that) or, if a
worker still has it in hand, waits for that worker (`wait_for`). A source
that fails in a worker is simply not cached; the build reads it again and
reports the error with the file's name, so nothing about failing closed
changes here. `finish()` stops the workers once every generator has read.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
from collections.abc import Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from anonymize.paths import source_name
from anonymize.pelican_plugin import state
from anonymize.pelican_plugin.speed import scrub_cache

logger = logging.getLogger("anonymize")

# A worker process's own: the settings it was forked with and its one reader (never set in Pelican's process).
_settings: Mapping | None = None
_reader = None


def sources(settings: Mapping) -> list[Path]:
    """Markdown sources under the article and page paths (a superset of what Pelican reads is harmless)."""
    from anonymize.pelican_plugin.reader import AnonymizingMarkdownReader

    base = Path(settings.get("PATH", "content"))
    exts = tuple("." + e for e in AnonymizingMarkdownReader.file_extensions)
    found: set[Path] = set()
    for sub in [*settings.get("ARTICLE_PATHS", [""]), *settings.get("PAGE_PATHS", [])]:
        for folder, _dirs, files in os.walk(base / sub, followlinks=True):  # as Path.rglob, without its cost
            found.update(Path(folder, name) for name in files
                         if name.endswith(exts) and os.path.isfile(os.path.join(folder, name)))
    return sorted(found)


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


class Prescrub:
    """The workers of one build, which source each is scrubbing, and each source's key as first read."""

    def __init__(self) -> None:
        self.pool: ProcessPoolExecutor | None = None
        self.early: ProcessPoolExecutor | None = None  # the one worker started at the first changed source
        self.workers = 0
        self.total = 0
        self.pending: dict[str, Future] = {}  # cache key -> the batch that scrubs it
        self.batches: list[Future] = []
        # absolute path -> (mtime in ns, size, source name, cache key) of each source as this build first read it
        self.hashed: dict[str, tuple[int, int, str, str]] = {}

    def hashed_key(self, source_path: str, source: str) -> str | None:
        """The cache key computed here for a source whose size and time have not changed since, so the build
        need not read and hash it again; None when there is none or the file may have changed."""
        known = self.hashed.get(os.path.abspath(source_path))
        if known is None or known[2] != source:
            return None
        try:
            stat = os.stat(source_path)
        except OSError:
            return None
        return known[3] if (stat.st_mtime_ns, stat.st_size) == known[:2] else None

    def wait_for(self, key: str) -> None:
        """Before the build reads a source: if a worker has it in hand, let it finish (its result is cached)."""
        future = self.pending.pop(key, None)
        if future is not None:
            try:
                future.result()
            except Exception:  # noqa: BLE001 - the build reads the source itself and reports what is wrong
                pass

    def finish(self) -> None:
        """Stop the workers (also after a build that stopped half-way)."""
        if self.pool is None and self.early is None:
            return
        pools = [p for p in (self.early, self.pool) if p is not None]
        self.pool = self.early = None
        done = 0
        for future in self.batches:
            try:
                done += future.result()
            except Exception:  # noqa: BLE001 - as in wait_for
                pass
        self.pending.clear()
        for pool in pools:
            pool.shutdown(wait=True)
        gc.unfreeze()
        logger.info("anonymize: scrubbed %d of %d sources in %d worker processes", done, self.total, self.workers)


def prescrub(settings: Mapping) -> int:
    """Start scrubbing every uncached source in worker processes; return how many were handed out.

    Sources are hashed here one after another; each batch goes to the workers as soon as it is known, so they start
    on the first while the rest are still being read. With a cache already there (a rebuild), the first changed
    source goes at once to a worker of its own: Pelican reads in the same order as this loop, and would otherwise wait
    at that source for the whole hashing pass and a worker's start (loading the findings' data) one after the other.
    """
    global _settings
    finish()
    run = state.current().prescrub = Prescrub()
    cache = scrub_cache.for_settings(settings)
    n = workers(settings)
    if cache is None or n < 2:
        return 0
    _settings = settings
    root = settings.get("PATH", "content")
    found = sources(settings)
    size = max(1, len(found) // (n * 16))  # small batches: Pelican waits for a source's batch only
    warm = cache.dir.is_dir()
    batch: list[tuple[str, str]] = []
    for path in found:
        stat = path.stat()  # before the read: a file changed meanwhile is simply read again by the build
        raw = path.read_bytes()
        source = source_name(str(path), root)  # as the reader names it, so its hashed_key matches
        key = cache.key(raw, source)
        run.hashed[os.path.abspath(path)] = (stat.st_mtime_ns, stat.st_size, source, key)
        if not cache.has(key):
            if warm and run.early is None and run.pool is None:
                _submit_early(run, cache, str(path), key)
                continue
            batch.append((str(path), key))
            if len(batch) == size:
                _submit(run, cache, n, batch)
                batch = []
    if batch:  # all that is left; if it is all there is (a rebuild), no more workers than sources
        _submit(run, cache, n if run.pool else min(n, len(batch)), batch)
    return run.total


def _pool(n: int) -> ProcessPoolExecutor:
    # Objects inherited from this process stay out of the workers' garbage collections: collecting them would
    # touch (and so copy) every inherited page in every worker.
    gc.freeze()
    context = multiprocessing.get_context("fork")  # workers inherit the loaded code and settings
    return ProcessPoolExecutor(max_workers=n, mp_context=context, initializer=_in_worker)


def _submit(run: Prescrub, cache, n: int, batch: list[tuple[str, str]]) -> None:
    if run.pool is None:
        run.pool = _pool(n)
        run.workers += n
    _hand(run, run.pool, cache, batch)


def _submit_early(run: Prescrub, cache, path: str, key: str) -> None:
    """The first changed source of a rebuild, to a worker started for it alone (later ones go to the pool)."""
    run.early = _pool(1)
    run.workers += 1
    _hand(run, run.early, cache, [(path, key)])


def _hand(run: Prescrub, pool: ProcessPoolExecutor, cache, batch: list[tuple[str, str]]) -> None:
    cache.expect_fresh([key for _, key in batch])
    future = pool.submit(_scrub_batch, [path for path, _ in batch])
    run.batches.append(future)
    run.total += len(batch)
    for _, key in batch:
        run.pending[key] = future


def finish() -> None:
    """Once every generator has read: stop the workers."""
    run = state.current().prescrub
    if run is not None:
        run.finish()


def on_generators(generators) -> None:
    finish()


def _in_worker() -> None:
    """A worker's copy of the parent's futures means nothing here: its reader must never wait on them."""
    state.current().prescrub = None


def _scrub_batch(paths: list[str]) -> int:
    return sum(_scrub_one(path) for path in paths)


def _scrub_one(path: str) -> int:
    """In a worker: read one source through our reader, which caches it when it passes every check."""
    global _reader
    from anonymize.pelican_plugin.reader import AnonymizingMarkdownReader

    if _reader is None:
        _reader = AnonymizingMarkdownReader(_settings)
    try:
        _reader.read(path)
    except Exception:  # noqa: BLE001 - the build's own read reports it, naming the file
        return 0
    return 1
