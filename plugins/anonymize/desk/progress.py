"""Progress for long work, in the terminal idiom of Python tools (rich): a spinner or a bar on stderr.

On a terminal only: in a pipe, a log or a test nothing is drawn and nothing is added to the output, unless
FORCE_COLOR / TTY_COMPATIBLE make rich treat the stream as a terminal.

rich is imported only when it could draw: importing it costs about 60 ms, a fifth of `invoke scrub` on eight
photos, and in a pipe or a log it would only decide not to draw.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


def _may_draw() -> bool:
    """False only where rich's Console(stderr=True).is_terminal is surely False; rich decides every other case."""
    tty_compatible = os.environ.get("TTY_COMPATIBLE", "")
    if tty_compatible == "0":
        return False
    if tty_compatible == "1" or os.environ.get("FORCE_COLOR") is not None:
        return True
    try:
        return bool(sys.stderr.isatty())
    except (AttributeError, ValueError):  # no stderr, or a closed one: rich says False too
        return False


def _console():
    """rich's console on stderr, or None where it would not draw."""
    if not _may_draw():
        return None
    from rich.console import Console

    console = Console(stderr=True)
    return console if console.is_terminal else None


@contextmanager
def status(text: str) -> Iterator[None]:
    """A spinner with `text` while the block runs."""
    console = _console()
    if console is None:
        yield
        return
    with console.status(text):
        yield


def bar(items: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
    """Yield `items`, drawing a bar of how many are done."""
    console = _console()
    if console is None:
        yield from items
        return
    from rich.progress import track

    yield from track(items, description=description, total=total, console=console, transient=True)
