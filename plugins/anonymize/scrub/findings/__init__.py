"""Identifier findings: what a careful reader would notice in an essay's text.

Findings are not removed automatically; an editor edits the text or
acknowledges each one. `detect()` is the one entry point. The classes are
the HIPAA Safe Harbor identifiers (names, places smaller than a state, dates
tied to a person, ages over 89, phone and fax numbers, emails, SSNs, record,
plan, account and licence numbers including NPI and DEA, vehicle and device
identifiers, URLs, IP addresses, other unique codes) plus institutions,
social handles and usernames, hidden characters and look-alike letters.
Rules and word lists are data (`tables.toml`, `*.txt`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from anonymize.scrub.findings import characters, contact, dates, numbers, people, places
from anonymize.scrub.findings.scan import all_capital_initial, at_capitals
from anonymize.scrub.findings.tables import alternation, tables


@dataclass(frozen=True)
class Finding:
    """One identifier in a text: its kind, the exact text, and its 1-based line."""

    kind: str
    text: str
    line: int


# Detectors that read the whole text.
DETECTORS = [
    contact.emails, contact.urls, contact.ipv6, contact.handles, numbers.macs, places.institutions, places.places,
    people.names, characters.hidden, characters.lookalike,
]
# Detectors whose every match holds a decimal digit: they read only the paragraphs that have one, which in
# prose is a small part of the text (a blank line never sits inside an identifier).
DIGIT_DETECTORS = [
    contact.ipv4, numbers.identifiers, contact.phones, dates.dates, people.ages, places.addresses, numbers.codes,
]
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_DIGIT = re.compile(r"\d")


def _paragraphs_with_digits(text: str):
    """(offset, paragraph) for each blank-line-separated paragraph holding a decimal digit."""
    start = 0
    for brk in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        if _DIGIT.search(text, start, end):
            yield start, text[start:end]
        start = brk.end() if brk else end

# When two findings overlap, the more specific kind wins (earlier in this list).
PRIORITY = ["email", "url", "ip-address", "ssn", "npi", "dea", "vehicle", "device", "record-number", "fax", "phone",
            "handle", "username", "date", "age", "institution", "place", "name", "unique-code", "hidden-character",
            "lookalike"]
RANK = {kind: i for i, kind in enumerate(PRIORITY)}


@lru_cache(maxsize=1)
def _public_names() -> tuple[re.Pattern, bool]:
    names = [n for n in tables()["public"]["names"] if len(n) > 3 or n.isupper()]
    return re.compile(rf"\b(?:{alternation(names)})\b"), all_capital_initial(names)


_NEWLINE = re.compile("\n")


def detect(text: str, acknowledged: Iterable[str] = ()) -> list[Finding]:
    """Return every finding in `text`, in order of appearance, minus the acknowledged ones.

    An acknowledgement is either the exact text ("Dr. Atul Gawande") or
    "kind: text" ("name: Atul Gawande"); both match case-insensitively.
    """
    spans: list[tuple[int, int, str]] = []
    for detector in DETECTORS:
        spans += [(start, end, kind) for kind, start, end in detector(text) if end > start]
    for offset, paragraph in _paragraphs_with_digits(text):
        for detector in DIGIT_DETECTORS:
            spans += [(offset + start, offset + end, kind) for kind, start, end in detector(paragraph) if end > start]
    spans.sort(key=lambda s: (RANK.get(s[2], 99), -(s[1] - s[0]), s[0]))
    # Words inside a public name ("Centers for Disease Control") are never a name, place or institution.
    public, capital = _public_names()
    taken: list[tuple[int, int]] = [(m.start(), m.end()) for m in at_capitals(public, text, capital)]
    kept: list[tuple[int, int, str]] = []
    for start, end, kind in spans:
        if kind in ("hidden-character", "lookalike") or not any(s < end and start < e for s, e in taken):
            kept.append((start, end, kind))
            if kind not in ("hidden-character", "lookalike"):
                taken.append((start, end))
    kept.sort()
    acks = {a.strip().lower() for a in acknowledged if a and a.strip()}
    line_starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
    found: list[Finding] = []
    for start, end, kind in kept:
        value = text[start:end]
        if value.lower() in acks or f"{kind}: {value}".lower() in acks:
            continue
        found.append(Finding(kind, value, bisect.bisect_right(line_starts, start)))
    return found


__all__ = ["Finding", "detect", "PRIORITY"]
