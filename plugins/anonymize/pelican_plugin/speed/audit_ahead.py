"""Run the audit's content checks on each page and feed as Pelican writes it, on a core Pelican leaves idle.

Pelican renders and writes pages one after another in one process; on any
machine with a second core, that core waits. The build's audit (`invoke
build`) reuses content-check results by the SHA-256 of a file's bytes
(`audit.AuditCache`). Here a worker process runs the audit's own checks on
each page right after it is written and adds the results to that cache. The
audit proper still walks every file, hashes it, checks anything whose bytes
differ from what was checked here (the sitemap is rewritten later, the search
index is written after), and checks every name and mtime itself. So this
changes when the checks run, never what is checked or by which code.

On only when the build names the audit's cache (`ANONYMIZE_AUDIT_CACHE_PATH`,
set by `invoke build`), more than one worker is allowed and `ANONYMIZE_AUDIT_AHEAD` is on (the default).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor

from anonymize.pelican_plugin import state
from anonymize.pelican_plugin.output import audit_handover
from anonymize.pelican_plugin.speed import prescrub

logger = logging.getLogger("anonymize")
BATCH = 64


class _Ahead:
    def __init__(self, settings) -> None:
        self.settings = settings
        self.output = os.path.abspath(settings["OUTPUT_PATH"])
        self.cache_dir = settings["ANONYMIZE_AUDIT_CACHE_PATH"]
        self.pool: ProcessPoolExecutor | None = None
        self.policy = None
        self.cache = None
        self.pending: list[str] = []
        self.futures: list[Future] = []

    def start(self, articles) -> None:
        from anonymize.audit import AuditCache, Policy

        self.policy = Policy.from_dict(audit_handover.policy_for(self.settings, articles))
        self.cache = AuditCache(self.cache_dir, self.policy)
        # The worker is forked with the bytes checked before (initargs are inherited, not pickled), and skips them.
        self.pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                                        initializer=_in_worker, initargs=(frozenset(self.cache.known),))

    def written(self, path: str) -> None:
        full = os.path.abspath(path)
        if not full.startswith(self.output + os.sep):  # (a prefix test: relpath cost more than the rest)
            return
        self.pending.append(full[len(self.output) + 1:].replace(os.sep, "/"))
        if len(self.pending) >= BATCH:
            self._submit()

    def _submit(self) -> None:
        if self.pending and self.pool:
            self.futures.append(self.pool.submit(_check_batch, self.output, self.pending, self.policy))
            self.pending = []

    def finish(self) -> None:
        """Collect the results into the audit's cache; a failure here only means the audit checks more."""
        self._submit()
        results: dict[str, list[str]] = {}
        try:
            for future in self.futures:
                for _rel, key, problems in future.result():
                    results[key] = problems
        except Exception as exc:  # noqa: BLE001 - the audit proper will check these files itself
            logger.warning("anonymize: checking pages ahead of the audit failed (%s); the audit reads them all", exc)
            results = {}
        finally:
            if self.pool:
                self.pool.shutdown(wait=True)
        if results:
            self.cache.add(results)
        logger.info("anonymize: %d pages checked ahead of the audit", len(results))


_known: frozenset[str] = frozenset()  # set only inside the worker process, by its initializer


def _in_worker(known: frozenset[str]) -> None:
    global _known
    _known = known


def _check_batch(root: str, rels: list[str], policy) -> list[tuple[str, str, list[str]]]:
    """In the worker: the audit's content checks of pages whose bytes it has not seen before."""
    from anonymize.audit import check_contents

    return check_contents(root, rels, policy, _known)


def on_generators(generators) -> None:
    """Start the worker once the content is read and the audit policy is known."""
    settings = generators[0].settings if generators else {}
    if (not settings.get("ANONYMIZE_AUDIT_AHEAD", True) or not settings.get("ANONYMIZE_AUDIT_CACHE_PATH")
            or prescrub.workers(settings) < 2):
        return
    ahead = state.current().ahead = _Ahead(settings)
    ahead.start(audit_handover.every_article())


def on_written(path, context=None, **_kw) -> None:
    ahead = state.current().ahead
    if ahead is not None:
        ahead.written(path)


def on_finalized(pelican) -> None:
    current = state.current()
    if current.ahead is not None:
        ahead, current.ahead = current.ahead, None
        ahead.finish()
