"""Bring an existing site over: WordPress, Blogger, Medium and Substack exports as scrubbed submissions.

One module per format reads its export into posts and counts what it leaves
behind; `core` hands each post to the desk's own intake path and writes all
submissions, one branch each, in one transaction; `media` takes images from
the editor's copy of the old media folder; `wordpress_markup` turns
shortcodes and blocks into plain HTML. `import_export` is what
`invoke import` calls.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from anonymize.desk.importers.core import ExportError, Result, run

FORMATS = ("wordpress", "blogger", "medium", "substack")


def reader_for(fmt: str, export: Path):
    if fmt == "wordpress":
        from anonymize.desk.importers.wordpress import Reader
    elif fmt == "blogger":
        from anonymize.desk.importers.blogger import Reader
    elif fmt == "medium":
        from anonymize.desk.importers.medium import Reader
    elif fmt == "substack":
        from anonymize.desk.importers.substack import Reader
    else:
        raise ExportError(f"{fmt}: not a format we import ({', '.join(FORMATS)})")
    return Reader(export)


def import_export(desk, fmt: str, export: Path, media: Path | None = None, drafts: bool = False,
                  progress: Callable[[str, int, int], None] | None = None, processes: int | None = None) -> Result:
    """Import `export` (a file in format `fmt`) into the desk's repository; see `core.run`."""
    if not export.is_file():
        raise ExportError(f"{export}: no such file")
    return run(desk, reader_for(fmt, export), export, media, drafts, progress, processes)


def report_lines(result: Result) -> list[str]:
    """The import report: what came over, what was left behind per kind (counts, never values), what to look at."""
    pages = sum(1 for i in result.imported if i.kind == "page")
    lines = [f"imported {len(result.imported) - pages} post(s) and {pages} page(s) from the {result.label} export "
             f"{result.export.name}, each on its own branch submission/<id> (the export was only read)"]

    def block(title: str, counts) -> None:
        if counts:
            lines.append(title)
            lines.extend(f"  {n:>7}  {kind}" for kind, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    block("not imported:", result.skipped)
    block("imported with care:", result.info)
    block("never reaches the repository (counted, not quoted):", result.dropped)
    block("markup turned into plain HTML and media:", result.markup)
    block("the scrubber's removals and findings (all posts):", result.removed)
    if result.refused:
        lines.append("not imported, to act on (the rest came over):")
        lines.extend(f"  {line}" for line in result.refused)
    flagged = [i for i in result.imported if i.notes]
    if flagged:
        lines.append("findings for the editor (the review lists them as URL findings until they are dealt with):")
        for item in flagged:
            lines.extend(f"  {item.sid}: {note}" for note in item.notes)
    if pages:
        lines.append(f"pages ({', '.join(i.sid for i in result.imported if i.kind == 'page')}) are submissions "
                     "marked 'Source-format: ... page': review them like posts; invoke accept makes each a page "
                     "(content/pages/, no date, category or tags)")
    if any(i.kind == "post" for i in result.imported):
        lines.append("each published post keeps the day the old site showed it (Date: in its submission, never the "
                     "time); invoke accept keeps that day")
    if result.imported:
        lines.append("review them: .venv/bin/invoke review   (or one: invoke review ID; accept: invoke accept ID)")
    return lines


class RichProgress:
    """Progress bars on a terminal (stderr), with rich, which Pelican already brings; nothing in a pipe or a log."""

    LABELS = {"check": "Checking the export", "import": "Importing posts"}

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

        console = Console(file=sys.stderr)
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                                 TimeElapsedColumn(), console=console, transient=True) if console.is_terminal else None
        self.tasks: dict[str, int] = {}

    def __enter__(self) -> RichProgress:
        if self.progress is not None:
            self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.progress is not None:
            self.progress.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.progress is None:
            return
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(self.LABELS.get(stage, stage), total=total or None)
        self.progress.update(self.tasks[stage], completed=done, total=total or None)


__all__ = ["FORMATS", "ExportError", "RichProgress", "import_export", "report_lines"]
