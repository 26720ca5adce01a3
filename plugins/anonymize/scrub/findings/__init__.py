"""Identifier findings: what a careful reader would notice in an essay's text.

Findings are not removed automatically; an editor edits the text or
acknowledges each one. `detect()` is the one entry point. The classes are
the HIPAA Safe Harbor identifiers (names, places smaller than a state, dates
tied to a person, ages over 89, phone and fax numbers, emails, SSNs, record,
plan, account and licence numbers including NPI and DEA, vehicle and device
identifiers, URLs, IP addresses, other unique codes) plus institutions,
social handles and usernames, hidden characters and look-alike letters.
Detectors are a registry (`registry.py`) with examples in `detectors.toml`; rules are data
(`tables.toml`); names, word frequencies and places come from maintained packages (`lexicon.py`,
`gazetteer.py`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from anonymize.scrub.findings.registry import DETECTORS, Detector
from anonymize.scrub.findings.scan import all_capital_initial, at_capitals
from anonymize.scrub.findings.tables import alternation, tables


@dataclass(frozen=True)
class Finding:
    """One identifier in a text: its kind, the exact text, and its 1-based line."""

    kind: str
    text: str
    line: int


class DetectorError(Exception):
    """A detector failed on a text: the caller names the essay and fails closed (never publishes unchecked text)."""


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_DIGIT = re.compile(r"\d")


def paragraphs(text: str):
    """(offset, paragraph) for each blank-line-separated paragraph: no finding spans a paragraph break."""
    start = 0
    for brk in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        if end > start:
            yield start, text[start:end]
        start = brk.end() if brk else end


# When two findings overlap, the more specific kind wins (earlier in this list); among names, places and
# institutions the longer finding wins ("Malvina Sandberg" over the town "Sandberg"), then the earlier kind.
PRIORITY = ["email", "url", "ip-address", "date", "ssn", "npi", "dea", "card-number", "iban", "national-id", "vehicle",
            "device", "record-number", "fax", "phone", "handle", "username", "age", "institution", "name", "place",
            "unique-code", "hidden-character", "lookalike"]
RANK = {kind: i for i, kind in enumerate(PRIORITY)}
_WORDS = ("institution", "name", "place")


def _order(span: tuple[int, int, str]) -> tuple:
    start, end, kind = span
    if kind in _WORDS:
        return (RANK["institution"], -(end - start), RANK[kind], start)
    return (RANK.get(kind, 99), -(end - start), 0, start)


@lru_cache(maxsize=1)
def _public_names() -> tuple[re.Pattern, bool]:
    names = [n for n in tables()["public"]["names"] if len(n) > 3 or n.isupper()]
    return re.compile(rf"\b(?:{alternation(names)})\b"), all_capital_initial(names)


_NEWLINE = re.compile("\n")


def _run(detector: Detector, text: str, offset: int) -> list[tuple[int, int, str]]:
    try:
        return [(offset + start, offset + end, kind) for kind, start, end in detector.function(text) if end > start]
    except Exception as exc:  # a detector's bug must not pass an essay unchecked, nor crash the caller unnamed
        raise DetectorError(f"detector {detector.name} failed: {type(exc).__name__}: {exc}") from exc


_WHOLE = tuple(d for d in DETECTORS if not d.needs_digit)
_DIGITS = tuple(d for d in DETECTORS if d.needs_digit)


def spans(text: str) -> list[tuple[int, int, str]]:
    """Every detector's (start, end, kind) before overlaps are resolved; none spans a paragraph break.

    Detectors whose every match holds a digit read only the paragraphs that have one (in prose a small part of
    the text); the others read the whole text once (their patterns allow at most one line break between words)
    and a match that still spans a blank line is dropped here, so no finding ever joins two paragraphs.
    """
    found: list[tuple[int, int, str]] = []
    for detector in _WHOLE:
        found += _run(detector, text, 0)
    for offset, paragraph in paragraphs(text):
        if _DIGIT.search(paragraph) is not None:
            for detector in _DIGITS:
                found += _run(detector, paragraph, offset)
    return [s for s in found if "\n" not in text[s[0]:s[1]] or not _PARAGRAPH_BREAK.search(text, s[0], s[1])]


def detect(text: str, acknowledged: Iterable[str] = ()) -> list[Finding]:
    """Return every finding in `text`, in order of appearance, minus the acknowledged ones.

    An acknowledgement is either the exact text ("Dr. Atul Gawande") or
    "kind: text" ("name: Atul Gawande"); both match case-insensitively.
    Raises DetectorError (naming the detector) if a detector fails.
    """
    found = sorted(spans(text), key=_order)
    # Words inside a public name ("Centers for Disease Control") are never a name, place or institution (a longer
    # finding that holds one is: "VA Medical Center").
    public, capital = _public_names()
    inside_public = [(m.start(), m.end()) for m in at_capitals(public, text, capital)]
    kept: list[list] = []
    for start, end, kind in found:
        if kind in ("hidden-character", "lookalike"):
            kept.append([start, end, kind])
            continue
        if kind in _WORDS and any(s <= start and end <= e for s, e in inside_public):
            continue
        overlapping = [k for k in kept if k[0] < end and start < k[1] and k[2] not in ("hidden-character", "lookalike")]
        if not overlapping:
            kept.append([start, end, kind])
        elif all(k[2] == kind for k in overlapping) and kind == "place":
            # Parts of one address found by different rules ("118 Main Street" and "Broken Bow, NE 68822") are
            # one finding.
            for k in overlapping:
                kept.remove(k)
            kept.append([min(start, *(k[0] for k in overlapping)), max(end, *(k[1] for k in overlapping)), kind])
    kept.sort()
    acks = {a.strip().lower() for a in acknowledged if a and a.strip()}
    line_starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
    out: list[Finding] = []
    for start, end, kind in kept:
        value = text[start:end]
        if value.lower() in acks or f"{kind}: {value}".lower() in acks:
            continue
        out.append(Finding(kind, value, bisect.bisect_right(line_starts, start)))
    return out


__all__ = ["DETECTORS", "DetectorError", "Finding", "PRIORITY", "detect"]
