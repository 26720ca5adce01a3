"""The scrubber that every essay's HTML (body and summary) passes through.

Each step takes a parsed tree, removes or rewrites what it must, and reports
every removal. The steps run in order; the result is serialised once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bs4 import BeautifulSoup, Comment

from .report import Report

Step = Callable[[BeautifulSoup, str, str, Mapping, Report], None]


def remove_comments(soup: BeautifulSoup, source: str, where: str, settings: Mapping, report: Report) -> None:
    """HTML comments carry editorial notes, names and draft history."""
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        report.removed(source, "html-comment", _short(str(comment)), where)
        comment.extract()


STEPS: list[Step] = [remove_comments]


def scrub_html(html: str, *, source: str, where: str, settings: Mapping, report: Report) -> str:
    """Run every scrubbing step over `html` and return the cleaned HTML."""
    if not html:
        return html
    soup = BeautifulSoup(html, "html.parser")
    for step in STEPS:
        step(soup, source, where, settings, report)
    return str(soup)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
