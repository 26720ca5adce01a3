"""Zip archives (Medium, Substack): opened whole or refused, each member read on its own."""

from __future__ import annotations

import zipfile
from pathlib import Path

from anonymize.desk.importers.core import ExportError

MAX_MEMBER = 64 << 20  # a post's HTML is kilobytes; a larger member is not a post


def open_zip(path: Path, what: str) -> zipfile.ZipFile:
    """The archive, checked end to end (every member's CRC), or an error naming the file and the damaged member."""
    try:
        archive = zipfile.ZipFile(path)
        bad = archive.testzip()
    except zipfile.BadZipFile as exc:
        raise ExportError(f"{path}: not a complete {what} ({exc}); download the export again (nothing was "
                          f"imported)") from None
    except (OSError, EOFError) as exc:
        raise ExportError(f"{path}: cannot be read ({exc}); download the export again (nothing was imported)") from None
    if bad is not None:
        archive.close()
        raise ExportError(f"{path}: member {bad} is damaged (CRC mismatch); download the export again (nothing was "
                          f"imported)")
    return archive


def read_text(archive: zipfile.ZipFile, path: Path, name: str) -> str:
    info = archive.getinfo(name)
    if info.file_size > MAX_MEMBER:
        raise ExportError(f"{path}: member {name} is {info.file_size >> 20} MB, too large for a post")
    data = archive.read(name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExportError(f"{path}: member {name}: not UTF-8 (byte {exc.start}); nothing was imported") from None
