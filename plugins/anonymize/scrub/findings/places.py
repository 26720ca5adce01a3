"""Places smaller than a state (street addresses, ZIP and postcodes, towns) and institutions."""

from __future__ import annotations

import re
from functools import lru_cache

from anonymize.scrub.findings.scan import all_capital_initial, at_capitals
from anonymize.scrub.findings.tables import alternation, tables

CAP = r"(?:[A-Z][a-z'’-]+|[A-Z]{2,}|St\.|Mt\.)"


@lru_cache(maxsize=1)
def _patterns():
    t = tables()
    p, inst = t["places"], t["institutions"]
    street = re.compile(rf"\b\d{{1,5}}[A-Za-z]?\s+(?:{CAP}\s+){{1,3}}(?:{alternation(p['street_types'])})\b\.?")
    zip_code = re.compile(rf"\b(?:{alternation(p['states'])})\s+(\d{{5}}(?:-\d{{4}})?)\b|\b(?:ZIP|zip code|postcode)"
                          rf"\s*:?\s*(\d{{5}}(?:-\d{{4}})?)\b")
    postcode = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b")
    place_word = re.compile(rf"\b(?:{CAP}\s+){{1,3}}(?:{alternation(p['place_words'])})\b")
    cities = re.compile(rf"\b(?:{alternation(t['cities'])})\b")
    suffix = alternation(inst["suffixes"])
    name = rf"(?:{CAP}|of|and|&|the|for)"
    institution = re.compile(rf"\b(?:(?:{alternation(inst['prefixes'])})\s+)?{CAP}(?:\s+{name}){{0,5}}\s+(?:{suffix})\b"
                             rf"(?:\s+of\s+{CAP}(?:\s+{CAP}){{0,2}})?")
    university_of = re.compile(rf"\b(?:University|College|School) of\s+{CAP}(?:\s+{CAP}){{0,3}}")
    # CAP, the cities and the institution prefixes begin with a capital that starts a word (checked here): those
    # patterns are tried only at such capitals.
    capital = all_capital_initial(t["cities"]), all_capital_initial(inst["prefixes"])
    return street, zip_code, postcode, place_word, cities, institution, university_of, capital


def addresses(text: str):
    """Street addresses, ZIP codes and postcodes: each holds a digit."""
    street, zip_code, postcode, *_ = _patterns()
    for m in street.finditer(text):
        yield "place", m.start(), m.end()
    for m in zip_code.finditer(text):
        group = 1 if m.group(1) else 2
        yield "place", m.start(group), m.end(group)
    for m in postcode.finditer(text):
        yield "place", m.start(), m.end()


def places(text: str):
    """Named places: "Millbrook County", towns from the cities list."""
    _street, _zip, _postcode, place_word, cities, _inst, _uni, (cities_capital, _) = _patterns()
    for m in at_capitals(place_word, text):
        yield "place", m.start(), m.end()
    public = tables()["public_names"]
    for m in at_capitals(cities, text, cities_capital):
        if m.group(0) not in public:
            yield "place", m.start(), m.end()


def institutions(text: str):
    *_, institution, university_of, (_, prefixes_capital) = _patterns()
    public_lower = tables()["public_lower"]
    for pattern, capital in ((institution, prefixes_capital), (university_of, True)):
        for m in at_capitals(pattern, text, capital):
            found = m.group(0)
            words = found.split()
            while words and words[0] in ("The", "A", "An", "At", "In", "Our", "My", "From", "To", "For", "Of"):
                words = words[1:]
            value = " ".join(words)
            if not value or value.lower() in public_lower or any(value.lower().startswith(p + " ") and
                                                                  value.lower()[len(p) + 1:] in ("", "health")
                                                                  for p in public_lower):
                continue
            if len(words) < 2:
                continue
            start = m.start() + found.index(value)
            yield "institution", start, start + len(value)
