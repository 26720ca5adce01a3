"""`invoke livereload` runs many builds in one process on one Pelican instance: each build starts fresh."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from conftest import ROOT


def test_fixed_error_no_longer_refuses_the_next_build(content_copy, tmp_path):
    essay = content_copy / "essays" / "the-metrics.md"
    good = essay.read_bytes()
    essay.write_bytes(good.replace(b"Title:", b"Titel:", 1))  # no title: the first build must refuse
    script = textwrap.dedent(f"""
        import json, sys
        from pathlib import Path
        from pelican import Pelican
        from pelican.settings import read_settings
        settings = read_settings({str(ROOT / "pelicanconf.py")!r}, override={{
            "PATH": {str(content_copy)!r}, "OUTPUT_PATH": {str(tmp_path / "out")!r},
            "CACHE_PATH": {str(tmp_path / "cache")!r}, "ANONYMIZE_REPORT_PATH": {str(tmp_path / "report.json")!r},
            "ANONYMIZE_SEARCH_INDEX": False}})
        pelican = Pelican(settings)
        results = []
        try:
            pelican.run()
            results.append("built")
        except Exception as exc:
            results.append(type(exc).__name__)
        Path({str(essay)!r}).write_bytes({good!r})  # the editor fixes the header; autoreload runs again
        pelican.run()
        results.append("built")
        print(json.dumps(results))
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == ["BuildRefused", "built"]
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    entries = {s["source"]: s["entries"] for s in report["sources"]}["essays/the-metrics.md"]
    kinds = [(e["kind"], e["what"]) for e in entries]
    assert len(kinds) == len(set(kinds)), "the second build's report repeats the first's"
