"""The submit page's channels and the prepare page as the build writes them (no browser here).

tests/browser/test_prepare.py drives the page in Chromium; these check what the build decides: which channels
are listed, the warning when none is set, and a Content-Security-Policy that allows exactly the page's own
inline scripts and style, by hash, and no host.
"""

from __future__ import annotations

import base64
import hashlib
import re

from conftest import CONTENT, run_build, settings_with


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_sample_site_lists_its_channels_and_pins_every_inline_script(site):
    submit = (site.output / "submit" / "index.html").read_text("utf-8")
    assert "essays@unsigned.invalid" in submit and "unsigned_desk.01" in submit
    assert "SecureDrop" not in submit.split('id="where-to-send"')[1].split("</ul>")[0]  # not configured: not listed
    for needle in ("What no tool can hide", "What we keep, for how long, and who sees it", "How an editor replies",
                   "../prepare/"):
        assert needle in submit, needle
    assert "no submission channel configured" not in site.log
    page = (site.output / "prepare" / "index.html").read_text("utf-8")
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert page.count("Content-Security-Policy") == 1
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if " " in d.strip())
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 3 and all(s for s in scripts)
    assert sorted(directives["script-src"].split()) == sorted(_hash(s) for s in scripts)
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert directives["style-src"] == _hash(style)
    assert directives["default-src"] == "'none'" and directives["connect-src"] == "'none'"
    assert "http" not in csp and "<link rel=\"stylesheet\"" not in page
    data = re.findall(r'<script type="application/json" id="([^"]+)">', page)
    assert data == ["prepare-config", "prepare-findings-data"]


def test_a_site_without_channels_or_key_warns(tmp_path):
    settings = settings_with(tmp_path, ANONYMIZE_SUBMIT_EMAIL="", ANONYMIZE_SUBMIT_SIGNAL="",
                             ANONYMIZE_DESK_RECIPIENT="")
    result = run_build(CONTENT, tmp_path / "output", settings=settings)
    assert result.returncode == 0, result.log
    assert "no submission channel configured" in result.log
    assert "ANONYMIZE_DESK_RECIPIENT is not set" in result.log
    submit = (tmp_path / "output" / "submit" / "index.html").read_text("utf-8")
    assert "has not listed a way to send essays yet" in submit
    assert '"recipient": ""' in (tmp_path / "output" / "prepare" / "index.html").read_text("utf-8")
