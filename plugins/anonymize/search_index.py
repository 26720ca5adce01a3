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

logger = logging.getLogger("anonymize")
UNUSED = ("pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-modular-ui.js",
          "pagefind-modular-ui.css", "pagefind-highlight.js")


class SearchIndexError(RuntimeError):
    pass


def on_finalized(pelican) -> None:
    if not pelican.settings.get("ANONYMIZE_SEARCH_INDEX", True):
        return
    output = pelican.settings["OUTPUT_PATH"]
    cmd = [sys.executable, "-m", "pagefind", "--site", output, "--output-subdir", "pagefind", "--silent"]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = result.stderr.strip() or result.stdout.strip()
        raise SearchIndexError(f"pagefind failed ({result.returncode}): {detail}")
    for unused in UNUSED:  # other UI flavours the search page does not load
        path = os.path.join(output, "pagefind", unused)
        if os.path.exists(path):
            os.remove(path)
    logger.info("anonymize: search index written to %s/pagefind", output)
