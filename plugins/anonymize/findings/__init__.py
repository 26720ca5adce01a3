"""Identifier findings: what a careful reader would notice in an essay's text.

Findings are not removed automatically; an editor edits the text or
acknowledges each one. `detect()` is the one entry point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """One identifier in a text: its kind, the exact text, and its 1-based line."""

    kind: str
    text: str
    line: int


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def detect(text: str) -> list[Finding]:
    """Return every finding in `text`, in order of appearance."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _EMAIL.finditer(line):
            found.append(Finding("email", match.group(0), number))
    return found
