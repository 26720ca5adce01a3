"""Person names (after a title or an introducing word, or a known given name and a surname) and ages over 89."""

from __future__ import annotations

import re
from functools import lru_cache

from anonymize.scrub.findings.scan import all_capital_initial, at_capitals
from anonymize.scrub.findings.tables import alternation, tables

CAP = r"[A-Z][a-z'’-]+(?:-[A-Z][a-z'’]+)?"
AGE = re.compile(r"\b(?:aged?\s+(9\d|1[0-1]\d)|(9\d|1[0-1]\d)[- ](?:year|yr)s?[- ]old|(9\d|1[0-1]\d)\s+years\s+of\s+age"
                 r"|in (?:his|her|their) (?:nineties|90s|hundreds))\b", re.I)


@lru_cache(maxsize=1)
def _patterns():
    t = tables()["people"]
    titles = alternation(t["titles"])
    intro = alternation(t["introducers"], word_start=True)  # `\b(?:...)`, scanned for by its first letters
    after_title = re.compile(rf"(?<![\w.])(?:{titles})\.?\s+((?:{CAP})(?:\s+(?:{CAP})){{0,2}})")
    after_intro = re.compile(rf"{intro},?\s+(?!(?:{titles})\b)((?:{CAP})(?:\s+(?:{CAP}))?)")
    full = re.compile(rf"\b({CAP})\s+({CAP})\b")
    # A title and CAP begin with a capital that starts a word: both are scanned only at such capitals.
    return after_title, after_intro, full, all_capital_initial(t["titles"])


def names(text: str):
    t = tables()
    stop = frozenset(t["people"]["not_names"])
    public = t["public_names"]
    after_title, after_intro, full, titles_capital = _patterns()
    for m in [*at_capitals(after_title, text, titles_capital), *after_intro.finditer(text)]:
        words = m.group(1).split()
        while words and words[-1] in stop:
            words.pop()
        if not words or words[0] in stop or " ".join(words) in public or words[0] in public:
            continue
        start = m.start(1)
        yield "name", start, start + len(" ".join(words))
    given, surnames = t["given_names"], t["surnames"]
    for m in at_capitals(full, text):
        first, last = m.group(1), m.group(2)
        if first in given and (last in surnames or last not in stop and last not in public and _not_common(last)):
            if f"{first} {last}" not in public:
                yield "name", m.start(), m.end()


_COMMON = frozenset("""The A An And But Or Of In On At To For With From By As If When While Then This That These
Those It Its Is Was Are Were Be Been Has Had Have Do Did Does Not No Yes We I You He She They My Our Your His Her
Their Day Night Week Month Year Morning Evening Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
February March April May June July August September October November December Street Road Hospital Clinic""".split())


def _not_common(word: str) -> bool:
    return word not in _COMMON


def ages(text: str):
    for m in AGE.finditer(text):
        yield "age", m.start(), m.end()
