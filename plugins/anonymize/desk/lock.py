"""One build or publish at a time per output folder: a lock beside the folder that names its holder.

The lock is `fcntl.flock` on `.<name>.lock` next to the folder (never inside it: the build empties and the audit
reads the folder). The kernel drops a flock when its process ends, however it ends, so a lock left by a killed
build is recovered by the next one without asking anyone; the file's text only says who holds it.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class Busy(Exception):
    """Another process holds the folder; the message names it."""


def lock_path(folder: Path) -> Path:
    folder = Path(os.path.abspath(folder))
    return folder.with_name(f".{folder.name}.lock")


def holder(path: Path) -> str:
    """Who the lock file says holds it: `pid 123 (invoke build), since 12:01:02 UTC`."""
    try:
        info = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return "another process"
    since = time.strftime("%H:%M:%S UTC", time.gmtime(info.get("since", 0)))
    return f"pid {info.get('pid')} ({info.get('command', '?')}), since {since}"


@contextmanager
def held(folder: Path, command: str) -> Iterator[Path]:
    """Hold the lock of `folder` for the block; Busy when another live process holds it."""
    path = lock_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(f"{folder}: in use by {holder(path)}: wait for it to finish, or stop it") from None
        info = {"pid": os.getpid(), "host": socket.gethostname(), "command": command, "since": int(time.time())}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the flock
