"""Scrub a draft with the build's own code: header allowlist, HTML scrubber, link rules, image scrubbers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import markdown as md

from anonymize.desk import progress
from anonymize.desk.formats import Draft, IntakeError
from anonymize.desk.markdown_out import html_to_markdown
from anonymize.scrub.header_policy import normalize_key
from anonymize.scrub.html_scrub import scrub_html
from anonymize.scrub.images import ImageError, clean_bytes, clean_file, hashed_name
from anonymize.scrub.report import Report
from anonymize.scrub.rules import load
from anonymize.scrub.text_scrub import clean_text

# Header keys a submission may keep; the editor sets the date (and slug) on acceptance.
KEEP = {"title", "category", "tags", "summary", "series", "series_index", "content_note", "response_to", "lang",
        "pen_name"}


@dataclass
class Cleaned:
    header: dict[str, str]
    body: str
    images: dict[str, bytes] = field(default_factory=dict)  # hashed name -> cleaned bytes
    report: Report = field(default_factory=Report)


def clean(draft: Draft, source: str, images_dir: Path | None = None) -> Cleaned:
    report = Report()
    header: dict[str, str] = {"title": draft.title}
    allowed = set(load("metadata")["allowed"])
    for key, value in draft.header.items():
        norm = normalize_key(key)
        if norm == "title":
            continue
        if norm in KEEP and norm in allowed and value.strip():
            header[norm] = value.strip()
        else:
            report.removed(source, "header-key", norm, "header")
    for key, value in list(header.items()):
        cleaned, removed = clean_text(value)
        for name in removed:
            report.removed(source, "invisible-character", name, f"header {key}")
        header[key] = cleaned
    html = draft.body_html
    if html is None:
        html = md.markdown(draft.body, extensions=["markdown.extensions.extra"], output_format="html5")
    html = scrub_html(html, source=source, where="body", settings={}, report=report)
    images: dict[str, bytes] = {}
    html = _take_images(html, images_dir, images, report, source, draft.images)
    return Cleaned(header, html_to_markdown(html), images, report)


IMG = re.compile(r'(<img\b[^>]*\bsrc=")([^"]+)(")')


def _take_images(html: str, folder: Path | None, images: dict[str, bytes], report: Report, source: str,
                 inside: dict[str, bytes] | None = None) -> str:
    """Clean every image the contributor sent, in a folder or inside the document; point the essay at the
    cleaned copies."""
    by_name: dict[str, Path] = {}
    given: list[tuple[str, Path | None, bytes | None]] = [(n, None, d) for n, d in (inside or {}).items()]
    if folder:
        if not folder.is_dir():
            raise IntakeError(f"{folder}: not a folder of images: give the folder the essay's images are in (--images)")
        given += [(p.name, p, None) for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")]
    for label, path, data in progress.bar(given, "Scrubbing images"):
        try:
            cleaned = clean_file(path) if path is not None else clean_bytes(data or b"")
        except ImageError as exc:
            raise IntakeError(f"{path or source + ': ' + label}: {exc}") from None
        name = hashed_name(cleaned)
        images[name] = cleaned.data
        by_name[label] = Path(name)
        for item in cleaned.removed:
            report.removed(f"images/{label}", "image-metadata", item, "image")

    def swap(m: re.Match) -> str:
        src = m.group(2)
        name = Path(src).name
        if name in by_name:
            return m.group(1) + by_name[name].name + m.group(3)
        raise IntakeError(f"the essay shows an image '{src}' that was not given (use --images DIR)")

    return IMG.sub(swap, html)
