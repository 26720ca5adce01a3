"""Findings for every pending submission, on the current branch and on submission branches."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from anonymize.desk import gitdesk
from anonymize.desk.submission import LINE as HEADER_LINE
from anonymize.desk.submission import acknowledged, parse
from anonymize.scrub.findings import Finding, detect
from anonymize.scrub.links import clean_url

BRANCH_PREFIX = "submission/"
DECISIONS = "submissions/decisions.tsv"


@dataclass
class Pending:
    id: str
    title: str
    path: str
    ref: str
    findings: list[Finding]


def decided(repo: Path) -> set[str]:
    path = repo / DECISIONS
    if not path.is_file():
        return set()
    return {line.split("\t", 1)[0] for line in path.read_text("utf-8").splitlines() if line.strip()}


SCANNED_HEADERS = ("title", "summary", "tags", "series", "content_note")


def findings_for(text: str) -> list[Finding]:
    """Findings of an essay's source: its shown header values, each on its own line, then its body."""
    header, body = parse(text)
    acks = acknowledged(header)
    offset = len(text.split("\n")) - len(body.split("\n")) + 1  # body starts after the header and blank line
    body_for_detection = _without_tracking(body)
    found = [Finding(f.kind, f.text, f.line + offset - 1) for f in detect(body_for_detection, acks)]
    return _header_findings(text, acks) + found


def _header_findings(text: str, acks: list[str]) -> list[Finding]:
    """Header values read as text, each reported on its own source line (one detect() for all of them: the values
    are joined with blank lines, across which no finding reaches)."""
    lines: list[int] = []
    values: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            break
        m = HEADER_LINE.match(line)
        if not m:
            break
        if m.group(1).strip().lower().replace("-", "_") in SCANNED_HEADERS and m.group(2).strip():
            lines.append(number)
            values.append(m.group(2).strip())
    if not values:
        return []
    return [Finding(f.kind, f.text, lines[(f.line - 1) // 2]) for f in detect("\n\n".join(values), acks)]


def _without_tracking(text: str) -> str:
    """Link targets as they will be published (tracking tokens are removed by the build, not findings)."""
    import re

    def fix(m: re.Match) -> str:
        cleaned, _ = clean_url(m.group(2))
        return f"{m.group(1)}({cleaned or ''})"

    return re.sub(r"(\[[^\]]*\])\(([^)\s]+)\)", fix, text)


def pending(repo: Path, only: str | None = None) -> list[Pending]:
    done = decided(repo)
    seen: dict[str, Pending] = {}
    for index in sorted((repo / "submissions").glob("*/index.md")):
        sid = index.parent.name
        if sid in done or (only and sid != only):
            continue
        text = index.read_text("utf-8")
        seen[sid] = Pending(sid, parse(text)[0].get("title", ""), f"submissions/{sid}/index.md", "working tree",
                            findings_for(text))
    for branch in gitdesk.branches(repo, BRANCH_PREFIX):
        for path in gitdesk.ls(repo, branch, "submissions/"):
            if not path.endswith("/index.md"):
                continue
            sid = path.split("/")[1]
            if sid in seen or sid in done or (only and sid != only):
                continue
            text = gitdesk.show(repo, branch, path).decode("utf-8")
            seen[sid] = Pending(sid, parse(text)[0].get("title", ""), path, branch, findings_for(text))
    return list(seen.values())


def as_json(items: list[Pending]) -> str:
    return json.dumps({"submissions": [
        {"id": p.id, "title": p.title, "path": p.path,
         "findings": [{"kind": f.kind, "text": f.text, "line": f.line} for f in p.findings]}
        for p in items]}, indent=2, ensure_ascii=False)


def as_markdown(items: list[Pending]) -> str:
    lines = ["## Identifier findings", ""]
    if not items:
        return "## Identifier findings\n\nNo pending submissions.\n"
    for p in items:
        lines.append(f"### {p.title} (`{p.id}`, {p.path})")
        lines.append("")
        if not p.findings:
            lines += ["No findings.", ""]
            continue
        lines += ["| line | kind | text |", "|---:|---|---|"]
        lines += [f"| {f.line} | {f.kind} | `{_cell(f.text)}` |" for f in p.findings]
        lines += ["", "Edit the text, or acknowledge a finding with `invoke ack ID \"kind: text\"`.", ""]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("`", "'")


def as_table(items: list[Pending]) -> str:
    if not items:
        return "No pending submissions."
    out = []
    for p in items:
        out.append(f"{p.id}  {p.title}  ({p.path} on {p.ref}): {len(p.findings)} finding(s)")
        width = max((len(f.kind) for f in p.findings), default=4)
        for f in p.findings:
            out.append(f"  line {f.line:>4}  {f.kind:<{width}}  {f.text}")
    return "\n".join(out)
