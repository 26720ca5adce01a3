"""Findings in one essay's source, as a reader will see it: the shown header text and the body, less what an
editor acknowledged (`Acknowledged:` header). The desk's review, the publish gate and the build all use this."""

from __future__ import annotations

import re

from anonymize.scrub.findings import Finding, detect
from anonymize.scrub.links import clean_url

HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9 _-]*):\s*(.*)$")
SHOWN_KEYS = ("title", "summary", "tags", "series", "content_note")  # header values a reader sees
_LINK = re.compile(r"(\[[^\]]*\])\(([^)\s]+)\)")
# The names the desk gives images (20 hex digits of their content hash): ours, not the contributor's words.
_HASHED_IMAGE = re.compile(r"[0-9a-f]{20}\.(?:jpg|png|webp|gif)")


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
    return _header_findings(text, acknowledged(header)) + found


def _header_findings(text: str, acked: list[str]) -> list[Finding]:
    """Findings in the header values a reader sees, each with the line it is on.

    The values are read as one text, a paragraph each (no finding spans a paragraph break, and a paragraph's first
    word has no word before it), so the detectors run once per essay, not once per header line."""
    values: list[str] = []
    numbers: list[int] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            break
        m = HEADER_LINE.match(line)
        if m and m.group(1).strip().lower().replace("-", "_") in SHOWN_KEYS and m.group(2).strip():
            values.append(m.group(2).strip())
            numbers.append(number)
    if not values:
        return []
    # Value i is on line 2i+1 of the joined text.
    return [Finding(f.kind, f.text, numbers[(f.line - 1) // 2]) for f in detect("\n\n".join(values), acked)]


def unacknowledged(text: str) -> list[str]:
    """`line N: kind 'text'` for each unacknowledged finding in an essay's source (the publish gate's lines).

    If a detector fails, the essay cannot be checked: one problem line says so (the gate then refuses, naming the
    essay), never a traceback and never a pass.
    """
    try:
        found = findings_for(text)
    except Exception as exc:  # noqa: BLE001 - any failure of the findings must close the gate, not crash it
        return [f"the identifier findings failed ({exc}): the essay cannot be checked; report this as a bug"]
    return [f"line {f.line}: {f.kind} {f.text!r}" for f in found]


def _without_tracking(text: str) -> str:
    """Link targets as they will be published (tracking tokens are removed by the build, not findings); the desk's
    own hash-named images are not findings."""

    def fix(m: re.Match) -> str:
        if _HASHED_IMAGE.fullmatch(m.group(2).rsplit("/", 1)[-1]):
            return f"{m.group(1)}()"
        cleaned, _ = clean_url(m.group(2))
        return f"{m.group(1)}({cleaned or ''})"

    return _LINK.sub(fix, text)
