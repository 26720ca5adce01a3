"""The search index: Pagefind, run over the finished site after every build.

Pagefind indexes only elements marked `data-pagefind-body` (essays and
pages), writes its bundle into `pagefind/` inside the output, and its UI is
loaded only by the search page. Search then runs offline in the reader's
browser; nothing leaves the site. A failed index fails the build.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile

from anonymize.pelican_plugin import state
from anonymize.pelican_plugin.speed import pagefind_bundle, stale_output
from anonymize.pelican_plugin.speed.pagefind_bundle import BUNDLE

logger = logging.getLogger("anonymize")
UNUSED = ("pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-modular-ui.js",
          "pagefind-modular-ui.css", "pagefind-highlight.js")


class SearchIndexError(RuntimeError):
    pass




def on_generators(generators) -> None:
    """Remember where essays and pages are written, so Pagefind reads only those files.

    Listing pages (index, tags, categories, archives) carry no indexed content;
    on a large site they are a third of the HTML Pagefind would otherwise parse.
    """
    indexed = state.current().search_globs
    indexed.clear()
    for generator in generators:
        settings = generator.settings
        if hasattr(generator, "articles"):
            prefix = settings.get("ARTICLE_SAVE_AS", "").split("{", 1)[0]
            if "/" in prefix:
                indexed.append(prefix.rsplit("/", 1)[0] + "/**/*.html")
            else:  # no folder of their own: every article by name
                indexed.extend(a.save_as for a in generator.articles)
        if hasattr(generator, "pages"):
            indexed.extend(p.save_as for p in generator.pages)


def _glob() -> str:
    items = sorted({g.replace(os.sep, "/") for g in state.current().search_globs if g})
    if not items or any(c in g for g in items for c in ",{}"):
        return "**/*.{html}"  # Pagefind's default: every HTML file
    return "{" + ",".join(items) + "}"


def _pagefind() -> list[str]:
    """The pagefind binary from the pagefind[bin] wheel; its Python launcher only when that is missing."""
    try:
        from pagefind_bin import get_executable

        return [str(get_executable())]
    except (ImportError, FileNotFoundError, OSError):
        return [sys.executable, "-m", "pagefind"]


def on_finalized(pelican) -> None:
    """Start Pagefind over the finished pages; `on_finalized_wait` collects it after the build's own last steps."""
    current = state.current()
    current.close_search()
    if not pelican.settings.get("ANONYMIZE_SEARCH_INDEX", True):
        return
    output = pelican.settings["OUTPUT_PATH"]
    cmd = [*_pagefind(), "--site", output, "--output-subdir", BUNDLE, "--silent", "--glob", _glob()]
    log = tempfile.TemporaryFile()  # a file, not a pipe: nobody reads while it runs
    current.search_run = (subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT), output, log)


def on_finalized_wait(pelican) -> None:
    """Wait for Pagefind (which ran beside the report and the audit hand-over); a failed index fails the build."""
    current = state.current()
    if current.search_run is None:
        return
    (proc, output, log), current.search_run = current.search_run, None
    with log:
        code = proc.wait()
        if code != 0:
            log.seek(0)
            detail = log.read().decode("utf-8", "replace").strip()[-2000:]
            raise SearchIndexError(f"pagefind failed ({code}): {detail}")
    for unused in UNUSED:  # other UI flavours the search page does not load
        path = os.path.join(output, BUNDLE, unused)
        if os.path.exists(path):
            os.remove(path)
    # Pagefind keeps a hashed file already there instead of writing it again; its index says which it reads,
    # so that the files of a withdrawn essay are deleted with everything else an earlier build left.
    bundle = os.path.join(output, BUNDLE)
    try:
        used = pagefind_bundle.used_files(bundle)
    except pagefind_bundle.BundleError as exc:
        raise SearchIndexError(f"cannot tell which search files are current: {exc}") from None
    stale_output.reused(used)
    stale_output.obsolete(pagefind_bundle.hashed_files(bundle) - used)
    logger.info("anonymize: search index written to %s/pagefind", output)
