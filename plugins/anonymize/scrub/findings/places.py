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
from pathlib import Path

from anonymize.scrub.findings.data_cache import cached
from anonymize.scrub.findings.gazetteer import places as gazetteer_table
from anonymize.scrub.findings.lexicon import lexicon
from anonymize.scrub.findings.tables import alternation, tables
from anonymize.scrub.findings.tokens import after_phrase, joined, tokens

CAP = r"(?:[A-ZÀ-ÖØ-Þ][\w'’.-]*)"
NAME = r"[A-ZÀ-ÖØ-Þ][^\W\d_]*(?:['’-][^\W\d_]+)*"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    t = tables()
    p = t["places"]
    english = alternation(p["street_types"])
    state = alternation(p["states"])
    out = {
        # "57566 Ann Freeway", "827 Navarro Track Suite 955", "17 Quarry Lane, Fenmoor"
        "street": re.compile(rf"\b\d{{1,6}}[A-Za-z]?,?[ \t]+(?:(?:{NAME}|\d+(?:st|nd|rd|th))[ \t]+){{0,3}}"
                             rf"(?:{english})\b\.?"
                             rf"(?:,?[ \t]+(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|#)[ \t]*[\w-]+)?"
                             rf"(?:,[ \t]*{NAME}\b(?:[ \t]+{NAME}\b){{0,2}}(?![ \t]*\d))?"),
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


HOUSE_NUMBER = re.compile(r"(?<=[ \t])\d{1,5}[a-z]?(?:-\d{1,5}[a-z]?)?\b")
_NAME_BEFORE = re.compile(rf"{NAME}\.?[ \t]+\Z")


@lru_cache(maxsize=1)
def _street_suffixes() -> tuple[str, ...]:
    return tuple(s.rstrip(".") for s in tables()["places"]["street_suffixes"])


def addresses(text: str):
    """Street addresses, PO boxes, military addresses, ZIP codes and postcodes: each holds a digit."""
    # A street named with its type as a suffix, then the house number ("Hauptstraße 12", "Lolahof 7"): found from
    # the numbers, which are few, rather than from every capitalised word.
    suffixes = _street_suffixes()
    for m in HOUSE_NUMBER.finditer(text):
        j = m.start()
        while j > 0 and text[j - 1] in " \t":
            j -= 1
        k = j - (text[j - 1:j] == ".")
        i = k
        while i > 0 and (text[i - 1].isalpha() or text[i - 1] in "-'’"):
            i -= 1
        word = text[i:k]
        if word[:1].isupper() and len(word) > 3 and word.lower().endswith(suffixes) and word.lower() not in suffixes:
            yield "place", i, m.end()
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
def _names() -> tuple[dict[str, int], int, frozenset[str]]:
    """name -> population (boroughs added), the most words in a name, and the words names begin with (derived
    once per machine: data_cache.py)."""
    here = Path(__file__).parent
    inputs = [here / "places.tsv.gz", here / "gazetteer.py", here / "tables.toml", Path(__file__)]
    names, most, firsts = cached("place-names", inputs, _derive_names)
    return names, most, firsts


def _derive_names() -> tuple[dict[str, int], int, frozenset[str]]:
    names = {**gazetteer_table(), **{name: 1_000_000 for name in tables()["places"]["boroughs"]}}
    firsts = frozenset(name.split(" ", 1)[0].rstrip(".,") for name in names)
    return names, max(name.count(" ") + 1 for name in names), firsts


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


_WORD_CHAR = re.compile(r"\w")


def gazetteer(text: str):
    """Named places, longest name first, matched whole where a capitalised word begins."""
    names, most, firsts = _names()
    lex = lexicon()
    locative = _locative()
    end = -1
    for tok in tokens(text):
        if tok.start < end or tok.text not in firsts or not tok.cap:
            continue
        words = text[tok.start:tok.start + 80].split("\n", 1)[0].split(" ", most)[:most]  # no name spans a line
        found = None
        for k in range(len(words), 0, -1):
            phrase = " ".join(words[:k])
            stripped = phrase.rstrip(".,;:!?)\"'’”")
            for candidate in (stripped, stripped + ".") if stripped != phrase else (phrase,):
                pop = names.get(candidate)
                if pop is not None and not _WORD_CHAR.match(text, tok.start + len(candidate)):
                    found = candidate, pop
                    break
            if found:
                break
        if found is None:
            continue
        stop, pop = tok.start + len(found[0]), found[1]
        end = stop
        if pop < 0:
            continue  # a state or country, matched whole so the town inside it is not
        one_word = stop == tok.end
        ambiguous = one_word and (_ordinary(lex.frequency(tok.text), pop) or
                                  lex.is_name_word(tok.text) and pop < 100_000 or
                                  tok.sentence_start and lex.frequency(tok.text) >= 3.0 and pop < 100_000)
        after = text[stop:stop + 24].split(None, 1)
        follower = after[0].strip(".,;:!?)").lower() if after and text[stop:stop + 1] == " " else ""
        if (not ambiguous or tok.before in locative) and follower not in _eponym_followers():
            yield "place", tok.start, stop


@lru_cache(maxsize=1)
def _context() -> tuple[dict[str, list[str]], re.Pattern, re.Pattern]:
    p = tables()["places"]
    after: dict[str, list[str]] = {}
    for phrase in p["context"]:
        after.setdefault(phrase.split()[-1].lower(), []).append(phrase.lower())
    named_street = re.compile(rf"\b(?:{alternation(p['street_prefixes_named'])})[ \t]+"
                              rf"(?:(?:de|del|della|di|da|do|dos|das|la|le|les|du|des)[ \t]+|d['’]|l['’])?"
                              rf"{NAME}(?:[ \t]+(?:{NAME}|de|del|di|da|do|la|le)){{0,4}}")
    place_word = re.compile(rf"\b{NAME}(?:[ \t]+{NAME}){{0,2}}[ \t]+(?:{alternation(p['place_words'])})\b")
    return after, named_street, place_word


_NEAR = frozenset({"in", "to", "from", "near", "outside"})


def by_context(text: str):
    """A capitalised name after words that introduce a place ("grew up in Kennedyfurt"), a street named by its
    type ("Viela Pedro Lima"), or a name and a place word ("Millbrook County")."""
    lex = lexicon()
    after, named_street, place_word = _context()
    p = tables()["places"]
    toks = tokens(text)
    present = {t.text for t in toks}
    lower_streets = ("rue ", "impasse ", "allée ", "chemin ", "quai ")
    for pattern, words in ((named_street, p["street_prefixes_named"]), (place_word, p["place_words"])):
        if present.isdisjoint(words) and (pattern is not named_street or not any(w in text for w in lower_streets)):
            continue  # the words are rare: a set test spares the scan
        for m in pattern.finditer(text):
            if not lex.common(m.group(0).split()[0]) or pattern is named_street:
                yield "place", m.start(), m.end()
    near = _NEAR
    for i, tok in enumerate(toks):
        if not tok.cap:
            continue
        if tok.before in near and tok.gap == " " and lex.frequency(tok.text) == 0.0 and not (
                lex.is_given(tok.text) or lex.is_surname(tok.text)) and not tok.possessive and len(tok.text) > 3 \
                and not (i + 1 < len(toks) and joined(tok, toks[i + 1])):
            yield "place", tok.start, tok.end  # "then to Oakridge": a name no list knows, where a place goes
            continue
        if not after_phrase(text, tok, after):
            continue
        run = [tok]
        while len(run) < 3 and i + len(run) < len(toks) and joined(run[-1], toks[i + len(run)]) and \
                "\n" not in toks[i + len(run)].gap:
            run.append(toks[i + len(run)])
        while run and lex.common(run[-1].text):
            run.pop()
        if run:  # (every word an ordinary one, "moved to Night Shift", is no place)
            yield "place", run[0].start, run[-1].end
