"""The desk's view of findings: header values on their own lines, and a gate that fails closed on a detector bug."""

from __future__ import annotations

import json
from pathlib import Path

import anonymize.scrub.findings as findings
from anonymize.desk.publish_gate import refusals
from anonymize.scrub.findings.essay import findings_for, unacknowledged
from anonymize.scrub.findings.registry import Detector

ESSAY = """Title: The Ninety-Three-Year-Old Who Taught Me Patience
Date: 2025-03-04
Tags: Boston, night shift
Summary: A night on Ward 4B.
Series: Nights

I met Jake Thompson on my first night.

Contributing Writer

Thomas Jefferson University
"""


def test_header_findings_carry_their_own_line_numbers():
    found = {(f.kind, f.text, f.line) for f in findings_for(ESSAY)}
    assert ("age", "Ninety-Three-Year-Old", 1) in found
    assert ("place", "Boston", 3) in found
    assert ("place", "Ward 4B", 4) in found
    assert ("name", "Jake Thompson", 7) in found
    assert ("institution", "Thomas Jefferson University", 11) in found
    assert not any(f.text.startswith("Contributing") for f in findings_for(ESSAY))


def test_a_failing_detector_closes_the_gate_naming_the_essay(tmp_path: Path, monkeypatch):
    def broken(text: str):
        raise ValueError("substring not found")
        yield  # a generator, as detectors are

    monkeypatch.setattr(findings, "_WHOLE", (Detector("places.institutions", ("institution",), broken),))
    lines = unacknowledged(ESSAY)  # what the build's reader records for the essay in its report
    assert len(lines) == 1 and "places.institutions" in lines[0] and "cannot be checked" in lines[0]
    report = tmp_path / "build-report.json"
    report.write_text(json.dumps({"sources": [], "unacknowledged": {"essays/bio.md": lines}}), "utf-8")
    problems = refusals(report)
    assert problems and all(p.startswith("essays/bio.md: ") for p in problems)
    assert any("substring not found" in p for p in problems)
