"""The command line's one convention: one line per problem, `file: problem: what to do`, then exit status 1.

A traceback is a bug report: it is shown only with `invoke --debug TASK` (or UNSIGNED_DEBUG=1). Tasks are declared
with `task` from here instead of invoke's, so every task follows the convention without saying so.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Callable, Iterable

import invoke


class Refused(Exception):
    """A refusal a person can act on: one or more lines `file: problem: what to do`."""

    def __init__(self, *lines: str) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)


def debugging() -> bool:
    """`invoke --debug TASK` turns on invoke's debug logging; UNSIGNED_DEBUG=1 does the same for child processes."""
    return bool(os.environ.get("UNSIGNED_DEBUG")) or logging.getLogger().isEnabledFor(logging.DEBUG)


def lines_of(exc: BaseException) -> list[str] | None:
    """The lines of an error we know how to state, or None for a bug."""
    if isinstance(exc, Refused):
        return exc.lines
    lines = getattr(exc, "lines", None)
    if isinstance(lines, list) and lines:
        return [str(line) for line in lines]
    from anonymize.desk.formats import IntakeError
    from anonymize.desk.gitdesk import DeskGitError
    from anonymize.desk.lock import Busy
    from anonymize.scrub.errors import AnonymizeError
    from anonymize.scrub.images import ImageError

    if isinstance(exc, AnonymizeError | IntakeError | DeskGitError | ImageError | Busy):
        return str(exc).splitlines() or [type(exc).__name__]
    return None


def fail(lines: Iterable[str], code: int = 1) -> invoke.Exit:
    """Print each line to stderr; the Exit to raise (with no message of its own)."""
    for line in lines:
        print(line, file=sys.stderr)
    return invoke.Exit(code=code)


def one_line_errors(fn: Callable) -> Callable:
    """Run `fn`; a known error becomes its lines and exit 1; any other error one line unless debugging."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (invoke.Exit, KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - every error ends as lines, tracebacks only when asked for
            if debugging():
                raise
            lines = lines_of(exc)
            if lines is None:
                lines = [f"{fn.__name__}: unexpected {type(exc).__name__}: {exc}: "
                         f"run it again as `invoke --debug {fn.__name__} ...` and report the traceback"]
            raise fail(lines) from None

    return run


def task(*args, **kwargs):
    """invoke's `@task`, with the one-line-error convention around the task's body."""
    if len(args) == 1 and callable(args[0]) and not kwargs:
        return invoke.task(one_line_errors(args[0]))
    return lambda fn: invoke.task(*args, **kwargs)(one_line_errors(fn))


def port_number(value: str | int, option: str = "--port") -> int:
    """A TCP port from the command line, or a one-line refusal."""
    try:
        number = int(str(value))
    except ValueError:
        number = 0
    if not 1 <= number <= 65535:
        raise Refused(f"{option} {value}: not a port number: give a number from 1 to 65535 (e.g. 8000)")
    return number
