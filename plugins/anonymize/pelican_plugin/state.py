"""Per-build state: the report being written and the errors found so far."""

from __future__ import annotations

from dataclasses import dataclass, field

from anonymize.scrub.errors import AnonymizeError
from anonymize.scrub.report import Report


@dataclass
class BuildState:
    report: Report = field(default_factory=Report)
    errors: list[AnonymizeError] = field(default_factory=list)
    # source -> its unacknowledged identifier findings, as "line N: kind 'text'" (the publish gate's lines)
    identifiers: dict[str, list[str]] = field(default_factory=dict)
    prescrubbed: bool = False


_current = BuildState()


def reset() -> BuildState:
    """Start a fresh build (Pelican may run several in one process)."""
    global _current
    _current = BuildState()
    return _current


def current() -> BuildState:
    return _current
