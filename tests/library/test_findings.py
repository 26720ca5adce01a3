"""Identifier findings: recall on our labeled essays, quiet on a clean one, and each class by example."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from anonymize.scrub.findings import PRIORITY, Finding, detect
from anonymize.scrub.findings.numbers import dea_valid, npi_valid, vin_valid
from conftest import CONTENT, ROOT

CORPUS = ROOT / "tests" / "corpus" / "findings"
LABELED = sorted(p for p in CORPUS.glob("*.md") if p.with_suffix(".json").exists())


def _labels():
    for md in LABELED:
        for kind, text in json.loads(md.with_suffix(".json").read_text("utf-8")):
            yield md, kind, text


def _matches(found: list[Finding], kind: str, text: str) -> bool:
    return any(f.kind == kind and (f.text == text or text in f.text or f.text in text) for f in found)


def recall_by_class() -> dict[str, tuple[int, int]]:
    found = {md: detect(md.read_text("utf-8")) for md in LABELED}
    total, hit = Counter(), Counter()
    for md, kind, text in _labels():
        total[kind] += 1
        hit[kind] += _matches(found[md], kind, text)
    return {k: (hit[k], total[k]) for k in total}


def test_corpus_covers_every_safe_harbor_class_several_times():
    counts = Counter(kind for _, kind, _ in _labels())
    required = {"name", "place", "date", "age", "phone", "fax", "email", "ssn", "record-number", "npi", "dea",
                "vehicle", "device", "url", "ip-address", "unique-code", "institution", "handle", "username"}
    assert required <= set(counts)
    assert all(counts[k] >= 3 for k in required), {k: counts[k] for k in required if counts[k] < 3}


def test_recall_is_at_least_95_percent_per_class():
    recall = recall_by_class()
    low = {k: f"{h}/{t}" for k, (h, t) in recall.items() if h / t < 0.95}
    assert low == {}


def test_clean_essay_naming_public_organisations_is_quiet():
    text = (CORPUS / "clean-essay.md").read_text("utf-8")
    assert len(text.split()) >= 400
    assert len(detect(text)) <= 2, detect(text)


def test_sample_essays_have_no_findings_outside_links():
    for path in sorted((CONTENT / "essays").glob("*.md")):
        body = path.read_text("utf-8").split("\n\n", 1)[1]
        kinds = [f for f in detect(body) if f.kind != "unique-code"]
        assert kinds == [], path


def test_findings_have_kind_exact_text_and_line():
    text = "First line.\nCall Dr. Helen Marsh on 0161 496 0732.\n"
    found = detect(text)
    assert Finding("name", "Helen Marsh", 2) in found
    assert all(f.text in text.splitlines()[f.line - 1] for f in found)
    assert {f.kind for f in found} <= set(PRIORITY)


def test_acknowledged_findings_are_left_out():
    text = "Dr. Atul Gawande wrote about checklists; Dr. Helen Marsh did not."
    assert [f.text for f in detect(text, acknowledged=["name: Atul Gawande"])] == ["Helen Marsh"]
    assert [f.text for f in detect(text, acknowledged=["Helen Marsh", "atul gawande"])] == []


@pytest.mark.parametrize("number, valid", [("1234567893", True), ("1245319599", True), ("1234567890", False)])
def test_npi_check_digit(number, valid):
    assert npi_valid(number) is valid


@pytest.mark.parametrize("code, valid", [("AB1234563", True), ("BM6125341", True), ("AB1234564", False)])
def test_dea_check_digit(code, valid):
    assert dea_valid(code) is valid


def test_vin_check_digit():
    assert vin_valid("1HGCM82633A004352") and not vin_valid("1HGCM82633A004353")


@pytest.mark.parametrize("text, kind", [
    ("write to jo@ward.example.net", "email"),
    ("ring 020 7946 0958 tonight", "phone"),
    ("fax: (0113) 496 0870", "fax"),
    ("SSN 078-05-1120", "ssn"),
    ("MRN: 00457-8823", "record-number"),
    ("NPI 1245319599", "npi"),
    ("DEA BM6125341", "dea"),
    ("VIN 1HGCM82633A004352", "vehicle"),
    ("IMEI 490154203237518", "device"),
    ("see https://intranet.hospital.example/rota", "url"),
    ("from 10.1.2.3", "ip-address"),
    ("code QX7K9M2Z4", "unique-code"),
    ("at St. Jude's Medical Center", "institution"),
    ("follow @nightnurse", "handle"),
    ("I am u/tired_reg", "username"),
    ("on 3 March 2024", "date"),
    ("a 97-year-old man", "age"),
    ("at 17 Quarry Lane", "place"),
    ("Nurse Kwame Mensah", "name"),
    ("pa\u200btient", "hidden-character"),
    ("the \u0440\u0430tient", "lookalike"),
])
def test_each_class_by_example(text, kind):
    assert kind in {f.kind for f in detect(text)}, detect(text)


def test_public_platforms_are_not_findings():
    text = "I read it on Reddit, Facebook, Doximity and Sermo; the AMA, the CDC and the WHO agree; Medicare pays."
    assert detect(text) == []


def test_no_finding_spans_a_paragraph_break():
    text = "Contributing Writer\n\nThomas Jefferson University\n\nDr.\n\nHelen Marsh"
    found = detect(text)
    assert ("institution", "Thomas Jefferson University") in {(f.kind, f.text) for f in found}
    assert all("\n\n" not in f.text for f in found)


def test_a_failing_detector_raises_an_error_naming_it(monkeypatch):
    import anonymize.scrub.findings as findings
    from anonymize.scrub.findings import DetectorError
    from anonymize.scrub.findings.registry import Detector

    def broken(text: str):
        raise ValueError("substring not found")
        yield

    monkeypatch.setattr(findings, "_WHOLE", (Detector("places.institutions", ("institution",), broken),))
    with pytest.raises(DetectorError, match="places.institutions.*substring not found"):
        detect("any text")


@pytest.mark.parametrize("text, kind, value", [
    ("logged at 2024-03-05T14:31:07Z by the pump", "date", "2024-03-05T14:31:07Z"),
    ("logged at 2024-03-05 14:31:07 by the pump", "date", "2024-03-05 14:31:07"),
    ("the amex 378282246310005 on file", "card-number", "378282246310005"),
    ("the Mayo Clinic in Rochester", "institution", "Mayo Clinic"),
    ("the Mayo Clinic in Rochester", "place", "Rochester"),
    ("trained at Cleveland Clinic", "institution", "Cleveland Clinic"),
    ("moved to New York City", "place", "New York City"),
    ("Malvina Sandberg called", "name", "Malvina Sandberg"),
])
def test_issue_examples_find_the_right_kind(text, kind, value):
    found = {(f.kind, f.text) for f in detect(text)}
    assert (kind, value) in found, found
    assert not any(f.kind in ("phone", "device") for f in detect(text))


def test_new_york_is_a_state_not_york():
    assert [f for f in detect("I trained in New York and Texas.") if f.kind == "place"] == []


def test_a_place_name_at_the_end_of_a_line_is_found_whole():
    found = detect("She now works in Palo Alto\nand likes it.")
    assert [(f.kind, f.text) for f in found] == [("place", "Palo Alto")]


def test_header_values_are_read_as_paragraphs_and_keep_their_lines():
    from anonymize.scrub.findings.essay import findings_for

    text = ("Title: Nights at the ward\nCategory: Burnout\nSummary: She moved to Palo Alto\nTags: Priya Raman\n\n"
            "Body.\n")
    got = [(f.kind, f.text, f.line) for f in findings_for(text)]
    assert ("place", "Palo Alto", 3) in got and ("name", "Priya Raman", 4) in got
    # a value's first word has no word before it: the same findings as each value alone
    assert got == [(k, t, n) for k, t, n in got if n in (3, 4)]
