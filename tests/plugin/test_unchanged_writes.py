"""Pelican's writer, except that a file already holding the bytes it would write is left alone (unchanged_writes.py).

The kernel is the judge of "left alone": a file not written keeps its inode and its change time (ctime, which no
program can set back); one written gets a new change time. Pelican's own rules on writing a file twice hold.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from anonymize.pelican_plugin.speed.unchanged_writes import UnchangedWriter, get_writer
from pelican.writers import FileOverwriteFailedError, Writer


def _stamp(path: Path) -> tuple[int, int]:
    st = os.lstat(path)
    return st.st_ino, st.st_ctime_ns


def _writer(tmp_path: Path, cls=UnchangedWriter):
    return cls(str(tmp_path), settings={"RELATIVE_URLS": False, "SITEURL": "", "OUTPUT_PATH": str(tmp_path)})


def _write(writer, path: Path, text: str, override: bool = False) -> None:
    with writer._open_w(str(path), "utf-8", override=override) as fh:
        fh.write(text)


def test_same_bytes_are_not_written_again_other_bytes_are(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>caf\u00e9</p>\n", "utf-8")
    before = _stamp(page)
    time.sleep(0.01)
    _write(_writer(tmp_path), page, "<p>caf\u00e9</p>\n")
    assert _stamp(page) == before  # not opened for writing at all
    _write(_writer(tmp_path), page, "<p>caf\u00e9!</p>\n")
    assert page.read_text("utf-8") == "<p>caf\u00e9!</p>\n" and _stamp(page) != before
    _write(_writer(tmp_path), page, "<p>cafe!!</p>\n")  # same length, other bytes
    assert page.read_text("utf-8") == "<p>cafe!!</p>\n"
    new = tmp_path / "new.html"
    _write(_writer(tmp_path), new, "fresh")
    assert new.read_bytes() == b"fresh"


def test_writes_the_bytes_pelicans_writer_writes(tmp_path):
    text = "line one\nline \u2014 two\r\n\U0001F469\u200d\u2695\ufe0f\n"
    ours, theirs = tmp_path / "ours.html", tmp_path / "theirs.html"
    _write(_writer(tmp_path), ours, text)
    _write(_writer(tmp_path, Writer), theirs, text)
    assert ours.read_bytes() == theirs.read_bytes()


def test_a_failed_render_leaves_the_file_as_it_was(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("earlier", "utf-8")
    with pytest.raises(RuntimeError):
        with _writer(tmp_path)._open_w(str(page), "utf-8") as fh:
            fh.write("half")
            raise RuntimeError("template failed")
    assert page.read_text("utf-8") == "earlier"


@pytest.mark.parametrize("cls", [Writer, UnchangedWriter])
def test_pelicans_rules_on_writing_a_file_twice_hold(tmp_path, cls):
    page = tmp_path / "page.html"
    writer = _writer(tmp_path, cls)
    _write(writer, page, "first")
    with pytest.raises(FileOverwriteFailedError):
        _write(writer, page, "second")
    _write(writer, page, "overridden", override=True)
    assert page.read_text("utf-8") == "overridden"
    with pytest.raises(FileOverwriteFailedError):
        _write(writer, page, "again", override=True)
    _write(writer, page, "skipped")  # after an override, a plain write goes nowhere
    assert page.read_text("utf-8") == "overridden"


def test_only_when_the_folder_is_rewritten_in_place():
    class Pelican:
        settings = {"ANONYMIZE_REWRITE_IN_PLACE": True}

    assert get_writer(Pelican) is UnchangedWriter
    Pelican.settings = {"ANONYMIZE_REWRITE_IN_PLACE": False}
    assert get_writer(Pelican) is None
