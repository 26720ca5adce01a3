"""Places smaller than a state: addresses, postcodes, rooms and wards, and named towns, cities and boroughs.

- `addresses`: street addresses in English, German, Dutch, French, Spanish, Italian and Portuguese forms, PO boxes,
  military addresses (PSC/CMR/Unit and Box, APO/FPO/DPO, ships), and postcodes in the national formats of
  `[[postcodes]]` (tables.toml), each with examples.
- `rooms`: ward, room, bed, bay and unit numbers ("Ward 4B", "bed 12").
- `gazetteer`: names from gazetteer.py matched whole at capitals, longest first ("New York City", "Salt Lake City");
  a one-word name that is an ordinary word or a person's name ("Reading", "Clark") counts only after "in", "from",
  "near"... and states and countries are matched whole so a town inside them is not ("New York" is not "York").
- `by_context`: a capitalised name after "grew up in", "moved to", "lives in"... that no list knows.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from anonymize.scrub.findings.gazetteer import places as gazetteer_table
from anonymize.scrub.findings.lexicon import lexicon
from anonymize.scrub.findings.tables import alternation, tables
from anonymize.scrub.findings.tokens import joined, tokens

CAP = r"(?:[A-ZÀ-ÖØ-Þ][\w'’.-]*)"
NAME = r"[A-ZÀ-ÖØ-Þ][\w'’-]*"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    t = tables()
    p = t["places"]
    english = alternation(p["street_types"])
    state = alternation(p["states"])
    out = {
        # "57566 Ann Freeway", "827 Navarro Track Suite 955", "17 Quarry Lane, Fenmoor"
        "street": re.compile(rf"\b\d{{1,6}}[A-Za-z]?,?[ \t]+(?:{NAME}[ \t]+){{0,3}}(?:{english})\b\.?"
                             rf"(?:,?[ \t]+(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|#)[ \t]*[\w-]+)?"
                             rf"(?:,[ \t]*{NAME}(?:[ \t]+{NAME}){{0,2}}(?![ \t]*\d))?"),
        # "Hauptstraße 12", "Lolahof 7", "Kerkstraat 3a"
        "street_suffix": re.compile(rf"\b{NAME}(?i:{alternation(p['street_suffixes'])})\b\.?[ \t]+\d{{1,5}}[a-z]?"
                                    r"(?:-\d{1,5}[a-z]?)?\b"),
        # "Calle Mayor 3", "Via Roma, 5", "23, rue Victoire Perrier", "Viela Pedro Lima"
        "street_prefix": re.compile(rf"(?:\b\d{{1,5}}(?:[ \t]?(?:bis|ter))?,?[ \t]+)?"
                                    rf"\b(?:{alternation(p['street_prefixes'])})"
                                    rf"[ \t]+(?:(?:de|del|della|di|da|do|dos|das|la|le|les|du|des)[ \t]+|d['’]|l['’])?"
                                    rf"{NAME}(?:[ \t]+(?:{NAME}|de|del|di|da|do|la|le)){{0,4}}"
                                    rf"(?:,?[ \t]+\d{{1,5}}[a-z]?\b)?"),
        "po_box": re.compile(rf"\b(?:{alternation(p['po_boxes'])})[ \t]*#?[ \t]*\d[\d ]{{0,8}}\d?\b", re.I),
        "military": re.compile(r"\b(?:PSC|CMR|Unit)[ \t]+\d{3,5},?[ \t]+Box[ \t]+\d{1,5}\b"
                               r"|\b(?:APO|FPO|DPO)[ \t]+(?:AA|AE|AP)[ \t]+\d{5}\b"
                               r"|\bUS[SN]S?[ \t]+[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?\b"),
        # "North Gregory, HI 18418", "Springfield, IL 62704", "MH 42107"
        "zip": re.compile(rf"(?:\b{NAME}(?:[ \t]+{NAME}){{0,3}},[ \t]*)?\b(?:{state}),?[ \t]+\d{{5}}(?:-\d{{4}})?\b"),
        "labelled_postcode": re.compile(r"\b(?:ZIP|zip code|postcode|postal code|post code|CEP|PLZ|CAP)[ \t]*[:,]?"
                                        r"[ \t]*((?=[A-Z]*\d)[A-Z0-9]{2,5}(?:[- ]?[A-Z0-9]{2,4})?)\b"),
    }
    return out


@lru_cache(maxsize=1)
def _postcodes() -> list[re.Pattern]:
    return [re.compile(p["pattern"]) for p in tables()["postcodes"]]


def addresses(text: str):
    """Street addresses, PO boxes, military addresses, ZIP codes and postcodes: each holds a digit."""
    for pattern in _patterns().values():
        group = 1 if pattern.groups else 0
        for m in pattern.finditer(text):
            if any(c.isdigit() for c in m.group(group)) or pattern is _patterns()["military"]:
                yield "place", m.start(group), m.end(group)
    for pattern in _postcodes():
        for m in pattern.finditer(text):
            group = 1 if pattern.groups else 0
            yield "place", m.start(group), m.end(group)


ROOM = re.compile(r"\b(?:[Ww]ard|[Rr]oom|[Rr]m\.?|[Bb]ed|[Bb]ay|[Uu]nit|[Pp]od|[Cc]ubicle|[Ss]ide [Rr]oom|[Tt]heatre"
                  r"|Flat|Studio|Apartment|Apt\.?|Suite"
                  r"|[Ff]loor|[Ll]evel|[Ww]ing)[ \t]+#?(?:\d{1,4}[A-Za-z]?|[A-Z]\d{1,3}[A-Za-z]?)\b"
                  r"|\b\d{1,2}(?:st|nd|rd|th)?[ \t]+(?:[Ff]loor|[Ww]ing)\b")


def rooms(text: str):
    """Ward, room, bed, bay and unit numbers: where a patient lay narrows who they are."""
    for m in ROOM.finditer(text):
        yield "place", m.start(), m.end()


@lru_cache(maxsize=1)
def _index() -> dict[str, list[tuple[tuple[str, ...], int]]]:
    """first word -> [(words, population)], longest first."""
    index: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    extra = {name: 1_000_000 for name in tables()["places"]["boroughs"]}
    for name, pop in {**gazetteer_table(), **extra}.items():
        words = tuple(w.rstrip(".") for w in re.findall(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*\.?", name))
        if words:
            index.setdefault(words[0], []).append((words, pop))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return index


def _ordinary(zipf: float, population: int) -> bool:
    """Whether a one-word place name is far more frequent in English than its population explains ("Reading",
    "Mobile", "Hope"), so mostly an ordinary word. Fitted on wordfreq: Boston (670,000 people) Zipf 4.7, Florence
    4.0, Reading (318,000) 5.1, Hope (6,700) 5.4."""
    return zipf - (1.0 + 0.55 * math.log10(max(population, 10))) > 0.6


@lru_cache(maxsize=1)
def _eponym_followers() -> frozenset[str]:
    return frozenset(tables()["people"]["eponym_followers"])


@lru_cache(maxsize=1)
def _locative() -> frozenset[str]:
    return frozenset(w.lower() for w in tables()["people"]["locative"])


def gazetteer(text: str):
    toks = tokens(text)
    index = _index()
    lex = lexicon()
    locative = _locative()
    n = len(toks)
    i = 0
    while i < n:
        tok = toks[i]
        entries = index.get(tok.text) if tok.cap else None
        if not entries:
            i += 1
            continue
        found = next(((words, population) for words, population in entries
                      if i + len(words) <= n and all(toks[i + j].text == words[j] and
                                                     (j == 0 or joined(toks[i + j - 1], toks[i + j]))
                                                     for j in range(len(words)))), None)
        if found is None:
            i += 1
            continue
        words, pop = found
        k = len(words)
        last = toks[i + k - 1]
        if pop >= 0:
            word = tok.text
            after_locative = i > 0 and toks[i - 1].lower in locative
            ambiguous = k == 1 and (_ordinary(lex.frequency(word), pop) or
                                    word.lower() in lex.name_words and pop < 100_000 or
                                    tok.sentence_start and lex.frequency(word) >= 3.0 and pop < 100_000)
            follower = toks[i + k].lower if i + k < n and joined(last, toks[i + k]) else ""
            if (not ambiguous or after_locative) and follower not in _eponym_followers():
                yield "place", tok.start, last.end
        i += k


@lru_cache(maxsize=1)
def _context() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    p = tables()["places"]
    after = re.compile(rf"\b(?:{alternation(p['context'])})[ \t]+((?:{NAME})(?:[ \t]+(?:{NAME})){{0,2}})")
    named_street = re.compile(rf"\b(?:{alternation(p['street_prefixes_named'])})[ \t]+"
                              rf"(?:(?:de|del|della|di|da|do|dos|das|la|le|les|du|des)[ \t]+|d['’]|l['’])?"
                              rf"{NAME}(?:[ \t]+(?:{NAME}|de|del|di|da|do|la|le)){{0,4}}")
    place_word = re.compile(rf"\b{NAME}(?:[ \t]+{NAME}){{0,2}}[ \t]+(?:{alternation(p['place_words'])})\b")
    return after, named_street, place_word


def by_context(text: str):
    """A capitalised name after words that introduce a place ("grew up in Kennedyfurt"), a street named by its
    type ("Viela Pedro Lima"), or a name and a place word ("Millbrook County")."""
    lex = lexicon()
    after, named_street, place_word = _context()
    for pattern in (named_street, place_word):
        for m in pattern.finditer(text):
            if not lex.common(m.group(0).split()[0]) or pattern is named_street:
                yield "place", m.start(), m.end()
    for m in after.finditer(text):
        words = list(re.finditer(r"\S+", m.group(1)))
        while words and lex.common(words[-1].group(0)):
            words.pop()
        if not words:
            continue  # "moved to Night Shift": every word an ordinary one
        yield "place", m.start(1), m.start(1) + words[-1].end()
