"""The publish gate: no essay goes out with an identifier nobody looked at.

It refuses from what the build itself read: the build report of the publishing build lists, per source, the
findings nobody acknowledged, for every essay Pelican published (any folder depth, any Markdown extension;
drafts by their parsed status). So the gate can never see less than the build publishes.
"""

from __future__ import annotations

import json
from pathlib import Path


class GateError(Exception):
    """The build report cannot be read: the gate refuses (fails closed)."""


def refusals(report_path: str | Path) -> list[str]:
    """One line per unacknowledged finding in a published essay: `essays/x.md: line N: kind 'text'`."""
    path = Path(report_path)
    try:
        data = json.loads(path.read_text("utf-8"))
        found = data["unacknowledged"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GateError(f"{path}: cannot read the build's findings ({exc.__class__.__name__}): build again") from None
    if not isinstance(found, dict):
        raise GateError(f"{path}: the build's findings are not a mapping: build again")
    return [f"{source}: {line}" for source in sorted(found) for line in found[source]]
