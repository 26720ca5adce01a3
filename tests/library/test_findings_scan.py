"""The findings' shortcuts (scan.py) find exactly what a plain `finditer` finds.

Each shortcut tries a pattern only where a match can begin; if that reasoning
were wrong for some text, an identifier would silently go unreported. These
tests compare every shortened scan with the plain scan on the labeled corpus,
the sample essays, the adversarial corpus and generated text built to sit on
the edges (capitals after letters, digits and marks; non-ASCII letters;
look-alike capitals).
"""

from __future__ import annotations

import re

from anonymize.scrub.findings import _public_names, contact, institutions
from anonymize.scrub.findings.scan import at_capitals
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st


def _texts() -> list[str]:
    folders = [ROOT / "tests" / "corpus" / "findings", ROOT / "tests" / "corpus" / "adversarial", ROOT / "content"]
    return [p.read_text("utf-8", "replace") for folder in folders for p in sorted(folder.rglob("*"))
            if p.suffix in {".md", ".html", ".txt"}]


def _capital_patterns() -> list[tuple[str, re.Pattern, bool]]:
    institution, institution_of, _saint, named, known, (prefixes_capital, known_capital), *_ = institutions._patterns()
    public, public_capital = _public_names()
    return [("institution", institution, prefixes_capital), ("institution of", institution_of, True),
            ("named institution", named, True), ("known institution", known, known_capital),
            ("public names", public, public_capital)]


def _spans(matches) -> list[tuple[int, int, tuple]]:
    return [(m.start(), m.end(), m.groups()) for m in matches]


def _assert_same(text: str) -> None:
    for name, pattern, capital in _capital_patterns():
        assert _spans(at_capitals(pattern, text, capital)) == _spans(pattern.finditer(text)), (name, text[:200])


def test_the_capital_patterns_really_begin_with_capitals():
    # The tables hold capital-initial words today; if one ever does not, the scan must fall back, not guess.
    assert all(capital for _, _, capital in _capital_patterns())


def test_shortcuts_equal_plain_scans_on_every_corpus_text():
    texts = _texts()
    assert len(texts) > 20
    for text in texts:
        _assert_same(text)


def test_shortcuts_find_what_they_must_on_edges():
    text = ("xDr. Jane Smith saw éJohn Smith and Dr. Jane Smith. St. Mary's Hospital of Boston; 1St Mary Hospital, "
            "University of Leeds, _Boston and Boston.")
    _assert_same(text)
    assert _spans(at_capitals(_capital_patterns()[0][1], text))  # it does find institutions here


_WORDS = st.sampled_from(["Dr.", "Dr", "Jane", "Smith", "St.", "Mary's", "Hospital", "of", "and", "the", "Boston",
                          "University", "Leeds", "County", "Centers", "for", "Disease", "Control", "John", "Mt.",
                          "General", "Clinic", "Trust", "NHS", "x", "é", "É", "K", "ſ", "_", "9", "-", ".", "'"])
_SEPARATORS = st.sampled_from([" ", "  ", "\n", "", "-", ".", ", ", "\u00a0", "é", "_", "9"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_WORDS, _SEPARATORS), max_size=40))
def test_shortcuts_equal_plain_scans_on_generated_text(parts):
    _assert_same("".join(w + s for w, s in parts))


_DOMAIN_PARTS = st.sampled_from(["example", ".com", ".co.uk", ".org", "www", ".", "-", "a", "Z", "9", "K", "ſ", "é",
                                 " ", "\n", "@", "/", "_", ".health", ".comx", "..", "x.io", "nhs.uk", ".NET", ":"])


@settings(max_examples=600, deadline=None)
@given(st.lists(_DOMAIN_PARTS, max_size=30))
def test_bare_domain_runs_equal_plain_scan(parts):
    text = "".join(parts)
    assert _spans(contact.bare_domains(text)) == _spans(contact.BARE_DOMAIN.finditer(text)), text


def test_bare_domain_runs_equal_plain_scan_on_every_corpus_text():
    for text in _texts():
        assert _spans(contact.bare_domains(text)) == _spans(contact.BARE_DOMAIN.finditer(text))


def test_word_start_alternation_equals_a_leading_word_boundary():
    from anonymize.scrub.findings.tables import alternation

    words = ["named", "called", "son", "sonny", "-ish", "ab", "a", "é-word", "x.y"]
    fast = re.compile(alternation(words, word_start=True) + r",?\s+([A-Z]\w+)")
    plain = re.compile(rf"\b(?:{alternation(words)})" + r",?\s+([A-Z]\w+)")
    samples = ["named Jane", "unnamed Jane", "a son Tom", "person Tom", "x-ish Kim", "-ish Kim", " -ish Kim",
               "é-word Bo", "xé-word Bo", "x.y Al", "ax.y Al", "sonny Al", "called, Ann", "_named Al", "9son Al"]
    for text in samples + [" ".join(samples), "".join(samples)]:
        assert _spans(fast.finditer(text)) == _spans(plain.finditer(text)), text
    assert fast.search("named Jane") and not fast.search("unnamed Jane")


def test_institutions_tried_at_their_first_words_equal_a_scan_of_every_position(monkeypatch):
    import findings_corpus as corpus

    texts = _texts() + [e.text for e in corpus.written()] + [e.text for e in corpus.generated(essays_per_locale=3)]
    fast = [sorted(institutions.institutions(t)) for t in texts]
    monkeypatch.setattr(institutions, "finditer_at", lambda pattern, text, starts: pattern.finditer(text))
    plain = [sorted(institutions.institutions(t)) for t in texts]
    assert fast == plain
    assert sum(map(len, fast)) > 50  # it does find institutions here
