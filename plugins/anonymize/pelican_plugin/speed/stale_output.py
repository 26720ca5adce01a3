"""Pelican's DELETE_OUTPUT_DIRECTORY, done after the build instead of before it.

With the setting on (`invoke build` passes `--delete-output-directory`),
Pelican empties the output folder and then writes every file anew. On a
journalling file system, deleting some 2,500 files and 1,400 folders and
creating them again costs far more than rewriting the same files in place:
in a one-essay rebuild of 1,000 essays, Pelican's writing took 1.5-2.4 s
instead of 1.0-1.3 s, and Pagefind's 1.5 s instead of 0.8 s.

So the folder is left standing while Pelican writes. Once the pages are
written, and before Pagefind reads them, each file the build did not write is
deleted, then each folder that left empty, keeping OUTPUT_RETENTION as Pelican
does; once the search index is written, so are the earlier index's files it
no longer reads. The folder ends as Pelican's wipe would leave it: a withdrawn
essay's page, an emptied tag's page and the search fragments of either are
gone (tests/test_stale_output.py compares it with a build into an empty one).

"Did not write" is the kernel's word, not a list kept by each step: a file
whose inode and change time (ctime, which no program can set back) are still
those recorded when the build began was not written, copied over, replaced or
renamed since. A step that keeps an earlier build's file as it is says so
(`reused`: Pagefind, whose hashed files are named by their content). Two
rules hold whatever the times say, where essay text lives: a page Pelican's
writer did not write in this build goes, and so does every hashed search file
the new index does not read. Where a
file system's ctime cannot be trusted, or Pelican may skip writing static
files, Pelican wipes first as before. A build that fails leaves the deletion
undone; the plugin's guard around `Pelican.run` then empties the folder, as Pelican's wipe would have
(`empty_after_failure`), whatever started the build (`invoke build`, `livereload`, `pelican`).

What a step of this build wrote is never deleted, whatever the times say (the writer's record vetoes): on a
file system whose change times have whole-second resolution a page rewritten in the second the build began
keeps its recorded stamp. Such a file system (the probe checks resolution too) is wiped first instead.

Optional: `ANONYMIZE_REWRITE_IN_PLACE = False` lets Pelican wipe first, with byte-identical output.
"""

from __future__ import annotations

import logging
import os
import tempfile

from anonymize.pelican_plugin import state
from anonymize.pelican_plugin.speed.pagefind_bundle import BUNDLE
from anonymize.pelican_plugin.state import OutputRecord, Stamp

logger = logging.getLogger("anonymize")


def _record():
    return state.current().record


def on_written(path, context=None, **_kw) -> None:
    """Pelican's writer (content_written, feed_written) or one of our steps wrote this file."""
    record = _record()
    if record is not None:
        record.written.add(os.path.abspath(path))


def obsolete(paths) -> None:
    """Delete these though their change time is new (Pagefind's files that its new index does not read)."""
    record = _record()
    if record is not None:
        record.obsolete.update(os.path.abspath(p) for p in paths)


def reused(paths) -> None:
    """Keep these files though this build did not write them: a step found them already right.

    Pagefind does not rewrite a hashed file whose name is already there; it
    says which of them its new index reads (`pagefind_bundle.used_files`).
    """
    record = _record()
    if record is not None:
        record.reused.update(os.path.abspath(p) for p in paths)


def _pelican_would_wipe(pelican) -> bool:
    """Pelican's own condition: the setting is on and the output folder does not hold the content folder."""
    return bool(pelican.delete_outputdir) and _output_outside_content(pelican)


def _output_outside_content(pelican) -> bool:
    """Pelican never wipes an output folder that holds the content folder."""
    output, content = os.path.realpath(pelican.output_path), os.path.realpath(pelican.path)
    return os.path.commonpath([output]) != os.path.commonpath([output, content])


def ctime_is_change_time(folder: str) -> bool:
    """Whether this file system keeps a fine-grained change time that setting a file's times cannot set back.

    Where it only mirrors the modification time (some non-POSIX file systems),
    a rewritten file could not be told from one left over; where it counts whole
    seconds, a file rewritten in the second the build began could not either.
    Either way Pelican wipes first.
    """
    if os.name != "posix":
        return False
    if not os.path.isdir(folder):
        return True  # nothing there to tell apart
    fd, probe = tempfile.mkstemp(prefix=".unsigned-probe-", dir=folder)
    try:
        os.close(fd)
        whole_seconds = 0
        for _ in range(2):  # a fine clock lands on a whole second once in a billion: twice is the file system
            os.utime(probe, ns=(1_000_000_000, 1_000_000_000))
            st = os.lstat(probe)
            if st.st_ctime_ns == st.st_mtime_ns:
                return False
            whole_seconds += st.st_ctime_ns % 1_000_000_000 == 0
        return whole_seconds < 2
    finally:
        os.remove(probe)


def _every_file_rewritten(settings) -> bool:
    """Whether Pelican writes every file of the site on every build (it may skip static files otherwise).

    Our image step takes every static file of the content out of Pelican's hands
    (image_publish.py), so today only theme files are Pelican's to copy, and it
    always copies those; this keeps the rule true if that ever changes.
    """
    return not settings.get("STATIC_CHECK_IF_MODIFIED") and not settings.get("STATIC_CREATE_LINKS")


