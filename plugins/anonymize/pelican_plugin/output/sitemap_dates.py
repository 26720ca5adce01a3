"""Day-granular sitemap dates.

Pelican's sitemap plugin stamps pages without a date with the build's time
to the second, which tells anyone watching the sitemap when an editor was
at work. Essay dates are cut to the day; undated entries lose `lastmod`
(it is optional in the sitemap protocol).
"""

from __future__ import annotations

import os
import re

from anonymize.pelican_plugin import state

_LASTMOD = re.compile(r"\s*<lastmod>([^<]*)</lastmod>")
_MIDNIGHT = re.compile(r"(\d{4}-\d{2}-\d{2})T00:00:00(?:[+-]00:00|Z)?$")


def day_only(xml: str) -> tuple[str, int]:
    """Return the sitemap with day-only dates, and how many stamps were changed."""
    changed = 0

    def fix(match: re.Match) -> str:
        nonlocal changed
        day = _MIDNIGHT.match(match.group(1))
        if day and match.group(1) == day.group(1):
            return match.group(0)
        changed += 1
        if day:
            return match.group(0).replace(match.group(1), day.group(1))
        return ""  # a build-time stamp: no date at all is better than the editor's hours

    return _LASTMOD.sub(fix, xml), changed


def on_finalized(pelican) -> None:
    path = os.path.join(pelican.settings["OUTPUT_PATH"], "sitemap.xml")
    if not os.path.isfile(path):
        return
    with open(path, encoding="utf-8") as fh:
        xml = fh.read()
    fixed, changed = day_only(xml)
    if changed:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(fixed)
        state.current().report.removed("sitemap.xml", "date-precision", f"{changed} time stamps", "sitemap")
