"""The publish gate: no essay goes out with an identifier nobody looked at."""

from __future__ import annotations

from pathlib import Path

from .review import findings_for


def check_publish_gate(content_dir: Path) -> list[str]:
    """One line per unacknowledged finding in a published essay: `essays/x.md: line N: kind 'text'`."""
    problems = []
    for path in sorted((Path(content_dir) / "essays").glob("*.md")):
        text = path.read_text("utf-8", errors="replace")
        if "\nstatus: draft" in text.lower().split("\n\n", 1)[0]:
            continue
        for f in findings_for(text):
            problems.append(f"essays/{path.name}: line {f.line}: {f.kind} {f.text!r}")
    return problems
