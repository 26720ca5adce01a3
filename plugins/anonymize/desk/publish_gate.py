"""The publish gate: no essay goes out with an identifier nobody looked at."""

from __future__ import annotations

from pathlib import Path

from anonymize.desk.review import findings_for


def unacknowledged(text: str) -> list[str]:
    """`line N: kind 'text'` for each unacknowledged finding in an essay's source (the build warns with these).

    If a detector fails, the essay cannot be checked: one problem line says so (the gate then refuses, naming the
    essay), never a traceback and never a pass.
    """
    try:
        found = findings_for(text)
    except Exception as exc:  # noqa: BLE001 - any failure of the findings must close the gate, not crash it
        return [f"the identifier findings failed ({exc}): the essay cannot be checked; report this as a bug"]
    return [f"line {f.line}: {f.kind} {f.text!r}" for f in found]


def check_publish_gate(content_dir: Path) -> list[str]:
    """One line per unacknowledged finding in a published essay: `essays/x.md: line N: kind 'text'`."""
    problems = []
    for path in sorted((Path(content_dir) / "essays").glob("*.md")):
        text = path.read_text("utf-8", errors="replace")
        if "\nstatus: draft" in text.lower().split("\n\n", 1)[0]:
            continue
        problems += [f"essays/{path.name}: {line}" for line in unacknowledged(text)]
    return problems
