"""Errors that stop a build: each names the file and what is wrong with it."""

from __future__ import annotations


class AnonymizeError(Exception):
    """A source file that cannot be published safely.

    The build fails closed on it: nothing is written while one is pending.
    """

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
