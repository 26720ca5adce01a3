"""Errors that stop a build: each names the file and what is wrong with it."""

from __future__ import annotations


class AnonymizeError(Exception):
    """A source file that cannot be published safely.

    The build fails closed on it: nothing is written while one is pending.
    """

    def __init__(self, path: str, problem: str, *more: str) -> None:
        super().__init__("\n".join(f"{path}: {p}" for p in (problem, *more)))
        self.path = path
        self.problem = problem
        self.problems = [problem, *more]  # every problem with the file, one line each


class BuildRefused(Exception):
    """Raised before anything is written when any source failed a check; `lines` says each problem once."""

    def __init__(self, lines: list[str]) -> None:
        files = {line.split(": ", 1)[0] for line in lines}
        self.summary = f"{len(files)} source file(s) cannot be published"
        super().__init__(f"{self.summary}:\n" + "\n".join(f"  - {line}" for line in lines))
        self.lines = lines
