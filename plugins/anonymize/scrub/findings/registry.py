"""The detectors, as data: a name, the kinds it reports, its function, and whether it needs a digit.

`detectors.toml` beside this file holds each detector's examples (text -> what it must find, and text where it must
find nothing); tests/library/test_findings_detectors.py runs every one, as the URL rules' examples are run. A
detector whose every match holds a decimal digit reads only the paragraphs that have one.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from anonymize.scrub.findings import characters, contact, dates, institutions, numbers, people, places

Spans = Iterator[tuple[str, int, int]]


@dataclass(frozen=True)
class Detector:
    name: str
    kinds: tuple[str, ...]
    function: Callable[[str], Spans]
    needs_digit: bool = False


DETECTORS: tuple[Detector, ...] = (
    Detector("contact.emails", ("email",), contact.emails),
    Detector("contact.urls", ("url",), contact.urls),
    Detector("contact.ipv6", ("ip-address",), contact.ipv6),
    Detector("contact.handles", ("handle", "username"), contact.handles),
    Detector("numbers.macs", ("device",), numbers.macs),
    Detector("institutions.institutions", ("institution",), institutions.institutions),
    Detector("places.gazetteer", ("place",), places.gazetteer),
    Detector("places.by_context", ("place",), places.by_context),
    Detector("people.names", ("name",), people.names),
    Detector("dates.ages_in_words", ("age",), dates.ages_in_words),
    Detector("characters.hidden", ("hidden-character",), characters.hidden),
    Detector("characters.lookalike", ("lookalike",), characters.lookalike),
    Detector("contact.ipv4", ("ip-address",), contact.ipv4, needs_digit=True),
    Detector("numbers.identifiers", ("ssn", "npi", "dea", "vehicle", "device", "record-number"), numbers.identifiers,
             needs_digit=True),
    Detector("numbers.cards", ("card-number",), numbers.cards, needs_digit=True),
    Detector("numbers.national_ids", ("iban", "national-id"), numbers.national_ids, needs_digit=True),
    Detector("numbers.plates", ("vehicle",), numbers.plates, needs_digit=True),
    Detector("contact.phones", ("phone", "fax"), contact.phones, needs_digit=True),
    Detector("dates.dates", ("date",), dates.dates, needs_digit=True),
    Detector("dates.ages", ("age",), dates.ages, needs_digit=True),
    Detector("places.addresses", ("place",), places.addresses, needs_digit=True),
    Detector("places.rooms", ("place",), places.rooms, needs_digit=True),
    Detector("numbers.codes", ("unique-code",), numbers.codes, needs_digit=True),
)


@lru_cache(maxsize=1)
def examples() -> dict[str, dict]:
    """detector name -> {"finds": [[text, kind, found], ...], "quiet": [text, ...]} from detectors.toml."""
    with open(Path(__file__).with_name("detectors.toml"), "rb") as fh:
        return {d["name"]: d for d in tomllib.load(fh)["detectors"]}
