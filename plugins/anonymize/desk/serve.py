"""`serve` and `livereload`: every process they start is stopped when they are (Ctrl-C, SIGTERM, SIGHUP).

Each child runs in a process group of its own, so stopping it stops whatever it started too (Pelican's server,
a build's Pagefind). Livereload is our own loop rather than `pelican --autoreload`: Pelican's loop retries a failed
build at once, forever (the same error hundreds of times a minute); ours builds, then waits for a change, so a bad
file is reported once per change, in the build's own one-line form.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Children:
    """The processes a task started; all of them stop when the task is told to stop, or ends."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen] = []
        self.stopping = threading.Event()

    def start(self, cmd: list[str], **kwargs) -> subprocess.Popen:
        if self.stopping.is_set():
            raise KeyboardInterrupt
        proc = subprocess.Popen(cmd, start_new_session=True, **kwargs)
        self.procs.append(proc)
        return proc

    def stop(self, *_args) -> None:
        """Stop every child's whole process group: politely first, then for sure."""
        self.stopping.set()
        for proc in self.procs:
            _signal_group(proc, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait()
            _signal_group(proc, signal.SIGKILL)  # anything the child left behind in its group

    def __enter__(self) -> Children:
        self._before = {sig: signal.signal(sig, self._on_signal) for sig in STOP_SIGNALS}
        return self

    def _on_signal(self, signum, _frame) -> None:
        self.stopping.set()
        for proc in self.procs:
            _signal_group(proc, signal.SIGTERM)

    def __exit__(self, *_exc) -> bool:
        self.stop()
        for sig, handler in self._before.items():
            signal.signal(sig, handler)
        return False


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def serve_cmd(python: str, output: str, port: int, settings: str) -> list[str]:
    return [python, "-m", "pelican", "--listen", "-o", output, "-b", "127.0.0.1", "-p", str(port), "-s", settings]


def serve(root: Path, python: str, output: str, port: int, settings: str) -> None:
    """Serve `output` on 127.0.0.1 until stopped."""
    with Children() as kids:
        kids.start(serve_cmd(python, output, port, settings), cwd=root).wait()


def livereload(root: Path, build_cmd: list[str], output: str, port: int, settings: str, watched: list[Path],
               python: str = sys.executable) -> None:
    """Build, serve, and build again on every change of a watched path; each build's errors are printed once."""
    import watchfiles

    (root / output).mkdir(parents=True, exist_ok=True)
    with Children() as kids:
        kids.start(serve_cmd(python, output, port, settings), cwd=root)
        for _ in _changes(watchfiles, [p for p in watched if p.exists()], kids.stopping):
            kids.start(build_cmd, cwd=root).wait()
            if kids.stopping.is_set():
                return
            print(f"livereload: serving http://127.0.0.1:{port}/; waiting for a change", flush=True)


def _changes(watchfiles, paths: list[Path], stopping: threading.Event) -> Iterator[None]:
    """Once at the start, then once per batch of changes, until told to stop."""
    yield None
    for _changed in watchfiles.watch(*paths, stop_event=stopping, raise_interrupt=False, debounce=400):
        if stopping.is_set():
            return
        yield None
