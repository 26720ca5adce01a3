"""A build into a folder that holds an earlier site ends as a build into an empty one (stale_output.py).

Pelican's wipe of the output folder is done after the build: each file the
build did not write goes, and Pagefind's earlier files go unless its new
index reads them (pagefind_bundle.py). A withdrawn essay must leave no page,
no listing and no search fragment behind.
"""

from __future__ import annotations

import gzip
import os
import shutil
import time
from pathlib import Path

import pytest
from anonymize.pelican_plugin.speed import pagefind_bundle
from conftest import run_build, settings_with


def _tree(folder: Path, skip: str = ".git") -> dict[str, tuple[bytes, int]]:
    """Every file under `folder` (outside `skip`): its bytes and its mtime."""
    tree = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if rel == skip or rel.startswith(skip + "/"):
            continue
        if path.is_file():
            tree[rel] = (path.read_bytes(), int(path.stat().st_mtime))
        else:
            tree[rel + "/"] = (b"", 0)
    return tree


def _search_text(folder: Path) -> bytes:
    """Everything Pagefind wrote, unzipped: its fragments hold each indexed page's text."""
    text = b""
    for path in sorted((folder / "pagefind").rglob("*.pf_*")):
        raw = path.read_bytes()
        try:
            text += gzip.decompress(raw)
        except OSError:
            text += raw
    return text


def test_rebuild_in_place_equals_a_build_into_an_empty_folder(content_copy, tmp_path):
    settings = settings_with(tmp_path, OUTPUT_RETENTION=[".git"])
    out = tmp_path / "out"
    first = run_build(content_copy, out, settings=settings)
    assert first.returncode == 0, first.log
    withdrawn = content_copy / "essays" / "the-quiet-exit.md"
    marker = b"quiet exit"
    assert marker in _search_text(out).lower()
    unchanged = {p.name: p.stat().st_ino for p in (out / "pagefind" / "fragment").iterdir()}

    # The editor withdraws one essay and corrects another; a stray file and a kept folder sit in the output.
    withdrawn.unlink()
    edited = content_copy / "essays" / "the-metrics.md"
    edited.write_text(edited.read_text("utf-8") + "\nOne more sentence from the editor.\n", "utf-8")
    (out / "essays" / "stray").mkdir()
    (out / "essays" / "stray" / "index.html").write_text("<p>left by hand</p>", "utf-8")
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n", "utf-8")

    again = run_build(content_copy, out, settings=settings)
    assert again.returncode == 0, again.log
    fresh = run_build(content_copy, tmp_path / "fresh", settings=settings)
    assert fresh.returncode == 0, fresh.log

    assert _tree(out) == _tree(tmp_path / "fresh")  # same files, bytes and times; nothing more
    assert (out / ".git" / "HEAD").read_text("utf-8") == "ref: refs/heads/main\n"  # OUTPUT_RETENTION
    assert marker not in _search_text(out).lower()
    # The in-place path was taken: Pagefind kept unchanged essays' fragments (same inode), which stayed.
    kept = {p.name for p in (out / "pagefind" / "fragment").iterdir() if unchanged.get(p.name) == p.stat().st_ino}
    assert kept


def test_failed_build_leaves_the_folder_empty_but_for_retention(content_copy, tmp_path):
    """A failed build does not leave the last site standing (with an essay since withdrawn) in the folder."""
    settings = settings_with(tmp_path, OUTPUT_RETENTION=[".git"])
    out = tmp_path / "out"
    assert run_build(content_copy, out, settings=settings).returncode == 0
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("kept", "utf-8")
    (content_copy / "essays" / "the-quiet-exit.md").unlink()
    (content_copy / "essays" / "broken.md").write_bytes(b"Date: 2025-01-02\n\nNo title.\n")
    result = run_build(content_copy, out, settings=settings)
    assert result.returncode != 0
    assert "essays/broken.md" in result.log
    assert sorted(p.name for p in out.iterdir()) == [".git"]
    assert (out / ".git" / "HEAD").read_text("utf-8") == "kept"


def test_bundle_names_exactly_the_hashed_files_of_a_fresh_index(site):
    bundle = site.output / "pagefind"
    hashed = {str(p) for d in pagefind_bundle.HASHED_DIRS for p in (bundle / d).glob("*")}
    hashed |= {str(p) for p in bundle.glob("*.pf_meta")}
    assert hashed and pagefind_bundle.used_files(str(bundle)) == hashed


