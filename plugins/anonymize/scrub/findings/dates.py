"""Dates more precise than a year, and ages over 89.

A day and a month, or a month and a year ("January 2024", "spring 2023"), tie an event to a person; an ISO date
or date-time is a date (never a phone number: `PRIORITY` in __init__ puts dates first). Ages over 89 are written in
digits ("aged 96", "93-year-old") and in words ("Ninety-Three-Year-Old", "in her nineties").
"""

from __future__ import annotations

import re

MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|Jun(?:e)?|Jul(?:y)?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
         r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d\d"
ISO_TIME = r"(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?"
PATTERNS = [
    re.compile(rf"\b{MONTH}\s+{DAY}(?:,?\s+{YEAR})?\b"),
    re.compile(rf"\b{DAY}(?:\s+of)?\s+{MONTH}(?:,?\s+{YEAR})?\b"),
    re.compile(rf"\b{MONTH},?\s+(?:of\s+)?{YEAR}\b"),  # month and year
    re.compile(rf"\b(?:[Ss]pring|[Ss]ummer|[Aa]utumn|[Ff]all|[Ww]inter)\s+(?:of\s+)?{YEAR}\b"),  # season and year
    re.compile(r"\b(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])/(?:19|20)?\d\d\b"),
    re.compile(r"\b(?:0?[1-9]|[12]\d|3[01])[./-](?:0?[1-9]|1[0-2])[./-](?:19|20)\d\d\b"),
    re.compile(rf"\b{YEAR}[-/.](?:0[1-9]|1[0-2])[-/.](?:0[1-9]|[12]\d|3[01])(?![\d])" + ISO_TIME),
    re.compile(rf"\b(?:born|DOB|D\.O\.B\.|date of birth|died|admitted|discharged|deceased)\s*(?:on|in|:)?\s*({YEAR})\b",
               re.I),
]

_UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_OVER_89_WORDS = rf"(?:ninety(?:[- ]{_UNITS})?|(?:a |one )?hundred(?:(?: and)?[- ](?:{_UNITS}|ten|eleven|twelve))?)"
AGE = re.compile(
    r"\b(?:aged?\s+(?:9\d|1[01]\d)\b|(?:9\d|1[01]\d)\s*[- ]?\s*(?:years?|yrs?|y)[- ]?(?:old|o)\b"
    r"|(?:9\d|1[01]\d)\s*y/o\b"
    r"|(?:9\d|1[01]\d)\s+years\s+of\s+age\b|(?:9\d|1[01]\d)(?:th)?\s+birthday\b|in (?:his|her|their) 90s\b)",
    re.I)
_NOT_AN_AGE = (r"(?![- ](?:minutes?|seconds?|hours?|days?|weeks?|months?|percent|per|miles?|metres?|meters?|pounds?"
               r"|kilos?|dollars?|times|beds?|patients?|people|calls|pages|of|and|more|or)\b)")
AGE_WORDS = re.compile(
    rf"\b(?:in (?:his|her|their) (?:nineties|hundreds)\b|{_OVER_89_WORDS}[- ]years?[- ]old\b"
    rf"|aged\s+{_OVER_89_WORDS}\b|{_OVER_89_WORDS}(?:th)? birthday\b)"
    # "she was ninety-four", "when he turned ninety-two": an age where a number of years is said of a person
    rf"|\b(?:was|is|turned|turns|reached|reaches|age|at)\s+({_OVER_89_WORDS})\b{_NOT_AN_AGE}", re.I)


def dates(text: str):
    for pattern in PATTERNS:
        for m in pattern.finditer(text):
            if pattern.groups:
                yield "date", m.start(1), m.end(1)
            else:
                yield "date", m.start(), m.end()


def ages(text: str):
    """Ages over 89 in digits (a digit detector)."""
    for m in AGE.finditer(text):
        yield "age", m.start(), m.end()


def ages_in_words(text: str):
    """Ages over 89 in words ("Ninety-Three-Year-Old", "in her nineties"); rare words, tested for in C first."""
    low = text.lower()
    if "ninet" not in low and "hundred" not in low:
        return
    for m in AGE_WORDS.finditer(text):
        group = 1 if m.group(1) else 0
        yield "age", m.start(group), m.end(group)
