"""Progress for long work, in the terminal idiom of Python tools (rich): a spinner or a bar on stderr.

On a terminal only: in a pipe, a log or a test nothing is drawn and nothing is added to the output, unless
FORCE_COLOR / TTY_COMPATIBLE make rich treat the stream as a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


def _console():
    from rich.console import Console

    return Console(stderr=True)


@contextmanager
def status(text: str) -> Iterator[None]:
    """A spinner with `text` while the block runs."""
    console = _console()
    if not console.is_terminal:
        yield
        return
    with console.status(text):
        yield


def bar(items: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
    """Yield `items`, drawing a bar of how many are done."""
    console = _console()
    if not console.is_terminal:
        yield from items
        return
    from rich.progress import track

    yield from track(items, description=description, total=total, console=console, transient=True)
