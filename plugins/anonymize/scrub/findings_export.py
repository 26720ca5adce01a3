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
import json
import re
import unicodedata
from functools import lru_cache
from types import ModuleType

from anonymize.scrub import findings
from anonymize.scrub.findings import characters, contact, dates, numbers, people, places
from anonymize.scrub.findings.tables import tables
from anonymize.scrub.regex_js import Untranslatable, to_js


def _module_patterns(module: ModuleType, prefix: str) -> dict[str, re.Pattern]:
    return {f"{prefix}.{name}": value for name, value in vars(module).items() if isinstance(value, re.Pattern)}


def _built_patterns() -> dict[str, re.Pattern]:
    """Patterns the detectors build from their tables at first use (named as the page's code names them)."""
    street, zip_code, postcode, place_word, cities, institution, university_of, _ = places._patterns()
    after_title, after_intro, full, _ = people._patterns()
    t = tables()
    out = {
        "places.street": street, "places.zip_code": zip_code, "places.postcode": postcode,
        "places.place_word": place_word, "places.cities": cities, "places.institution": institution,
        "places.university_of": university_of,
        "people.after_title": after_title, "people.after_intro": after_intro, "people.full": full,
        "findings.public_names": findings._public_names()[0],
    }
    for kind, key in (("record-number", "record_words"), ("device", "device_words"), ("vehicle", "vehicle_words")):
        out[f"numbers.keyword.{kind}"] = numbers._pattern(kind, tuple(t["codes"][key]))
    out |= {f"dates.{i}": p for i, p in enumerate(dates.PATTERNS)}
    return out


@lru_cache(maxsize=1)
def _script_ranges(names: tuple[str, ...]) -> dict[str, list[list[int]]]:
    """Code point ranges whose Unicode name begins with each script name (what text_scrub._script reads)."""
    wanted = set(names)
    ranges: dict[str, list[list[int]]] = {n: [] for n in names}
    for cp in range(0x110000):
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


def export() -> dict:
    """Everything the page's detectors read, as JSON-ready data."""
    patterns: dict[str, re.Pattern] = {}
    for module, prefix in ((contact, "contact"), (numbers, "numbers"), (people, "people"), (characters, "characters"),
                           (findings, "findings")):
        patterns |= _module_patterns(module, prefix)
    patterns |= _built_patterns()
    js = {}
    for name, pattern in sorted(patterns.items()):
        try:
            js[name] = to_js(pattern)
        except Untranslatable as exc:
            raise Untranslatable(f"findings pattern {name}: {exc}") from None
    t = tables()
    text = _text_tables()
    data = {
        "patterns": js,
        "grouped": sorted(name for name, p in patterns.items() if p.groups),
        "date_patterns": [f"dates.{i}" for i in range(len(dates.PATTERNS))],
        "tables": {
            "public_names": sorted(t["public_names"]), "public_lower": sorted(t["public_lower"]),
            "public_domains": list(t["public_domains"]), "public_codes": sorted(t["public_codes"]),
            "given_names": sorted(t["given_names"]), "surnames": sorted(t["surnames"]),
            "not_names": list(t["people"]["not_names"]), "common": sorted(people._COMMON),
            "regions": list(contact.REGIONS), "username_words": list(contact.USERNAME_WORDS),
            "priority": list(findings.PRIORITY),
        },
        "text": text,
        "scripts": _script_ranges(tuple(dict.fromkeys(text["zwnj_scripts"] + text["lookalike"]))),
    }
    data["version"] = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]
    return data


def export_json() -> str:
    return json.dumps(export(), separators=(",", ":"), ensure_ascii=True)
