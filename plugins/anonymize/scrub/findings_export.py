"""The desk's findings rules as JSON for the "Prepare your essay" page.

The page finds identifiers in the writer's browser with the desk's own
patterns and word lists, so desk and page agree on what they flag. Nothing
here restates a pattern: each one is read from the detector modules (their
module-level patterns and the patterns their builders return) and translated
by `regex_js.to_js`; word lists come from the loaded tables. A detector
pattern that JavaScript cannot express, or a pattern the page's code names
that the detectors no longer have, fails the export with its name.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import pkgutil
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from types import ModuleType

from anonymize.scrub import findings
from anonymize.scrub.findings import contact, dates, gazetteer, institutions, numbers, people, places
from anonymize.scrub.findings.tables import tables
from anonymize.scrub.regex_js import Untranslatable, to_js


def _module_patterns(module: ModuleType, prefix: str) -> dict[str, re.Pattern]:
    return {f"{prefix}.{name}": value for name, value in vars(module).items() if isinstance(value, re.Pattern)}


def _module_word_sets() -> dict[str, list[str]]:
    """Every module-level set or tuple of strings of the detector modules (`places._NEAR`, `tokens._STARTERS`...),
    named `module.NAME`, so the page reads the desk's word lists rather than a copy."""
    out = {}
    for info in pkgutil.iter_modules(findings.__path__):
        module = importlib.import_module(f"{findings.__name__}.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, (frozenset, set, tuple)) and value and all(isinstance(v, str) for v in value):
                out[f"{info.name}.{name}"] = sorted(value) if isinstance(value, (frozenset, set)) else list(value)
    return out


def _all_module_patterns() -> dict[str, re.Pattern]:
    """Every module-level pattern of every detector module, named `module.NAME`."""
    out = _module_patterns(findings, "findings")
    for info in pkgutil.iter_modules(findings.__path__):
        module = importlib.import_module(f"{findings.__name__}.{info.name}")
        out |= _module_patterns(module, info.name)
    return out


def _built_patterns() -> tuple[dict[str, re.Pattern], list[str]]:
    """Patterns the detectors build from their tables at first use (named as the page's code names them).

    Each is looked up where the detectors keep it; one the detectors no longer build is reported as
    unavailable (the page says so, and the agreement test measures the difference) instead of failing the build.
    """
    t = tables()

    def places_patterns():
        out = {f"places.{name}": p for name, p in places._patterns().items()}
        out |= {f"places.postcode.{i}": p for i, p in enumerate(places._postcodes())}
        _after, named_street, place_word = places._context()
        return out | {"places.named_street": named_street, "places.place_word": place_word}

    def people_patterns():
        words = people._words()
        trigger, rest = words[2]
        return {"people.lower_trigger": trigger, "people.lower_rest": rest, "people.particle_gap": words[5]}

    def institution_patterns():
        institution, institution_of, saint, named, known, _capital, _suffix_at, prefixed = institutions._patterns()
        return {"institutions.institution": institution, "institutions.institution_of": institution_of,
                "institutions.saint": saint, "institutions.named": named, "institutions.known": known,
                "institutions.prefixed": prefixed}

    def keyword_patterns():
        return {f"numbers.keyword.{kind}": numbers._pattern(kind, tuple(t["codes"][key]))
                for kind, key in (("record-number", "record_words"), ("device", "device_words"),
                                  ("vehicle", "vehicle_words"))}

    def number_lists():
        out = {f"numbers.card_brand.{i}": p for i, (p, _lengths) in enumerate(numbers.CARD_BRANDS)}
        return out | {f"numbers.national_id.{i}": p for i, (p, _v) in enumerate(numbers.NATIONAL_IDS)}

    out: dict[str, re.Pattern] = {}
    unavailable: list[str] = []
    sources = {"places": places_patterns, "people": people_patterns, "institutions": institution_patterns,
               "numbers.keyword": keyword_patterns, "numbers.lists": number_lists,
               "findings.public_names": lambda: {"findings.public_names": findings._public_names()[0]},
               "dates": lambda: {f"dates.{i}": p for i, p in enumerate(dates.PATTERNS)}}
    for name, source in sources.items():
        try:
            out |= source()
        except (AttributeError, KeyError, TypeError, ValueError, IndexError):
            unavailable.append(name)
    return out, unavailable


# Letters of the scripts the text tables name (Latin, Greek, Cyrillic, Armenian, Cherokee, Arabic, the Indic scripts,
# Syriac) are all in Unicode's first two planes; the planes above hold ideographs, tags and private use, none
# named after these scripts (tests/library/test_regex_js.py compares with a scan of every code point).
SCRIPT_PLANES_END = 0x20000


@lru_cache(maxsize=1)
def _script_ranges(names: tuple[str, ...], end: int = SCRIPT_PLANES_END) -> dict[str, list[list[int]]]:
    """Code point ranges whose Unicode name begins with each script name (what text_scrub._script reads)."""
    wanted = set(names)
    ranges: dict[str, list[list[int]]] = {n: [] for n in names}
    for cp in range(end):
        name = unicodedata.name(chr(cp), "")
        script = name.split(" ", 1)[0] if name else ""
        if script in wanted:
            r = ranges[script]
            if r and r[-1][1] == cp - 1:
                r[-1][1] = cp
            else:
                r.append([cp, cp])
    return ranges


def _text_tables() -> dict:
    from anonymize.scrub.text_scrub import _tables as text_tables

    t = text_tables()
    return {
        "invisible": t["invisible"], "variation": t["variation"], "tags": t["tags"], "emoji": t["emoji"],
        "zwj": t["zwj"], "zwnj": t["zwnj"], "zwnj_scripts": list(t["zwnj_scripts"]), "lookalike": list(t["lookalike"]),
    }


def _get(getter, default):
    try:
        return getter()
    except (AttributeError, KeyError, TypeError):
        return default


def _plain(value):
    """Loaded tables as JSON: sets become sorted lists; examples (run by the desk's tests) are left out."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "examples"}
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


# The name flags the page's people detector reads (lexicon.py's decisions, made here once per word).
GIVEN, SURNAME, ORDINARY, PLAIN, EXPECTED_3 = 1, 2, 4, 8, 16
# Populations as the detectors compare them (!= 0, > 0, < 15,000, >= 100,000, < 0): one value per band.
BANDS = (-1, 0, 1, 15_000, 100_000)


def _band(population: int) -> int:
    return max(b for b in BANDS if b <= population) if population >= 0 else -1


def _front_coded(words) -> list[str]:
    """Sorted words, each as one character for the length it shares with the word before (+32) and the rest."""
    out, prev = [], ""
    for word in sorted(words):
        n, limit = 0, min(len(word), len(prev), 90)
        while n < limit and word[n] == prev[n]:
            n += 1
        if n and not word.isascii() and max(word[:n]) > "\uffff":
            n = 0  # the page counts UTF-16 units: share nothing rather than cut a character in two
        out.append(chr(32 + n) + word[n:])
        prev = word
    return out


def lexicon_text() -> str:
    """The word data the name, place and institution detectors decide with, as sections of front-coded words.

    Each section begins with a line of a NUL character and its title:
    - `names F`: name keys (lower case, accents folded) with flags F: given name, surname, mostly an ordinary
      word (lexicon.ordinary), plain (Zipf no more than 0.8 above what its share of names predicts), and a
      predicted Zipf of 3 or more; each is the desk's own `Lexicon` method's answer for that key.
    - `zipf I`: wordfreq words whose Zipf value is 9 - I/100 (how lexicon.py reads the list).
    - `place P`: gazetteer names (boroughs added) in the population band P (`BANDS`); `raw-place P`: the
      boroughs as gazetteer.places() alone has them (what people.py reads); `ordinary-place`: one-word names
      places._ordinary finds far more frequent as a word than as a place.
    """
    from anonymize.scrub.findings.lexicon import lexicon

    lex = lexicon()
    sections: dict[str, list[str]] = {}
    for k in lex.given | lex.surnames:
        flags = (GIVEN * (k in lex.given) | SURNAME * (k in lex.surnames) | ORDINARY * (k in lex.ordinary)
                 | PLAIN * (lex.name_excess(k) <= 0.8) | EXPECTED_3 * (lex.expected(k) >= 3.0))
        sections.setdefault(f"names {flags}", []).append(k)
    for word, zipf in lex.zipf.items():
        i = round((9 - zipf) * 100)
        if 9 - i / 100 != zipf:
            raise ValueError(f"wordfreq value {zipf} of {word!r} is not on the 0.01 scale lexicon.py reads")
        sections.setdefault(f"zipf {i}", []).append(word)
    names = places._names()[0]
    raw = gazetteer.places()
    for name in names:  # the people detector reads the gazetteer without the boroughs places.py adds
        if raw.get(name, 0) != names[name] and name in tables()["places"]["boroughs"]:
            sections.setdefault(f"raw-place {_band(raw.get(name, 0))}", []).append(name)
    for name, population in names.items():
        sections.setdefault(f"place {_band(population)}", []).append(name)
        if " " not in name and places._ordinary(lex.frequency(name), population):
            sections.setdefault("ordinary-place", []).append(name)
    parts = []
    for title in sorted(sections):
        parts.append("\0" + title)
        parts += _front_coded(sections[title])
    return "\n".join(parts)


def _lexicon_blob() -> str:
    """lexicon_text(), raw-deflated and base64-encoded (the page inflates it with DecompressionStream)."""
    import base64
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    return base64.b64encode(packer.compress(lexicon_text().encode("utf-8")) + packer.flush()).decode("ascii")


def _iban_structures() -> dict[str, str]:
    """Country code -> the BBAN structure in python-stdnum's IBAN registry (iban.dat), as a pattern both dialects
    read alike (`[0-9]{5}[A-Za-z0-9]{11}`...)."""
    try:
        from stdnum import iban

        out = {}
        for line in (resources.files("stdnum") / "iban.dat").read_text("utf-8").splitlines():
            cc = line[:2]
            if len(line) > 2 and cc.isalpha() and cc.isupper() and line[2] == " ":
                info = iban._ibandb.info(cc + "00")
                if info and info[0][1].get("bban"):
                    out[cc] = iban._struct_to_re(info[0][1]["bban"]).pattern
        return out
    except (ImportError, AttributeError, KeyError, TypeError, IndexError, OSError):
        return {}


def _belgian_banks() -> list[str]:
    """The three-digit bank codes python-stdnum's Belgian bank registry knows (be.iban refuses any other)."""
    try:
        from stdnum import numdb

        banks = numdb.get("be/banks")
        return [code for code in (f"{i:03d}" for i in range(1000)) if banks.info(code)[0][1]]
    except (ImportError, AttributeError, KeyError, TypeError, IndexError, OSError):
        return []


def _phone_local_lengths() -> dict[str, list[int]]:
    """Per region the desk reads phone numbers in, the lengths phonenumbers' metadata says are dialled only locally
    (with POSSIBLE leniency it takes them as numbers; the page adds them to libphonenumber-js's lengths)."""
    try:
        from phonenumbers import PhoneMetadata

        out = {}
        for region in contact.REGIONS:
            metadata = PhoneMetadata.metadata_for_region(region)
            if metadata is not None:
                out[region] = sorted(metadata.general_desc.possible_length_local_only)
        return out
    except (ImportError, AttributeError, TypeError):
        return {}


def export(lexicon_blob=None) -> dict:
    """Everything the page's detectors read, as JSON-ready data; what could not be exported is listed.

    `lexicon_blob` gives the packed word data (a caller's cache of `_lexicon_blob()`, which reads the desk's
    name, word and place data: about a second); by default it is made here.
    """
    patterns = _all_module_patterns()
    built, unavailable = _built_patterns()
    patterns |= built
    js = {}
    for name, pattern in sorted(patterns.items()):
        try:
            js[name] = to_js(pattern)
        except Untranslatable:
            unavailable.append(name)  # the page runs without it; tests/browser/test_prepare.py measures agreement
    t = tables()
    text = _text_tables()
    try:
        blob = lexicon_blob() if lexicon_blob else _lexicon_blob()
    except (AttributeError, KeyError, TypeError, ValueError, IndexError):
        blob = ""
        unavailable.append("lexicon")
    data = {
        "patterns": js,
        "unavailable": sorted(unavailable),
        "grouped": sorted(name for name, p in patterns.items() if p.groups and name in js),
        "date_patterns": sorted((n for n in js if re.fullmatch(r"dates\.\d+", n)), key=lambda n: int(n[6:])),
        "tables": _plain({k: v for k, v in t.items() if k not in ("public_names", "public_lower", "public_domains",
                                                                   "public_codes")}),
        "derived": {
            "public_lower": sorted(_get(lambda: t["public_lower"], ())),
            "public_codes": sorted(_get(lambda: t["public_codes"], ())),
            "regions": list(_get(lambda: contact.REGIONS, ("US",))),
            "username_words": list(_get(lambda: contact.USERNAME_WORDS, ())),
            "priority": list(findings.PRIORITY),
            "card_lengths": _get(lambda: [list(lengths) for _p, lengths in numbers.CARD_BRANDS], []),
            "national_validators": _get(lambda: [v for _p, v in numbers.NATIONAL_IDS], []),
            "institution_first_words": _get(lambda: _plain(institutions._first_words()), {}),
            "institution_reach": _get(lambda: institutions.REACH, 200),
            "max_name_words": _get(lambda: people.MAX_WORDS, 4),
            "place_patterns": _get(lambda: list(places._patterns()), []),
            "postcode_count": _get(lambda: len(places._postcodes()), 0),
            "iban_bban": _iban_structures(),
            "iban_be_banks": _belgian_banks(),
            "phone_local_lengths": _phone_local_lengths(),
        },
        "sets": _module_word_sets(),
        "lexicon": blob,
        "text": text,
        "scripts": _script_ranges(tuple(dict.fromkeys(text["zwnj_scripts"] + text["lookalike"]))),
    }
    data["version"] = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]
    return data


def export_json(lexicon_blob=None) -> str:
    return json.dumps(export(lexicon_blob), separators=(",", ":"), ensure_ascii=True)
