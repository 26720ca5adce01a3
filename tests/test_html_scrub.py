"""The HTML scrubber's first step: comments never survive."""

from __future__ import annotations

from anonymize.html_scrub import scrub_html
from anonymize.report import Report


def scrub(html: str) -> tuple[str, Report]:
    report = Report()
    return scrub_html(html, source="essays/x.md", where="body", settings={}, report=report), report


def test_comments_removed_everywhere():
    html = ("<!-- top --><p>One <!-- inline note to Priya --> two</p>"
            "<ul><li>three<!--nested--></li></ul><!--[if IE]><p>old</p><![endif]-->")
    out, report = scrub(html)
    assert "<!--" not in out and "Priya" not in out and "nested" not in out
    assert "One" in out and "two" in out and "three" in out
    comments = [e for e in report.for_source("essays/x.md") if e.kind == "html-comment"]
    assert len(comments) == 4
    assert all(e.where == "body" for e in comments)


def test_clean_html_is_unchanged():
    html = '<p>Plain <em>prose</em> with <a href="/essays/x/">a link</a>.</p>'
    out, report = scrub(html)
    assert out == html
    assert report.for_source("essays/x.md") == []


def test_empty_input():
    assert scrub("")[0] == ""
