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
from bisect import bisect_left
from functools import lru_cache

from anonymize.scrub.findings.lexicon import lexicon
from anonymize.scrub.findings.scan import all_capital_initial, capital_starts, finditer_at
from anonymize.scrub.findings.tables import alternation, tables
from anonymize.scrub.findings.tokens import tokens

SP = r"(?:[ \t]*\n[ \t]*|[ \t]+)"
CAP = r"(?:[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]+(?:-[A-ZÀ-ÖØ-Þa-zß-öø-ÿ][a-zß-öø-ÿ'’]+)*|[A-Z]{2,}|St\.|Mt\.)"
_LEADING = re.compile(r"(?:(?:The|A|An|At|In|Our|My|From|To|For|Of|And|But|When|While|After|Before|On){SP})+")


@lru_cache(maxsize=1)
def _patterns():
    inst = tables()["institutions"]
    suffix = alternation(inst["suffixes"])
    name = rf"(?:{CAP}|of|and|&|the|for|on)"  # (SP: spaces, or one line break: never a paragraph break)
    institution = re.compile(rf"\b(?:(?:{alternation(inst['prefixes'])}){SP})?{CAP}(?:{SP}{name}){{0,5}}"
                             rf"{SP}(?:{suffix})\b(?:{SP}of{SP}{CAP}(?:{SP}{CAP}){{0,2}})?")
    institution_of = re.compile(rf"\b(?:{alternation(inst['of_words'])}){SP}of{SP}(?:the{SP})?"
                                rf"{CAP}(?:{SP}{CAP}){{0,3}}")
    saint = re.compile(rf"\b(?:St\.?|Saint|Sainte|San|Santa){SP}[A-ZÀ-Þ][a-zß-ÿ]+(?:{SP}[A-ZÀ-Þ][a-zß-ÿ]+)?"
                       rf"['’]s?(?!\w)"
                       rf"|\b[A-Z][a-z]+['’]s{SP}(?:and{SP}St\.?{SP}[A-Z][a-z]+['’]s?)")
    named = re.compile(rf"\b({CAP}){SP}(?:{alternation(inst['name_suffixes'])})\b")
    known = re.compile(rf"\b(?:{alternation(inst['known'])})(?![\w-])")
    prefixed = re.compile(rf"\b(?:{alternation(inst['prefixed'])})(?:{SP}(?:de|des|du|das|do|dos|di|della|del|la|le))?"
                          rf"{SP}{CAP}(?:{SP}{CAP}){{0,3}}")
    capital = all_capital_initial(inst["prefixes"]), all_capital_initial(inst["known"])
    # Every `institution` match ends in a suffix: the suffixes found (few) tell where matches can begin.
    suffix_at = re.compile(rf"(?:{alternation(inst['suffixes'], word_start=True)})\b")
    return institution, institution_of, saint, named, known, capital, suffix_at, prefixed


REACH = 200  # characters: a match of `institution` begins at most this far before its suffix ends


def _near_suffixes(text: str, suffix_at: re.Pattern) -> list[int]:
    """Capitals that begin a word up to REACH characters before a suffix: the only places `institution` can match.
    tests/library/test_findings_scan.py compares this with the plain scan."""
    ends = [m.end() for m in suffix_at.finditer(text)]
    if not ends:
        return []
    starts, j = [], 0
    for pos in capital_starts(text):
        while j < len(ends) and ends[j] < pos:
            j += 1
        if j == len(ends):
            break
        if ends[j] - pos <= REACH:
            starts.append(pos)
    return starts


@lru_cache(maxsize=1)
def _first_words() -> dict[str, frozenset[str]]:
    """The capitalised words each pattern's matches begin (or, for suffixes, end) with."""
    inst = tables()["institutions"]

    def first(words):  # as tokens.py holds them: no full stop, no possessive 's
        return frozenset(re.sub(r"['’]s?$", "", w.split()[0].rstrip(".")) for w in words)

    return {"suffix": frozenset(s.split()[-1] for s in inst["suffixes"]), "of": first(inst["of_words"]),
            "named": frozenset(inst["name_suffixes"]), "known": first(inst["known"]),
            "prefixed": first(inst["prefixed"]), "saint": frozenset({"St", "Saint", "Sainte", "San", "Santa"})}


def institutions(text: str):
    """Every pattern is tried only where its first word stands, found among the paragraph's capitalised words
    (tokens.py): the same matches as a scan of every position, for a fraction of the work."""
    institution, institution_of, saint, named, known, _capital, _suffix_at, prefixed = _patterns()
    words = _first_words()
    inst = tables()["institutions"]
    not_before = frozenset(inst["not_before_general"])
    public_lower = tables()["public_lower"]
    lex = lexicon()
    toks = tokens(text)
    present = {t.text for t in toks}

    def at(kind: str) -> list[int]:
        return [t.start for t in toks if t.text in words[kind]] if present & words[kind] else []

    suffix_ends = [t.end for t in toks if t.text in words["suffix"]] if present & words["suffix"] else []
    near = [t.start for t in toks if (k := bisect_left(suffix_ends, t.start)) < len(suffix_ends)
            and suffix_ends[k] - t.start <= REACH] if suffix_ends else []  # a suffix ends within REACH after it
    for matches in (finditer_at(institution, text, near), finditer_at(institution_of, text, at("of"))):
        for m in matches:
            found = m.group(0)
            lead = _LEADING.match(found)
            skip = lead.end() if lead else 0
            value = found[skip:]
            low = " ".join(value.lower().split())
            if len(value.split()) < 2 or low in public_lower or any(
                    low.startswith(p + " ") and low[len(p) + 1:] in ("", "health") for p in public_lower):
                continue
            yield "institution", m.start() + skip, m.end()
    saints = sorted({*at("saint"), *(t.start for t in toks if t.possessive)})
    for m in finditer_at(saint, text, saints):
        yield "institution", m.start(), m.end()
    if present & words["named"]:
        before = [toks[i - 1].start for i, t in enumerate(toks) if i and t.text in words["named"]]
        for m in finditer_at(named, text, before):
            word = m.group(1)  # a name ("Northwestern Memorial", "Toronto General"), not a title ("Surgeon General")
            if word not in not_before and lex.frequency(word) < 4.5 and word.lower() not in public_lower:
                yield "institution", m.start(), m.end()
    for m in finditer_at(prefixed, text, at("prefixed")):
        yield "institution", m.start(), m.end()
    for m in finditer_at(known, text, at("known")):
        yield "institution", m.start(), m.end()
