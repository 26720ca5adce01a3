"""Pelican's writer, except that a file already holding exactly the bytes it would write is left as it is.

With the output folder left standing (stale_output.py), most of what Pelican
writes is already there, byte for byte: every page of an unchanged essay,
every listing nothing new reached. Truncating a file and writing it again is
the expensive part of writing on a journalling file system (about 0.3 ms a
file here, against 0.02 ms to read and compare it), and the main process of a
build does it for every one of some 1,400 files.

So each file is rendered as before, and compared with what is on disk: the
same bytes are not written again, other bytes are (through Pelican's own
`open`). Everything else is Pelican's: which files may be written twice, the
signals sent after each write (so the audit's checks ahead and the record of
written files see every file), and the file times, which the build sets on
every file at the end (mtimes.py). Off with `ANONYMIZE_REWRITE_IN_PLACE =
False`, where Pelican empties the folder first and nothing is there to keep.
"""

from __future__ import annotations

import io
import logging
import os

from pelican.writers import FileOverwriteFailedError, Writer

logger = logging.getLogger("pelican.writers")


class _WrittenOnClose(io.StringIO):
    """Collects what Pelican writes; on a clean close, writes it to `path` unless the file holds it already."""

    def __init__(self, path: str, encoding: str) -> None:
        super().__init__()
        self.path = path
        self.file_encoding = encoding

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:  # a failed render writes nothing, as a build that fails publishes nothing
            super().close()
            return
        self.close()

    def close(self) -> None:
        if self.closed:
            return
        text = self.getvalue()
        super().close()
        if os.linesep != "\n":  # what text mode would have written
            text = text.replace("\n", os.linesep)
        data = text.encode(self.file_encoding)
        if not holds(self.path, data):
            with open(self.path, "wb") as fh:
                fh.write(data)


def holds(path: str, data: bytes) -> bool:
    """Whether the regular file at `path` holds exactly `data` (its size first: a changed page rarely keeps it)."""
    try:
        if os.path.islink(path) or os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as fh:
            return fh.read(len(data) + 1) == data
    except OSError:
        return False


class UnchangedWriter(Writer):
    def _open_w(self, filename, encoding, override=False):
        """Pelican's `_open_w` (Pelican 4.12: its checks of files written twice, word for word), returning a file
        that is written on close instead of one truncated now. tests/plugin/test_unchanged_writes.py holds the
        checks to Pelican's."""
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)')
            logger.info('Skipping "%s", not overwriting', filename)
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files:
            if override:
                logger.info('Overwriting "%s"', filename)
            else:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" as Pelican has already written to it previously '
                    "(set `override=True` if intended)")
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return _WrittenOnClose(filename, encoding)


def get_writer(pelican) -> type[Writer] | None:
    """The writer class for Pelican's `get_writer` signal: ours when the output folder is rewritten in place."""
    if pelican.settings.get("ANONYMIZE_REWRITE_IN_PLACE", True):
        return UnchangedWriter
    return None
