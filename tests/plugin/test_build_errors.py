"""Bad input stops the build with an error naming the file and the problem."""

from __future__ import annotations

import pytest
from conftest import run_build

GOOD = "Title: Fine\nDate: 2025-01-02\nCategory: Burnout\n\nText.\n"


@pytest.mark.parametrize(
    "name,data,problem",
    [
        ("no-title.md", b"Date: 2025-01-02\nCategory: Burnout\n\nText.\n", "missing header 'Title:'"),
        ("bad-date.md", b"Title: T\nDate: the thirty-first of Smarch\n\nText.\n", "does not parse"),
        ("latin1.md", "Title: Caf\u00e9\nDate: 2025-01-02\n\nNa\u00efve.\n".encode("latin-1"), "not UTF-8"),
        ("no-header.md", b"Just some prose that someone pasted.\n", "no header"),
        ("broken-header.md", b"Title: T\nDr Zed Quill\nEmail: zed@quill.example\n\nText\n", "malformed header line 2"),
        ("no-date.md", b"Title: T\nCategory: Burnout\n\nText.\n", "missing header 'Date:'"),
    ],
)
def test_bad_essay_stops_build(tmp_path, name, data, problem):
    content = tmp_path / "content"
    (content / "essays").mkdir(parents=True)
    (content / "essays" / "good.md").write_text(GOOD, "utf-8")
    (content / "essays" / name).write_bytes(data)
    out = tmp_path / "out"
    result = run_build(content, out)
    assert result.returncode != 0
    assert f"essays/{name}" in result.log
    assert problem in result.log
    assert "zed@quill.example" not in result.stdout or "malformed" in result.log
    # nothing was written: not even the good essay
    assert not (out / "essays").exists()


def test_all_bad_files_are_named_at_once(tmp_path):
    content = tmp_path / "content"
    (content / "essays").mkdir(parents=True)
    (content / "essays" / "one.md").write_bytes(b"Date: 2025-01-02\n\nx\n")
    (content / "essays" / "two.md").write_bytes(b"Title: T\nDate: soon\n\nx\n")
    result = run_build(content, tmp_path / "out")
    assert result.returncode != 0
    assert "essays/one.md" in result.log and "essays/two.md" in result.log
    assert "2 source file(s) cannot be published" in result.log


def test_bad_page_stops_build(tmp_path):
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "about.md").write_bytes(b"Slug: about\n\nNo title here.\n")
    result = run_build(content, tmp_path / "out")
    assert result.returncode != 0
    assert "pages/about.md" in result.log and "missing header 'Title:'" in result.log
