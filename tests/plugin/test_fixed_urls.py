"""URLs fixed once (fixed_urls.py) are Pelican's own: the same site, byte for byte, as without the shortcut."""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
import textwrap

from conftest import ROOT, output_files

SCRIPT = """
    import json, sys
    from pelican import Pelican, signals
    from pelican.settings import read_settings
    settings = read_settings({conf!r}, override={{
        "PATH": {content!r}, "OUTPUT_PATH": {out!r}, "CACHE_PATH": {cache!r},
        "ANONYMIZE_REPORT_PATH": {report!r}, "ANONYMIZE_SEARCH_INDEX": False,
        "ANONYMIZE_FIXED_URLS": {fixed!r}}})
    pelican = Pelican(settings)
    from anonymize.pelican_plugin.speed import fixed_urls  # importable once Pelican has loaded the plugins
    checked = []
    def compare(generators):
        for generator in generators:
            for name in fixed_urls.CONTENT_LISTS:
                for content in getattr(generator, name, None) or ():
                    fixed = content.__dict__.pop("override_url", None)
                    checked.append([content.source_path, fixed, content.url])
                    if fixed is not None:
                        content.override_url = fixed
    signals.all_generators_finalized.connect(compare)  # after the plugin's own receivers
    pelican.run()
    print(json.dumps(checked))
"""


def _build(content, out, fixed: bool) -> list:
    script = textwrap.dedent(SCRIPT.format(conf=str(ROOT / "pelicanconf.py"), content=str(content), out=str(out),
                                           cache=str(out.parent / f"cache-{fixed}"),
                                           report=str(out.parent / f"report-{fixed}.json"), fixed=fixed))
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_fixed_urls_are_pelicans_own_and_the_site_is_the_same(content_copy, tmp_path):
    checked = _build(content_copy, tmp_path / "fixed", fixed=True)
    assert len(checked) > 10
    assert [c for c in checked if c[1] != c[2]] == []
    plain = _build(content_copy, tmp_path / "plain", fixed=False)
    assert len(plain) == len(checked) and all(fixed is None for _, fixed, _ in plain)  # really without the shortcut
    fixed_files = {p.relative_to(tmp_path / "fixed") for p in output_files(tmp_path / "fixed")}
    plain_files = {p.relative_to(tmp_path / "plain") for p in output_files(tmp_path / "plain")}
    assert fixed_files == plain_files
    assert [str(f) for f in sorted(fixed_files)
            if not filecmp.cmp(tmp_path / "fixed" / f, tmp_path / "plain" / f, shallow=False)] == []
