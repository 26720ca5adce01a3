"""Every detector of the registry, run alone on the examples of its table (detectors.toml), as the URL rules are."""

from __future__ import annotations

import pytest
from anonymize.scrub.findings import DETECTORS, PRIORITY
from anonymize.scrub.findings.registry import examples

BY_NAME = {d.name: d for d in DETECTORS}
FINDS = [(name, *case) for name, table in examples().items() for case in table.get("finds", [])]
QUIET = [(name, text) for name, table in examples().items() for text in table.get("quiet", [])]


def _run(name: str, text: str) -> list[tuple[str, str]]:
    return [(kind, text[start:end]) for kind, start, end in BY_NAME[name].function(text)]


def test_every_detector_has_examples_of_both_kinds():
    assert set(examples()) == set(BY_NAME)
    assert [n for n, t in examples().items() if not t.get("finds") or not t.get("quiet")] == []


def test_every_kind_a_detector_reports_is_ranked():
    assert {k for d in DETECTORS for k in d.kinds} <= set(PRIORITY)


@pytest.mark.parametrize("name, text, kind, found", FINDS)
def test_detector_finds(name, text, kind, found):
    assert (kind, found) in _run(name, text), _run(name, text)


@pytest.mark.parametrize("name, text", QUIET)
def test_detector_is_quiet(name, text):
    assert _run(name, text) == []


@pytest.mark.parametrize("name, text, kind, found", [c for c in FINDS if BY_NAME[c[0]].kinds[0] in c[2:3]
                                                     or c[2] in BY_NAME[c[0]].kinds])
def test_examples_report_only_the_detectors_own_kinds(name, text, kind, found):
    assert kind in BY_NAME[name].kinds
