"""Findings in one essay's source, as a reader will see it: the shown header text and the body, less what an
editor acknowledged (`Acknowledged:` header). The desk's review, the publish gate and the build all use this."""

from __future__ import annotations

import re

from anonymize.scrub.findings import Finding, detect
from anonymize.scrub.links import clean_url

HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9 _-]*):\s*(.*)$")
SHOWN_KEYS = ("title", "summary", "content_note")
_LINK = re.compile(r"(\[[^\]]*\])\(([^)\s]+)\)")


def parse(text: str) -> tuple[dict[str, str], str]:
    """The `Key: value` header (keys lower-cased, '-' as '_') and the body after it."""
    header: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines) and lines[i].strip():
        m = HEADER_LINE.match(lines[i])
        if not m:
            break
        header[m.group(1).strip().lower().replace("-", "_")] = m.group(2).strip()
        i += 1
    return header, "\n".join(lines[i:]).strip() + "\n"


def acknowledged(header: dict[str, str]) -> list[str]:
    return [a.strip() for a in header.get("acknowledged", "").split(";") if a.strip()]


def findings_for(text: str) -> list[Finding]:
    header, body = parse(text)
    offset = len(text.split("\n")) - len(body.split("\n")) + 1  # body starts after the header and blank line
    body_for_detection = _without_tracking(body)
    found = [Finding(f.kind, f.text, f.line + offset - 1) for f in detect(body_for_detection, acknowledged(header))]
    shown = "\n".join(header.get(k, "") for k in SHOWN_KEYS)
    found = [Finding(f.kind, f.text, 1) for f in detect(shown, acknowledged(header))] + found
    return found


def unacknowledged(text: str) -> list[str]:
    """`line N: kind 'text'` for each unacknowledged finding in an essay's source (the publish gate's lines)."""
    return [f"line {f.line}: {f.kind} {f.text!r}" for f in findings_for(text)]


def _without_tracking(text: str) -> str:
    """Link targets as they will be published (tracking tokens are removed by the build, not findings)."""

    def fix(m: re.Match) -> str:
        cleaned, _ = clean_url(m.group(2))
        return f"{m.group(1)}({cleaned or ''})"

    return _LINK.sub(fix, text)
