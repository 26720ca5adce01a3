"""Findings for every pending submission, on the current branch and on submission branches."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from anonymize.desk import gitdesk
from anonymize.scrub.findings import Finding
from anonymize.scrub.findings.essay import findings_for, parse

BRANCH_PREFIX = "submission/"
DECISIONS = "submissions/decisions.tsv"
# The names intake gives images: 20 hex digits of their content hash (see scrub/findings/essay.py).
HASHED_IMAGE = re.compile(r"[0-9a-f]{20}\.(?:jpg|png|webp|gif)")


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
    # Every branch is read through one git process (two per branch took 35 s over 300 imported posts).
    with gitdesk.Objects(repo) as objects:
        for branch in gitdesk.branches(repo, BRANCH_PREFIX):
            ref = f"refs/heads/{branch}"
            for mode, sid in objects.tree(f"{ref}:submissions"):
                if mode != "40000" or sid in seen or sid in done or (only and sid != only):
                    continue
                path = f"submissions/{sid}/index.md"
                found = objects.read(f"{ref}:{path}")
                if found is None or found[0] != "blob":
                    continue
                text = found[1].decode("utf-8")
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
