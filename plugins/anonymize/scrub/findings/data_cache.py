"""Word and place data, derived once per machine instead of once per process.

The name and place detectors need about 200,000 words derived from maintained packages (census names, nam_dict,
wordfreq) and from our gazetteer table. Deriving them takes most of a second, and every build worker, every
`invoke review` and every test process would pay it. The derived values are plain dicts, sets and numbers, so they
are kept with `marshal` (which holds only such values and runs no code on load) in the user's cache folder, like
Python's own `__pycache__`, and loaded in milliseconds.

A file is used only if its name matches the hash of everything it was derived from: the input files' bytes (the
packages' data files and our table) and the source of the module that derived it. Change any of them and the value
is derived again. Any problem reading or writing the cache is not an error: the value is derived in memory, as
without a cache. `UNSIGNED_DATA_CACHE` names another folder; set it to an empty string to turn the cache off.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
_FORMAT = b"unsigned-data-1"


def package_file(package: str, *parts: str) -> Path:
    """A data file inside an installed package, found without importing the package (importing wordfreq alone
    costs a third of a second)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"the package {package!r} is not installed: run `make .venv/.installed`")
    return Path(next(iter(spec.submodule_search_locations)), *parts)


def folder() -> Path | None:
    """Where derived data is kept, or None when the cache is turned off."""
    configured = os.environ.get("UNSIGNED_DATA_CACHE")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "unsigned")


def _digest(name: str, inputs: Iterable[Path]) -> str:
    # marshal's format belongs to the Python version that wrote it
    h = hashlib.sha256(_FORMAT + b"\0" + name.encode() + f"\0{sys.version_info[:2]}\0{marshal.version}".encode())
    for path in inputs:
        h.update(b"\0" + str(path.name).encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()[:32]


def cached(name: str, inputs: Iterable[Path], derive: Callable[[], T]) -> T:
    """`derive()`, or the value it gave before for exactly these inputs."""
    place = folder()
    inputs = list(inputs)
    if place is None:
        return derive()
    try:
        path = place / f"{name}-{_digest(name, inputs)}.marshal"
    except OSError:
        return derive()  # an input is missing: derive() names it
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass
    value = derive()
    try:
        place.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}-", dir=place)
        with os.fdopen(fd, "wb") as fh:
            fh.write(marshal.dumps(value))
        os.replace(tmp, path)
        for old in place.glob(f"{name}-*.marshal"):  # earlier derivations of the same data
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, ValueError):
        pass
    return value
