"""Every image the site publishes goes through the image scrubbers.

Pelican would copy static files byte for byte, metadata and all. Here each
one is cleaned at the end of the static generator's reading phase, staged
outside the output, renamed by its content hash (links follow, through
Pelican's own `{static}` resolution) and only moved into the output after
the build has passed every check. A file that cannot be cleaned stops the
build naming it; nothing is half-written.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import tempfile
from datetime import datetime

from anonymize.pelican_plugin import confine, state
from anonymize.pelican_plugin.speed import stale_output
from anonymize.scrub.errors import AnonymizeError
from anonymize.scrub.images import ImageError, clean_file, hashed_name

_LINK = re.compile(r"\{(?:static|attach)\}/?([^\"'<>\s)#?]+)")


def _first_use(articles) -> dict[str, datetime]:
    first: dict[str, datetime] = {}
    for article in articles:
        for m in _LINK.finditer(getattr(article, "_content", "") or ""):
            path = posixpath.normpath(m.group(1).lstrip("/"))
            if path not in first or article.date < first[path]:
                first[path] = article.date
    return first


def on_static_finalized(generator) -> None:
    """Clean every static file from the content folder; take it out of Pelican's copy list."""
    current = state.current()
    if current.image_dir:  # a second run of the static generator stages afresh
        shutil.rmtree(current.image_dir, ignore_errors=True)
    current.images_staged.clear()
    current.image_dir = tempfile.mkdtemp(prefix="unsigned-images-")
    first = _first_use(generator.context.get("articles", []) + generator.context.get("hidden_articles", []))
    ours = list(generator.staticfiles)
    for sf in ours:
        rel = sf.relative_source_path.replace(os.sep, "/")
        if confine.outside_content(generator.settings, sf.source_path):
            current.errors.append(AnonymizeError(rel, "is outside the content folder: nothing outside it is read "
                                                      "or published; copy the file into content/images/"))
            continue
        try:
            cleaned = clean_file(sf.source_path)
        except ImageError as exc:
            current.errors.append(AnonymizeError(rel, str(exc)))
            continue
        except OSError as exc:
            current.errors.append(AnonymizeError(rel, f"cannot read it ({exc.strerror})"))
            continue
        save_as = posixpath.join(posixpath.dirname(rel), hashed_name(cleaned))
        sf.override_save_as = save_as
        sf.override_url = save_as
        staged = os.path.join(current.image_dir, save_as.replace("/", "_"))
        if not os.path.exists(staged):  # two sources with the same clean pixels publish one file
            with open(staged, "wb") as fh:
                cleaned.write_to(fh)
            current.images_staged.append((save_as, staged))
        if rel in first:
            current.image_days[save_as] = first[rel]
        for item in cleaned.removed:
            current.report.removed(rel, "image-metadata", item, "image")
        if cleaned.method != "lossless":
            current.report.replaced(rel, "image-pixels", cleaned.method, "image")
        current.report.replaced(rel, "file-name", f"published as {save_as}", "image")
    keep = [sf for sf in generator.staticfiles if sf not in ours]
    generator.staticfiles = keep
    generator.context["staticfiles"] = [sf for sf in generator.context.get("staticfiles", []) if sf not in ours]


def on_finalized(pelican) -> None:
    """The build passed: move the cleaned images into the output."""
    current = state.current()
    output = pelican.settings["OUTPUT_PATH"]
    for save_as, staged in current.images_staged:
        dest = os.path.join(output, *save_as.split("/"))
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.move(staged, dest)
        stale_output.on_written(dest)  # written by this build: output hygiene never deletes it
    current.images_staged.clear()
    if current.image_dir:
        shutil.rmtree(current.image_dir, ignore_errors=True)
        current.image_dir = None


def publication_days() -> dict[str, datetime]:
    return dict(state.current().image_days)
