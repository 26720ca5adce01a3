"""Every path a source names stays inside the content folder, and every source Pelican finds is published or
refused: nothing vanishes from the site while the build says it passed.

- a symbolic link anywhere in the content folder stops the build before Pelican walks it (Pelican follows links:
  one to /etc made it read the whole tree);
- an essay whose `{static}`/`{attach}`/`{filename}` link leaves the content folder, or whose text is over the
  size limit, is refused naming it;
- a static file whose real path is outside the content folder is refused;
- a source Pelican skipped (an unreadable file, a save path outside the output) is a build error.
"""

from __future__ import annotations

import os

from anonymize.scrub.errors import BuildRefused
from anonymize.scrub.limits import size_problem
from anonymize.scrub.paths import escaping_links, inside, symlinks


def refuse_symlinks(pelican) -> None:
    """At build start, before any generator walks the content folder."""
    root = pelican.settings["PATH"]
    found = symlinks(root)
    if found:
        raise BuildRefused([f"{rel}: a symbolic link (to {target}): content must be real files inside "
                            f"{os.path.basename(root.rstrip(os.sep))}/: copy the file in instead of linking it"
                            for rel, target in found])


def source_problems(size: int, text: str, source: str, settings) -> list[str]:
    """Why an essay's source may not be read further: over the size limit, or links that leave the content."""
    problems = []
    too_big = size_problem(size, settings.get("ANONYMIZE_MAX_ESSAY_BYTES"))
    if too_big:
        problems.append(too_big)
    for link in escaping_links(text, source):
        problems.append(f"the link {link} leaves the content folder: link only files inside it "
                        "(e.g. {static}/images/NAME.jpg)")
    return problems


def outside_content(settings, source_path: str) -> bool:
    return not inside(settings["PATH"], source_path)


def skipped_sources(context: dict, refused: set[str]) -> list[str]:
    """A line for each source Pelican found but did not publish, unless it was refused with its reason already."""
    return [f"{path}: Pelican skipped it (its log line above says why): fix it, or remove it from the content folder"
            for path, content in sorted(context.get("generated_content", {}).items())
            if content is None and path not in refused]
