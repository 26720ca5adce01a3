"""Output file times that say nothing about when an editor worked.

Pelican writes files with the build's time, and a web server hands that
time to every reader as Last-Modified. Each essay page (and each image it
introduced) takes its essay's publication day at 00:00 UTC; every other
file takes the newest essay's day.
"""

from __future__ import annotations

import calendar
import os
from datetime import datetime

from anonymize.pelican_plugin import state


def midnight(day: datetime) -> int:
    return calendar.timegm((day.year, day.month, day.day, 0, 0, 0))


def normalise(output: str, pages: dict[str, datetime], default: datetime | None) -> int:
    """Set every file's mtime under `output`; return how many files were touched."""
    fallback = midnight(default) if default else 0
    count = 0
    os.utime(output, (fallback, fallback))
    for root, dirs, files in os.walk(output):
        for name in dirs:
            os.utime(os.path.join(root, name), (fallback, fallback), follow_symlinks=False)
        for name in files:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, output).replace(os.sep, "/")
            stamp = midnight(pages[rel]) if rel in pages else fallback
            os.utime(path, (stamp, stamp), follow_symlinks=False)
            count += 1
    return count


def on_finalized(pelican) -> None:
    from anonymize.pelican_plugin.output.image_publish import publication_days

    articles = state.current().articles
    pages = {a.save_as: a.date for a in articles}
    pages.update(publication_days())
    newest = max((a.date for a in articles), default=None)
    normalise(pelican.settings["OUTPUT_PATH"], pages, newest)
