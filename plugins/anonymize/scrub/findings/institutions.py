"""Institutions: hospitals, clinics, universities, health systems, care homes, practices; famous ones included.

A famous hospital named as where something happened narrows the writer to its staff, so every named institution is
a finding and the editor acknowledges the harmless ones. Found by
- a capitalised name and an institution word ("Lakeshore Memorial Hospital", "Cleveland Clinic", "Mercy Health"),
  or an institution word and "of" and a name ("University of Fenmoor");
- a saint's name with a possessive ("St. Vincent's", "Guy's"), or a name and "General" or "Memorial";
- the names of well-known institutions that carry no such word (`[institutions] known`: "Johns Hopkins",
  "Cedars-Sinai", "UCSF", "NYU Langone").
Only regulators and public bodies (`[public] names`: CDC, NHS, FDA, ...) are left out.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anonymize.scrub.findings.lexicon import lexicon
from anonymize.scrub.findings.scan import all_capital_initial, at_capitals
from anonymize.scrub.findings.tables import alternation, tables

CAP = r"(?:[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’-]+|[A-Z]{2,}|St\.|Mt\.)"
_LEADING = re.compile(r"(?:(?:The|A|An|At|In|Our|My|From|To|For|Of|And|But|When|While|After|Before|On)[ \t\n]+)+")


@lru_cache(maxsize=1)
def _patterns():
    inst = tables()["institutions"]
    suffix = alternation(inst["suffixes"])
    name = rf"(?:{CAP}|of|and|&|the|for|on)"
    institution = re.compile(rf"\b(?:(?:{alternation(inst['prefixes'])})[ \t\n]+)?{CAP}(?:[ \t\n]+{name}){{0,5}}"
                             rf"[ \t\n]+(?:{suffix})\b(?:[ \t\n]+of[ \t\n]+{CAP}(?:[ \t\n]+{CAP}){{0,2}})?")
    institution_of = re.compile(rf"\b(?:{alternation(inst['of_words'])})[ \t\n]+of[ \t\n]+(?:the[ \t\n]+)?"
                                rf"{CAP}(?:[ \t\n]+{CAP}){{0,3}}")
    saint = re.compile(r"\b(?:St\.?|Saint|Sainte|San|Santa)[ \t\n]+[A-ZÀ-Þ][a-zß-ÿ]+(?:[ \t\n]+[A-ZÀ-Þ][a-zß-ÿ]+)?"
                       r"['’]s?(?!\w)"
                       r"|\b[A-Z][a-z]+['’]s[ \t\n]+(?:and[ \t\n]+St\.?[ \t\n]+[A-Z][a-z]+['’]s?)")
    named = re.compile(rf"\b({CAP})[ \t\n]+(?:{alternation(inst['name_suffixes'])})\b")
    known = re.compile(rf"\b(?:{alternation(inst['known'])})(?![\w-])")
    capital = all_capital_initial(inst["prefixes"]), all_capital_initial(inst["known"])
    return institution, institution_of, saint, named, known, capital


def institutions(text: str):
    institution, institution_of, saint, named, known, (prefixes_capital, known_capital) = _patterns()
    public_lower = tables()["public_lower"]
    lex = lexicon()
    for pattern, capital in ((institution, prefixes_capital), (institution_of, True)):
        for m in at_capitals(pattern, text, capital):
            found = m.group(0)
            lead = _LEADING.match(found)
            skip = lead.end() if lead else 0
            value = found[skip:]
            low = " ".join(value.lower().split())
            if len(value.split()) < 2 or low in public_lower or any(
                    low.startswith(p + " ") and low[len(p) + 1:] in ("", "health") for p in public_lower):
                continue
            yield "institution", m.start() + skip, m.end()
    for m in saint.finditer(text):
        yield "institution", m.start(), m.end()
    for m in at_capitals(named, text):
        if not lex.common(m.group(1)) and m.group(1).lower() not in public_lower:
            yield "institution", m.start(), m.end()
    for m in at_capitals(known, text, known_capital):
        yield "institution", m.start(), m.end()
