"""Recall of the identifier findings per class on labeled text, and false findings on a clean control.

The corpus is tests/findings_corpus.py's: Faker essays in eight locales, essays written with labels, and a clean
control of first-person commentary. `invoke recall` prints the table; tests/library/test_findings_recall.py holds
the floors (recall >= 0.95 per class, <= 2 false findings per 1,000 words of the control).
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from anonymize.scrub.findings import Finding, detect

CLASSES = {
    "names": {"name"},
    "places": {"place"},
    "institutions": {"institution"},
    "numbers": {"ssn", "npi", "dea", "card-number", "iban", "national-id", "vehicle", "device", "record-number",
                "phone", "fax", "unique-code"},
    "dates": {"date", "age"},
    "contacts": {"email", "url", "ip-address", "handle", "username"},
}
CLASS_OF = {kind: name for name, kinds in CLASSES.items() for kind in kinds}
FLOORS = {"names": 0.95, "places": 0.95, "institutions": 0.95, "numbers": 0.95, "dates": 0.95}
CONTROL_PER_1000_WORDS = 2.0


@dataclass
class Result:
    hits: Counter
    totals: Counter
    misses: list[tuple[str, str, str]]  # (essay, kind, text)
    control_words: int
    control_findings: list[tuple[str, Finding]]

    def recall(self, cls: str) -> float:
        return self.hits[cls] / self.totals[cls] if self.totals[cls] else 1.0

    @property
    def control_rate(self) -> float:
        return 1000 * len(self.control_findings) / max(self.control_words, 1)


def hit(found: list[Finding], kind: str, text: str) -> bool:
    """A finding of the label's class whose text holds the label or lies inside it."""
    cls = CLASS_OF.get(kind, kind)
    return any(CLASS_OF.get(f.kind, f.kind) == cls and (text in f.text or f.text in text) for f in found)


def evaluate(labeled=None, control=None) -> Result:
    tests = str(Path(__file__).resolve().parent.parent / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)
    import findings_corpus as corpus

    labeled = labeled if labeled is not None else corpus.generated() + corpus.written()
    control = control if control is not None else corpus.control()
    hits, totals, misses = Counter(), Counter(), []
    for essay in labeled:
        found = detect(essay.text)
        for kind, text in essay.labels:
            cls = CLASS_OF.get(kind, kind)
            totals[cls] += 1
            if hit(found, kind, text):
                hits[cls] += 1
            else:
                misses.append((essay.name, kind, text))
    words = sum(len(essay.text.split()) for essay in control)
    false = [(essay.name, f) for essay in control for f in detect(essay.text)]
    return Result(hits, totals, misses, words, false)


def table(result: Result) -> str:
    lines = ["| class | found / labeled | recall | floor |", "|---|---:|---:|---:|"]
    for cls in CLASSES:
        if result.totals[cls]:
            floor = f"{FLOORS[cls]:.2f}" if cls in FLOORS else "-"
            lines.append(f"| {cls} | {result.hits[cls]} / {result.totals[cls]} | {result.recall(cls):.3f} | {floor} |")
    lines.append("")
    lines.append(f"Clean control: {result.control_words} words, {len(result.control_findings)} false finding(s), "
                 f"{result.control_rate:.2f} per 1,000 words (ceiling {CONTROL_PER_1000_WORDS:.0f}).")
    return "\n".join(lines)


def main(show_misses: bool = False) -> int:
    result = evaluate()
    print(table(result))
    if show_misses:
        for name, kind, text in result.misses:
            print(f"missed: {name}: {kind} {text!r}")
        for name, f in result.control_findings:
            print(f"control: {name}: line {f.line}: {f.kind} {f.text!r}")
    low = [c for c, floor in FLOORS.items() if result.recall(c) < floor]
    return 1 if low or result.control_rate > CONTROL_PER_1000_WORDS else 0


if __name__ == "__main__":
    sys.exit(main(show_misses="--misses" in sys.argv))
