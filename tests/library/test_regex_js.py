"""Python patterns as JavaScript ones (scrub/regex_js.py), judged by node running the translated RegExp.

Every pattern the findings detectors use is translated and run in node on the labeled corpus, the sample
essays and a line of Unicode edge cases; its matches must be Python's, span for span (in code points).
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from anonymize.scrub.findings_export import _all_module_patterns, _built_patterns
from anonymize.scrub.regex_js import Untranslatable, to_js
from conftest import ROOT, require_tool

EDGE = ("Ünïcödé wörds café\u00a0naïve ＃ 12:34 fe80::1 x\u2028y straße Zürich ٣٤٥ ①② a_b\u00b2 "
        "line one\nline two\n\nMay 3 and 3rd May 2024, call +44 161 496 0732, SSN 123-45-6789\n")

RUN = """
const d = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = {};
for (const [k, {source, flags}] of Object.entries(d.patterns)) {
  let re;
  try { re = new RegExp(source, flags + 'g'); } catch (e) { out[k] = 'invalid: ' + e.message; continue; }
  out[k] = d.texts.map(t => [...t.matchAll(re)].filter(m => m[0].length).map(m => {
    const s = [...t.slice(0, m.index)].length; return [s, s + [...m[0]].length]; }));
}
process.stdout.write(JSON.stringify(out));
"""


def _patterns() -> dict[str, re.Pattern]:
    """Every pattern the export gives (what it cannot give is measured by the browser agreement test)."""
    built, _unavailable = _built_patterns()
    out = _all_module_patterns() | built
    # Modifier groups ((?i:...)) are judged in Chromium (test_scoped_case_flags_in_chromium); node 20 lacks them.
    return {k: p for k, p in out.items() if "(?i:" not in to_js(p)["source"] and "(?-i:" not in to_js(p)["source"]}


def test_every_findings_pattern_matches_the_same_spans_in_javascript():
    texts = [p.read_text("utf-8") for p in sorted((ROOT / "tests" / "corpus").rglob("*.md"))]
    texts += [p.read_text("utf-8") for p in sorted((ROOT / "tests" / "corpus" / "sample-site").rglob("*.md"))] + [EDGE]
    patterns = _patterns()
    assert len(patterns) >= 30
    payload = {"patterns": {k: to_js(p) for k, p in patterns.items()}, "texts": texts}
    done = subprocess.run([require_tool("node"), "-e", RUN], input=json.dumps(payload), capture_output=True, text=True,
                          check=True)
    got = json.loads(done.stdout)
    matches = 0
    for name, pattern in patterns.items():
        want = [[[m.start(), m.end()] for m in pattern.finditer(t) if m.end() > m.start()] for t in texts]
        assert got[name] == want, name
        matches += sum(map(len, want))
    assert matches > 1000


@pytest.mark.parametrize("python, text, spans", [
    (r"\bcafé\b", "un café. cafés", [(3, 7)]),  # \b around a non-ASCII letter
    (r"\d+", "٣٤٥ and 12", [(0, 3), (8, 10)]),  # Unicode decimal digits
    (r"\w+", "a_b² x", [(0, 4), (5, 6)]),  # ² is numeric, so a word character
    (r"end$", "the end\n", [(4, 7)]),  # $ before a final newline
    (r"a.b", "a\u2028b a\nb", [(0, 3)]),  # . excludes only \n
    (r"(?i)straße", "STRASSE Straße", [(8, 14)]),
    (r"[^\W\d]+", "ab12cd", [(0, 2), (4, 6)]),  # a negated class inside a set
    (r"(?P<x>a)(?P=x)", "aa ab", [(0, 2)]),
])
def test_dialect_differences(python, text, spans):
    js = to_js(re.compile(python))
    code = ("const {source, flags, text} = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
            "const re = new RegExp(source, flags + 'g');"
            "process.stdout.write(JSON.stringify([...text.matchAll(re)].map(m => {"
            "const s = [...text.slice(0, m.index)].length; return [s, s + [...m[0]].length]; })));")
    done = subprocess.run([require_tool("node"), "-e", code], input=json.dumps(js | {"text": text}),
                          capture_output=True, text=True, check=True)
    assert [tuple(s) for s in json.loads(done.stdout)] == spans == [m.span() for m in re.finditer(python, text)]


@pytest.mark.parametrize("python", [r"(?>ab)c", r"a*+", r"(a)?(?(1)b|c)", r"a(?a:\w)"])
def test_what_javascript_cannot_say_is_refused(python):
    with pytest.raises(Untranslatable):
        to_js(re.compile(python))


def test_a_detector_that_changed_shape_is_listed_not_fatal(monkeypatch):
    """A detector rewritten since the page's glue (other patterns, another tuple) leaves the page without those
    checks, said in `unavailable`; the build of the page does not stop (the agreement test measures the gap)."""
    from anonymize.scrub.findings import places
    from anonymize.scrub.findings_export import export

    monkeypatch.setattr(places, "_patterns", lambda: ("only", "two"), raising=False)
    data = export()
    assert "places" in data["unavailable"]
    assert data["patterns"] and not any(n.startswith("places.street") for n in data["patterns"])


def test_script_ranges_need_only_the_first_two_planes():
    from anonymize.scrub.findings_export import _script_ranges, _text_tables

    text = _text_tables()
    names = tuple(dict.fromkeys(text["zwnj_scripts"] + text["lookalike"]))
    assert _script_ranges(names) == _script_ranges(names, 0x110000)


def test_python_whitespace_is_all_in_the_first_plane():
    assert all(not chr(cp).isspace() for cp in range(0x10000, 0x110000))


def test_scoped_flags():
    """i becomes a JavaScript modifier group (Chromium runs it: tests/browser/test_prepare.py); m and s change
    what ^, $ and . are written as."""
    assert to_js(re.compile(r"a(?i:b)c")) == {"source": "a(?i:b)c", "flags": "v"}
    assert to_js(re.compile(r"(?i)a(?-i:b)")) == {"source": "a(?-i:b)", "flags": "iv"}
    assert to_js(re.compile(r"a(?s:.)."))["source"] == "a(?:[\\s\\S])[^\\n]"


def test_scoped_case_flags_in_chromium(browser):
    """Chromium (the page's judge) reads the modifier groups as Python reads the scoped flags."""
    cases = [(r"a(?i:b)c", ["aBc", "ABc", "abc"]), (r"(?i)a(?-i:b)", ["AB", "Ab", "ab"])]
    page = browser.new_page()
    for python, texts in cases:
        js = to_js(re.compile(python))
        got = page.evaluate("([s, f, ts]) => ts.map(t => new RegExp(s, f).test(t))", [js["source"], js["flags"], texts])
        assert got == [bool(re.search(python, t)) for t in texts], python
    page.close()
