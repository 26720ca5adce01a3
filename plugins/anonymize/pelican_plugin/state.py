"""Everything one build knows, in one object: made when a build starts, dropped when it ends.

Pelican may run many builds in one process (`pelican --autoreload`, which `invoke livereload` uses), so no
step keeps anything of its own between builds: each reads and writes the fields of `current()`. `begin()`
and `end()` are called only by the plugin's guard around `Pelican.run` (plugin.py), whatever the entry point.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from anonymize.scrub.errors import AnonymizeError
from anonymize.scrub.report import Report

Stamp = tuple[int, int]  # (inode, ctime in ns)


@dataclass
class OutputRecord:
    """What output hygiene (speed/stale_output.py) needs: the folder as the build found it, and what it wrote."""

    output: str
    retention: tuple[str, ...]
    before: dict[str, Stamp]  # every file under the output when the build began, by path
    written: set[str] = field(default_factory=set)  # every file a step of this build wrote (pages, feeds, images)
    reused: set[str] = field(default_factory=set)  # earlier files a step uses as they are (Pagefind's)
    obsolete: set[str] = field(default_factory=set)  # files known out of date whatever their times say


@dataclass
class BuildState:
    settings: Any = None
    report: Report = field(default_factory=Report)
    errors: list[AnonymizeError] = field(default_factory=list)
    # source -> its unacknowledged identifier findings, as "line N: kind 'text'" (the publish gate's lines)
    identifiers: dict[str, list[str]] = field(default_factory=dict)
    prescrubbed: bool = False
    articles: list = field(default_factory=list)  # published essays (generator.articles)
    hidden_articles: list = field(default_factory=list)
    # images (output/image_publish.py): cleaned files staged outside the output until the build has passed
    image_dir: str | None = None
    images_staged: list[tuple[str, str]] = field(default_factory=list)  # (save_as, staged file)
    image_days: dict[str, datetime] = field(default_factory=dict)  # save_as -> first essay's publication day
    # the search index (output/search_index.py)
    search_globs: list[str] = field(default_factory=list)
    search_run: tuple[subprocess.Popen, str, IO[bytes]] | None = None
    # output hygiene (speed/stale_output.py); None when Pelican wipes the folder first
    record: OutputRecord | None = None
    ahead: Any = None  # speed/audit_ahead.py's worker, when it runs
    scrub_cache: Any = None  # speed/scrub_cache.py's handle, when the cache is on
    prescrub: Any = None  # speed/prescrub.py's workers, when they run
    finished: bool = False  # every step of the last signal ran

    def close(self) -> None:
        """Release what the build holds outside Python: workers, a running Pagefind, staged images."""
        if self.prescrub is not None:
            self.prescrub.finish()
        self.close_search()
        if self.image_dir:
            shutil.rmtree(self.image_dir, ignore_errors=True)
            self.image_dir = None
        self.images_staged.clear()

    def close_search(self) -> None:
        """A build that stopped half-way leaves no Pagefind behind: livereload goes on, and a failed publish
        discards its staging folder, which Pagefind must not still be writing into."""
        if self.search_run is not None:
            proc, _output, log = self.search_run
            self.search_run = None
            proc.kill()
            proc.wait()
            log.close()


_current: BuildState | None = None


def begin(settings=None) -> BuildState:
    """Start a fresh build: whatever an earlier one left (it may have stopped half-way) is released first."""
    global _current
    end()
    _current = BuildState(settings=settings)
    return _current


def end() -> None:
    """Drop the build's state, releasing what it holds."""
    global _current
    if _current is not None:
        _current.close()
    _current = None


def current() -> BuildState:
    """The running build's state (a fresh one outside a build: a reader used on its own, in a worker or a test)."""
    global _current
    if _current is None:
        _current = BuildState()
    return _current