def _entries(output: str, retention: tuple[str, ...]):
    """Every file and link under `output` (links to folders included, not followed), outside the retained
    top-level names: what Pelican's wipe would delete."""
    for root, dirs, files in os.walk(output):
        if root == output:
            dirs[:] = [d for d in dirs if d not in retention]
            files = [f for f in files if f not in retention]
        for name in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            yield os.path.join(root, name)


def snapshot(output: str, retention: tuple[str, ...]) -> dict[str, Stamp]:
    """Inode and ctime of every file and link under `output`, outside the retained top-level names."""
    stamps: dict[str, Stamp] = {}
    for path in _entries(output, retention):
        st = os.lstat(path)
        stamps[path] = (st.st_ino, st.st_ctime_ns)
    return stamps


def on_build_start(pelican) -> None:
    """Take over Pelican's wipe for this run: record what is there instead of deleting it."""
    wanted = getattr(pelican, "_unsigned_wipe_after", None)
    if wanted is None:  # decided once: `--autoreload` runs many builds on one Pelican instance
        wanted = (pelican.settings.get("ANONYMIZE_REWRITE_IN_PLACE", True)
                  and _pelican_would_wipe(pelican) and _every_file_rewritten(pelican.settings)
                  and ctime_is_change_time(pelican.output_path))
        pelican._unsigned_wipe_after = wanted
    if wanted:
        pelican.delete_outputdir = False
        retention = tuple(pelican.output_retention or ())
        state.current().record = OutputRecord(pelican.output_path, retention,
                                              snapshot(pelican.output_path, retention))


def empty_after_failure(pelican) -> None:
    """A build that failed after taking over the wipe: empty the folder, as Pelican's wipe first would have.

    Pelican's own wipe (and its guard for an output folder that holds the content) does it, retention kept.
    """
    if not getattr(pelican, "_unsigned_wipe_after", False):
        return
    from pelican.utils import clean_output_dir

    if _output_outside_content(pelican):
        clean_output_dir(pelican.output_path, pelican.output_retention or [])


def stale(before: dict[str, Stamp]) -> list[str]:
    """The recorded files still there with their recorded inode and ctime: nothing wrote them since."""
    left = []
    for path, stamp in before.items():
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            continue
        if (st.st_ino, st.st_ctime_ns) == stamp:
            left.append(path)
    return left


def remove(paths: list[str], output: str) -> int:
    """Delete the files, then every folder that left empty (up to, not including, the output folder)."""
    folders: set[str] = set()
    for path in paths:
        os.remove(path)
        folders.add(os.path.dirname(path))
    top = os.path.abspath(output)
    for folder in sorted(folders, key=len, reverse=True):
        folder = os.path.abspath(folder)
        while folder != top and folder.startswith(top + os.sep):
            try:
                os.rmdir(folder)  # only an empty folder goes
            except OSError:
                break
            folder = os.path.dirname(folder)
    return len(paths)


def _search_bundle(output: str) -> str:
    return os.path.join(os.path.abspath(output), BUNDLE) + os.sep


def unwritten_pages(output: str, written: set[str], retention: tuple[str, ...], bundle: str) -> list[str]:
    """Every HTML page under `output` that Pelican's writer did not write in this build.

    Only the writer makes pages here, so a page it did not write is an earlier
    build's, whatever its change time says (something may have set an extended
    attribute on it meanwhile): a withdrawn essay's page must not stay.
    """
    pages = [os.path.abspath(p) for p in _entries(output, retention) if p.endswith((".html", ".htm"))]
    return [p for p in pages if p not in written and not p.startswith(bundle)]


def before_search(pelican) -> None:
    """Delete the pages and files earlier builds left, before Pagefind reads the folder.

    Pagefind indexes the HTML it finds on disk: a withdrawn essay's page still
    there would be indexed again. Its own earlier files wait for `on_finalized`.
    """
    record = _record()
    if record is None:
        return
    output = record.output
    bundle = _search_bundle(output)
    left = stale(record.before)
    gone = {os.path.abspath(p) for p in left if not os.path.abspath(p).startswith(bundle)}
    gone.update(unwritten_pages(output, record.written, record.retention, bundle))
    removed = remove(sorted(gone - record.written), output)  # what this build wrote never goes
    record.before = {p: record.before[p] for p in left if os.path.abspath(p).startswith(bundle)}
    if removed:
        logger.info("anonymize: removed %d file(s) left in %s by earlier builds", removed, pelican.output_path)


def on_finalized(pelican) -> None:
    """Delete the search files of earlier indexes that the new one does not read (before file times are set)."""
    record = _record()
    if record is None:
        return
    state.current().record = None
    gone = {os.path.abspath(p) for p in stale(record.before)} - record.reused
    gone |= {p for p in record.obsolete if os.path.lexists(p)}
    removed = remove(sorted(gone - record.written), record.output)
    if removed:
        logger.info("anonymize: removed %d search file(s) of earlier indexes", removed)
