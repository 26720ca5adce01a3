"""What every scrubbing step removed or flagged, per source file.

Editors read it in the build log and in a JSON report next to the build;
tests assert on it. Values of dropped header keys are never recorded: the
report names the key, not the identity it carried.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger("anonymize")
logger.setLevel(logging.INFO)  # removals are shown in the build log by default

# The per-essay removal log is thousands of lines on a large site; Pelican's
# rich console handler lays out each record as a table (about 2 ms a line),
# which cost more than scrubbing itself. These lines go to a plain handler.
report_logger = logging.getLogger("anonymize.scrub.report")
report_logger.setLevel(logging.INFO)
report_logger.propagate = False
if not report_logger.handlers:
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(message)s"))
    report_logger.addHandler(_handler)

REMOVED = "removed"
REPLACED = "replaced"
FINDING = "finding"


@dataclass(frozen=True)
class Entry:
    """One thing a scrubbing step did to one source file."""

    action: str  # removed | replaced | finding
    kind: str  # e.g. header-key, date-precision, html-comment, tracking-param
    what: str  # what was removed or flagged, never a dropped header's value
    where: str  # header, body, summary, an attribute or a link

    def as_dict(self) -> dict[str, str]:
        # dataclasses.asdict deep-copies every field; thousands of entries made it a visible cost.
        return {"action": self.action, "kind": self.kind, "what": self.what, "where": self.where}


class Report:
    """Collects entries per source path for one build."""

    def __init__(self) -> None:
        self.entries: dict[str, list[Entry]] = defaultdict(list)

    def add(self, source: str, action: str, kind: str, what: str, where: str) -> None:
        self.entries[source].append(Entry(action, kind, what, where))

    def removed(self, source: str, kind: str, what: str, where: str) -> None:
        self.add(source, REMOVED, kind, what, where)

    def replaced(self, source: str, kind: str, what: str, where: str) -> None:
        self.add(source, REPLACED, kind, what, where)

    def finding(self, source: str, kind: str, what: str, where: str) -> None:
        self.add(source, FINDING, kind, what, where)

    def extend(self, source: str, entries: list[Entry]) -> None:
        if entries:
            self.entries[source].extend(entries)

    def for_source(self, source: str) -> list[Entry]:
        return list(self.entries.get(source, []))

    def kinds(self, source: str) -> set[str]:
        return {e.kind for e in self.entries.get(source, [])}

    def clear(self) -> None:
        self.entries.clear()

    def log(self) -> None:
        """Write one summary line per source and one line per entry."""
        lines = []
        for source in sorted(self.entries):
            entries = self.entries[source]
            counts: dict[str, int] = defaultdict(int)
            for e in entries:
                counts[f"{e.action} {e.kind}"] += 1
            summary = ", ".join(f"{n}× {k}" for k, n in sorted(counts.items()))
            lines.append(f"anonymize: {source}: {summary}")
            lines.extend(f"anonymize:   {e.action} {e.kind}: {e.what} ({e.where})" for e in entries)
        if lines:
            report_logger.info("\n".join(lines))

    def to_dict(self) -> dict:
        return {
            "sources": [
                {"source": s, "entries": [e.as_dict() for e in self.entries[s]]}
                for s in sorted(self.entries)
            ]
        }

    def write(self, path: str | os.PathLike, unacknowledged: dict[str, list[str]] | None = None) -> Path:
        """Write the JSON report atomically (never a half-written file).

        `unacknowledged`: source -> the identifier findings nobody acknowledged, one line each; the publish gate
        refuses from these (they are what the build itself read).
        """
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".tmp")
        # One source per line: readable in a diff, and written by json's C encoder (indent= would
        # switch to the pure-Python one, which cost more than the scrubbing it reports on).
        sources = self.to_dict()["sources"]
        body = ",\n".join("  " + json.dumps(s, ensure_ascii=False) for s in sources)
        found = json.dumps(dict(sorted((unacknowledged or {}).items())), ensure_ascii=False)
        tmp.write_text('{"sources": [\n' + body + ("\n" if body else "") + '],\n"unacknowledged": ' + found + "}\n",
                       "utf-8")
        os.replace(tmp, target)
        return target
