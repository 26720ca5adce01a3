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
from types import ModuleType

from anonymize.scrub import findings
from anonymize.scrub.findings import contact, dates, numbers, people, places
from anonymize.scrub.findings.tables import tables
from anonymize.scrub.regex_js import Untranslatable, to_js


def _module_patterns(module: ModuleType, prefix: str) -> dict[str, re.Pattern]:
    return {f"{prefix}.{name}": value for name, value in vars(module).items() if isinstance(value, re.Pattern)}


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
        street, zip_code, postcode, place_word, cities, institution, university_of, _ = places._patterns()
        return {"places.street": street, "places.zip_code": zip_code, "places.postcode": postcode,
                "places.place_word": place_word, "places.cities": cities, "places.institution": institution,
                "places.university_of": university_of}

    def people_patterns():
        after_title, after_intro, full, _ = people._patterns()
        return {"people.after_title": after_title, "people.after_intro": after_intro, "people.full": full}

    def keyword_patterns():
        return {f"numbers.keyword.{kind}": numbers._pattern(kind, tuple(t["codes"][key]))
                for kind, key in (("record-number", "record_words"), ("device", "device_words"),
                                  ("vehicle", "vehicle_words"))}

    out: dict[str, re.Pattern] = {}
    unavailable: list[str] = []
    sources = {"places": places_patterns, "people": people_patterns, "numbers.keyword": keyword_patterns,
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


def export() -> dict:
    """Everything the page's detectors read, as JSON-ready data; what could not be exported is listed."""
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
    data = {
        "patterns": js,
        "unavailable": sorted(unavailable),
        "grouped": sorted(name for name, p in patterns.items() if p.groups and name in js),
        "date_patterns": sorted((n for n in js if re.fullmatch(r"dates\.\d+", n)), key=lambda n: int(n[6:])),
        "tables": {
            "public_names": sorted(_get(lambda: t["public_names"], ())),
            "public_lower": sorted(_get(lambda: t["public_lower"], ())),
            "public_domains": list(_get(lambda: t["public_domains"], ())),
            "public_codes": sorted(_get(lambda: t["public_codes"], ())),
            "given_names": sorted(_get(lambda: t["given_names"], ())),
            "surnames": sorted(_get(lambda: t["surnames"], ())),
            "not_names": list(_get(lambda: t["people"]["not_names"], ())),
            "common": sorted(_get(lambda: people._COMMON, ())),
            "regions": list(_get(lambda: contact.REGIONS, ("US",))),
            "username_words": list(_get(lambda: contact.USERNAME_WORDS, ())),
            "priority": list(findings.PRIORITY),
        },
        "text": text,
        "scripts": _script_ranges(tuple(dict.fromkeys(text["zwnj_scripts"] + text["lookalike"]))),
    }
    data["version"] = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]
    return data


def export_json() -> str:
    return json.dumps(export(), separators=(",", ":"), ensure_ascii=True)
