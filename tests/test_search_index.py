"""The search index the build writes holds what the `pagefind` command writes over the finished site.

The build feeds Pagefind's service the essay folder as soon as the last essay
is written, and the pages at the end (search_index.py). These tests hold that
shortcut to the plain command: every page's fragment (its indexed text, title
and URL, in a file named by the hash of its content) is byte for byte the
same; only the word index may number the pages in another order, as they
reach Pagefind in another order. The browser test searches the built site.
They also check the fallbacks: a page written into the essay folder afterwards
makes the index again, and a Pagefind that dies fails the build instead of
leaving a partial index.
"""

from __future__ import annotations

import filecmp
import json
import subprocess

import pytest
from anonymize import search_index
from conftest import CONTENT, output_files, run_build


def _pagefind_command(site, subdir: str) -> None:
    subprocess.run([*search_index._pagefind(), "--site", str(site), "--output-subdir", subdir, "--silent"],
                   check=True, capture_output=True)
    for unused in search_index.UNUSED:
        (site / subdir / unused).unlink(missing_ok=True)


def _same_tree(a, b) -> list[str]:
    """Files that differ, beyond the word index and page list (named by their own hash, so compared by count)."""
    def files(root):
        return {p.relative_to(root).as_posix() for p in output_files(root)}

    files_a, files_b = files(a), files(b)
    ordered = (".pf_index", ".pf_meta")
    assert {f for f in files_a if not f.endswith(ordered)} == {f for f in files_b if not f.endswith(ordered)}
    for suffix in ordered:
        assert len([f for f in files_a if f.endswith(suffix)]) == len([f for f in files_b if f.endswith(suffix)])
    assert len([f for f in files_a if f.startswith("fragment/")]) > 0
    entry_a, entry_b = (json.loads((root / "pagefind-entry.json").read_text("utf-8")) for root in (a, b))
    for entry in (entry_a, entry_b):
        for language in entry["languages"].values():
            language.pop("hash")  # the page list's hash: the order again
    assert entry_a == entry_b
    assert sum(language["page_count"] for language in entry_a["languages"].values()) > 0
    return [rel for rel in sorted(files_a) if not rel.endswith(ordered) and rel != "pagefind-entry.json"
            and not filecmp.cmp(a / rel, b / rel, shallow=False)]


def test_build_index_equals_the_pagefind_command(tmp_path):
    out = tmp_path / "output"
    result = run_build(CONTENT, out)
    assert result.returncode == 0, result.log
    _pagefind_command(out, "pagefind-command")
    assert _same_tree(out / "pagefind", out / "pagefind-command") == []


def _page(title: str, body: str) -> str:
    return (f"<!doctype html><html lang=en><head><title>{title}</title></head><body><nav>menu</nav>"
            f"<main data-pagefind-body><h1>{title}</h1><p>{body}</p></main></body></html>")


def _essay(site, slug: str, word: str) -> None:
    path = site / "essays" / slug / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_page(slug, f"An essay about {word}."), "utf-8")


def test_a_page_written_into_the_essay_folder_afterwards_makes_the_index_again(tmp_path):
    site = tmp_path / "site"
    _essay(site, "first", "handovers")
    (site / "about").mkdir(parents=True)
    (site / "about" / "index.html").write_text(_page("About", "Who we are."), "utf-8")
    build = search_index._Build(str(site), "essays/**/*.html", {"essays/first/index.html"}, ["about/index.html"])
    build.written("essays/first/index.html")  # the last essay: Pagefind reads the folder now
    assert build.early and not build.late
    first = build.sent[-1]
    build.service.answers[first] = build.service.answer(first)  # Pagefind has read the folder (kept for finish)
    _essay(site, "second", "rotas")  # then something else lands in the folder
    build.written("essays/second/index.html")
    assert build.late
    assert build.finish() == 3  # both essays and the page, read again from the finished site
    _pagefind_command(site, "pagefind-command")
    assert _same_tree(site / "pagefind", site / "pagefind-command") == []


def test_without_an_essay_folder_everything_is_read_at_the_end(tmp_path):
    site = tmp_path / "site"
    _essay(site, "first", "handovers")
    build = search_index._Build(str(site), None, set(), ["essays/first/index.html"])
    build.written("essays/first/index.html")
    assert not build.early
    assert build.finish() == 1


def test_pagefind_that_stops_fails_the_build(tmp_path):
    site = tmp_path / "site"
    _essay(site, "first", "handovers")
    build = search_index._Build(str(site), "essays/**/*.html", {"essays/first/index.html"}, [])
    build.service.proc.kill()
    build.service.proc.wait()
    with pytest.raises(search_index.SearchIndexError, match="pagefind stopped"):
        build.written("essays/first/index.html")
        build.finish()
    build.service.close()
    assert not (site / "pagefind").exists()