@pytest.mark.parametrize("damage", ["truncate", "not-gzip", "extra-fragment-count", "missing"])
def test_unreadable_index_is_an_error_not_a_guess(site, tmp_path, damage):
    bundle = tmp_path / "pagefind"
    shutil.copytree(site.output / "pagefind", bundle)
    meta = next(bundle.glob("*.pf_meta"))
    data = gzip.decompress(meta.read_bytes())
    if damage == "truncate":
        meta.write_bytes(gzip.compress(data[: len(data) // 2]))
    elif damage == "not-gzip":
        meta.write_bytes(b"not an index")
    elif damage == "missing":
        meta.unlink()
    else:
        entry = bundle / "pagefind-entry.json"
        entry.write_text(entry.read_text("utf-8").replace('"page_count":', '"page_count":1'), "utf-8")
    with pytest.raises(pagefind_bundle.BundleError, match=meta.name):
        pagefind_bundle.used_files(str(bundle))


def test_a_file_written_again_is_told_from_one_left_over_even_with_its_old_times(tmp_path):
    """The kernel's change time, not the modification time a copy or a step may set back, decides."""
    from anonymize.pelican_plugin.speed import stale_output

    assert stale_output.ctime_is_change_time(str(tmp_path))
    (tmp_path / "sub").mkdir()
    written, left = tmp_path / "sub" / "written.html", tmp_path / "sub" / "left.html"
    written.write_bytes(b"same")
    left.write_bytes(b"same")
    old = written.stat()
    before = stale_output.snapshot(str(tmp_path), ())
    time.sleep(0.05)  # file times tick with the kernel's coarse clock (up to 10 ms); a build writes ~1 s later
    written.write_bytes(b"same")
    os.utime(written, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert stale_output.stale(before) == [str(left)]
    assert stale_output.remove([str(left)], str(tmp_path)) == 1
    assert written.exists() and not left.exists()
    (tmp_path / "gone" / "deep").mkdir(parents=True)
    (tmp_path / "gone" / "deep" / "x.html").write_bytes(b"x")
    stale_output.remove([str(tmp_path / "gone" / "deep" / "x.html")], str(tmp_path))
    assert not (tmp_path / "gone").exists() and (tmp_path / "sub").is_dir()  # emptied folders go, up to the top



def test_old_page_and_old_search_file_go_even_if_their_change_time_moved(tmp_path):
    """Where essay text lives, times are not trusted alone: a page the writer did not write in this build, and a
    hashed search file the new index does not read, go even when something touched their inodes meanwhile."""
    from types import SimpleNamespace

    from anonymize.pelican_plugin.speed import stale_output

    out, content = tmp_path / "out", tmp_path / "content"
    content.mkdir()
    pages = {name: out / "essays" / name / "index.html" for name in ("kept", "withdrawn")}
    fragment = out / "pagefind" / "fragment" / "en_0ld0ld0.pf_fragment"
    for path in [*pages.values(), fragment]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("earlier build", "utf-8")
    pelican = SimpleNamespace(output_path=str(out), path=str(content), delete_outputdir=True, output_retention=[],
                              settings={})
    stale_output.on_build_start(pelican)
    assert pelican.delete_outputdir is False  # the wipe is taken over
    time.sleep(0.05)
    pages["kept"].write_text("this build", "utf-8")
    stale_output.on_written(str(pages["kept"]))
    for path in (pages["withdrawn"], fragment):
        os.chmod(path, 0o600)  # an extended attribute or a permission set by another program: a new ctime
    stale_output.before_search(pelican)
    assert pages["kept"].exists() and not pages["withdrawn"].parent.exists()
    stale_output.obsolete([str(fragment)])  # what search_index says of files its index does not read
    stale_output.on_finalized(pelican)
    assert not fragment.exists() and pages["kept"].exists()


def test_bundle_lists_search_files_its_index_does_not_read(site, tmp_path):
    bundle = tmp_path / "pagefind"
    shutil.copytree(site.output / "pagefind", bundle)
    stray = bundle / "fragment" / "en_0ld0ld0.pf_fragment"
    stray.write_bytes(b"a withdrawn essay's words")
    extra = pagefind_bundle.hashed_files(str(bundle)) - pagefind_bundle.used_files(str(bundle))
    assert extra == {str(stray)}
