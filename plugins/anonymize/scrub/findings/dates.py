"""Dates more precise than a year (a day and a month tie an event to a person)."""

from __future__ import annotations

import re

MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|Jun(?:e)?|Jul(?:y)?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
         r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
PATTERNS = [
    re.compile(rf"\b{MONTH}\s+{DAY}(?:,?\s+(?:19|20)\d\d)?\b"),
    re.compile(rf"\b{DAY}(?:\s+of)?\s+{MONTH}(?:,?\s+(?:19|20)\d\d)?\b"),
    re.compile(r"\b(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])/(?:19|20)?\d\d\b"),
    re.compile(r"\b(?:0?[1-9]|[12]\d|3[01])\.(?:0?[1-9]|1[0-2])\.(?:19|20)\d\d\b"),
    re.compile(r"\b(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b"),
    re.compile(r"\b(?:born|DOB|date of birth|died|admitted|discharged|deceased)\s*(?:on|in|:)?\s*"
               r"((?:19|20)\d\d)\b", re.I),
]


def dates(text: str):
    for pattern in PATTERNS:
        for m in pattern.finditer(text):
            if pattern.groups:
                yield "date", m.start(1), m.end(1)
            else:
                yield "date", m.start(), m.end()
