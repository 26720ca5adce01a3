"""Pagefind runs beside the build's last steps (search_index.py); a failed index still fails the build."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from anonymize.pelican_plugin.output import search_index

PAGE = ("<!doctype html><html lang=en><head><title>T</title></head><body>"
        "<main data-pagefind-body><h1>An essay</h1><p>About handovers.</p></main></body></html>")


def _site(tmp_path):
    (tmp_path / "essays" / "one").mkdir(parents=True)
    (tmp_path / "essays" / "one" / "index.html").write_text(PAGE, "utf-8")
    return SimpleNamespace(settings={"OUTPUT_PATH": str(tmp_path), "ANONYMIZE_SEARCH_INDEX": True})


def test_index_is_written_once_waited_for(tmp_path):
    pelican = _site(tmp_path)
    search_index.on_finalized(pelican)
    search_index.on_finalized_wait(pelican)
    assert (tmp_path / "pagefind" / "pagefind-entry.json").is_file()
    assert not any((tmp_path / "pagefind" / name).exists() for name in search_index.UNUSED)


def test_a_failed_index_fails_the_build(tmp_path):
    pelican = _site(tmp_path)
    (tmp_path / "pagefind").write_text("a file where Pagefind writes its folder", "utf-8")
    search_index.on_finalized(pelican)
    with pytest.raises(search_index.SearchIndexError, match="pagefind failed"):
        search_index.on_finalized_wait(pelican)


def test_a_build_that_stops_leaves_no_pagefind_running(tmp_path):
    from anonymize.pelican_plugin import state

    pelican = _site(tmp_path)
    current = state.begin(pelican.settings)
    search_index.on_finalized(pelican)
    proc = current.search_run[0]
    state.end()  # what the plugin's guard does when a build stops half-way
    assert proc.poll() is not None and current.search_run is None
