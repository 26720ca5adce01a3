"""The name, word and place data the prepare page carries (findings_export.lexicon_text), as the page unpacks it.

node runs the page's own `unpack` (theme/prepare/findings.js: base64, DecompressionStream, front coding) on the
packed data the build inlines; what comes out must be, word for word, what the desk's detectors decide with:
every given name and surname with the Lexicon's answers, every wordfreq value, and every gazetteer name in a
population band that keeps each comparison the detectors make. tests/browser/test_prepare.py then measures the
agreement of the findings themselves in Chromium.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from conftest import ROOT, require_tool

UNPACK = """
const fs = require('fs');
require(process.argv[1]);
const blob = fs.readFileSync(0, 'utf8');
globalThis.UnsignedFindings.unpack(blob).then((lex) => {
  process.stdout.write(JSON.stringify({
    names: [...lex.names], zipf: [...lex.zipf], places: [...lex.places], raw: [...lex.rawPlaces],
    ordinary: [...lex.ordinaryPlaces],
  }));
});
"""


@pytest.fixture(scope="module")
def unpacked() -> dict:
    from anonymize.scrub.findings_export import _lexicon_blob

    done = subprocess.run([require_tool("node"), "-e", UNPACK, str(ROOT / "theme" / "prepare" / "findings.js")],
                          input=_lexicon_blob(), capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_every_name_with_the_lexicons_answers(unpacked):
    from anonymize.scrub.findings.lexicon import lexicon
    from anonymize.scrub.findings_export import EXPECTED_3, GIVEN, ORDINARY, PLAIN, SURNAME

    lex = lexicon()
    names = dict(unpacked["names"])
    assert set(names) == lex.given | lex.surnames
    for k, flags in names.items():
        assert bool(flags & GIVEN) == (k in lex.given) and bool(flags & SURNAME) == (k in lex.surnames), k
        assert bool(flags & ORDINARY) == (k in lex.ordinary), k
        assert bool(flags & PLAIN) == (lex.name_excess(k) <= 0.8), k
        assert bool(flags & EXPECTED_3) == (lex.expected(k) >= 3.0), k
    assert any(not k.isascii() for k in names)  # letters no accent folding removes ("ø", "ł") came through


def test_every_word_frequency_exactly(unpacked):
    from anonymize.scrub.findings.lexicon import lexicon

    assert dict(unpacked["zipf"]) == lexicon().zipf  # the same float, computed as 9 - i/100 on both sides


def test_every_place_in_a_band_that_keeps_the_detectors_comparisons(unpacked):
    from anonymize.scrub.findings import places
    from anonymize.scrub.findings.gazetteer import places as gazetteer
    from anonymize.scrub.findings.lexicon import lexicon

    def same(population: int, band: int) -> bool:  # every comparison places.py and people.py make
        return all((population < edge) == (band < edge) for edge in (0, 1, 15_000, 100_000)) and \
            (population != 0) == (band != 0)

    names = places._names()[0]
    got = dict(unpacked["places"])
    assert set(got) == set(names) and len(got) > 90_000
    assert all(same(names[n], got[n]) for n in names)
    raw = gazetteer()
    people_view = {n: dict(unpacked["raw"]).get(n, got[n]) for n in got}  # what people.py reads
    assert all(same(raw.get(n, 0), people_view[n]) for n in names)
    lex = lexicon()
    assert set(unpacked["ordinary"]) == {n for n, p in names.items()
                                         if " " not in n and places._ordinary(lex.frequency(n), p)}
    assert {"Reading", "Mobile"} <= set(unpacked["ordinary"]) and "Boston" not in unpacked["ordinary"]
