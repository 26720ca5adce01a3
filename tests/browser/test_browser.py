"""Adversarial pages in headless Chromium: no request leaves 127.0.0.1, no console error.

The sample site gets the same checks (and axe) in test_theme.py.

Chromium is the independent judge of "a reader's browser loads nothing from
any host but ours": it runs the real HTML and CSS and records every request.
"""

from __future__ import annotations

import pytest
from browser import serve, site_pages, visit
from conftest import ROOT, run_build


@pytest.fixture(scope="module")
def adversarial_output(tmp_path_factory):
    out = tmp_path_factory.mktemp("adv-browser") / "output"
    result = run_build(ROOT / "tests" / "corpus" / "adversarial", out)
    assert result.returncode == 0, result.log
    return out


def _check_site(browser, output, schemes=("light", "dark")):
    pages = site_pages(output)
    assert pages
    problems = []
    with serve(output) as base:
        for scheme in schemes:
            context = browser.new_context(color_scheme=scheme, java_script_enabled=True)
            for path in pages:
                v = visit(context, base, path)
                if v.foreign or v.console_errors or v.page_errors or v.failed:
                    problems.append((scheme, path, v.foreign, v.console_errors, v.page_errors, v.failed))
            context.close()
    return pages, problems


def test_adversarial_pages_load_only_local_resources(browser, adversarial_output):
    _, problems = _check_site(browser, adversarial_output, schemes=("light",))
    assert problems == []


def test_the_judge_sees_a_foreign_request(browser, tmp_path):
    """The harness must be able to fail: a planted remote image is recorded."""
    (tmp_path / "index.html").write_text('<!doctype html><img src="http://198.51.100.7/p.gif" alt="">', "utf-8")
    with serve(tmp_path) as base:
        context = browser.new_context()
        v = visit(context, base, "index.html")
        context.close()
    assert v.foreign == ["http://198.51.100.7/p.gif"]
