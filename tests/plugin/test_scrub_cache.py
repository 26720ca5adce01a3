"""The scrub cache gives the same site and the same report as a cold build."""

from __future__ import annotations

import re

from conftest import output_files, run_build, settings_with


def _tree(out):
    return {str(p.relative_to(out)): p.read_bytes() for p in output_files(out)}


def test_cached_build_equals_cold_build(content_copy, tmp_path):
    env_cache = tmp_path / "scrub-cache"
    cold = run_build(content_copy, tmp_path / "cold", "--cache-path", str(env_cache))
    assert cold.returncode == 0, cold.log
    cold_report = cold.report
    assert cold_report is not None
    assert re.search(r"scrub cache: 0 reused, \d+ scrubbed", cold.log)
    warm = run_build(content_copy, tmp_path / "warm", "--cache-path", str(env_cache))
    assert warm.returncode == 0, warm.log
    assert re.search(r"scrub cache: \d+ reused, 0 scrubbed", warm.log)
    assert warm.report == cold_report
    cold_tree, warm_tree = _tree(tmp_path / "cold"), _tree(tmp_path / "warm")
    assert sorted(warm_tree) == sorted(cold_tree)
    assert [n for n in cold_tree if cold_tree[n] != warm_tree[n]] == []


def test_changed_essay_is_scrubbed_again(content_copy, tmp_path):
    cache = tmp_path / "scrub-cache"
    first = run_build(content_copy, tmp_path / "one", "--cache-path", str(cache))
    assert first.returncode == 0, first.log
    essay = content_copy / "essays" / "the-photograph-in-the-corridor.md"
    essay.write_text(essay.read_text("utf-8") + "\n<!-- a second private note -->\n", "utf-8")
    second = run_build(content_copy, tmp_path / "two", "--cache-path", str(cache))
    assert second.returncode == 0, second.log
    assert re.search(r"scrub cache: \d+ reused, 1 scrubbed", second.log)
    assert "a second private note" not in (tmp_path / "two" / "essays" / "the-photograph-in-the-corridor"
                                            / "index.html").read_text("utf-8")
    comments = [e for s in second.report["sources"] if s["source"] == "essays/the-photograph-in-the-corridor.md"
                for e in s["entries"] if e["kind"] == "html-comment"]
    assert len(comments) == 2


def test_parallel_prescrub_equals_one_process(content_copy, tmp_path):
    """Sources scrubbed in worker processes give the same site and report as one process reading them all."""
    parallel = run_build(content_copy, tmp_path / "parallel", "--cache-path", str(tmp_path / "c1"),
                         settings=settings_with(tmp_path, ANONYMIZE_WORKERS=2))
    assert parallel.returncode == 0, parallel.log
    assert re.search(r"scrubbed \d+ of \d+ sources in 2 worker processes", parallel.log), parallel.log
    assert re.search(r"scrub cache: 0 reused, \d+ scrubbed", parallel.log)
    single = run_build(content_copy, tmp_path / "single", "--cache-path", str(tmp_path / "c2"),
                       settings=settings_with(tmp_path, ANONYMIZE_WORKERS=1))
    assert single.returncode == 0, single.log
    assert "worker processes" not in single.log
    assert parallel.report == single.report
    one, two = _tree(tmp_path / "parallel"), _tree(tmp_path / "single")
    assert sorted(one) == sorted(two)
    assert [n for n in one if one[n] != two[n]] == []


def test_build_warns_of_unacknowledged_identifiers_cold_and_cached(content_copy, tmp_path):
    """`invoke build` warns where `invoke publish` would refuse, whether the essay was scrubbed or replayed."""
    essay = content_copy / "essays" / "the-metrics.md"
    essay.write_text(essay.read_text("utf-8") + "\nAsk Dr. Miriam Okafor if you doubt it.\n", "utf-8")
    cache = tmp_path / "cache"
    for run in ("cold", "warm"):
        result = run_build(content_copy, tmp_path / run, "--cache-path", str(cache))
        assert result.returncode == 0, result.log
        assert re.search(r"warning: unacknowledged finding: essays/the-metrics\.md: line \d+: name 'Miriam Okafor'",
                         result.log), (run, result.log)
        assert "invoke publish will refuse" in result.log


def test_reused_markdown_equals_a_fresh_one_per_file(content_copy):
    """The reader resets one Markdown between files; nothing of one essay may reach the next."""
    from anonymize.pelican_plugin.reader import AnonymizingMarkdownReader
    from conftest import ROOT
    from pelican.settings import read_settings

    essays = content_copy / "essays"
    (essays / "zz-footnotes.md").write_text(
        "Title: Footnotes\nDate: 2025-01-01\n\n"
        "Text with a note[^1] and an HTML abbreviation.\n\n[^1]: The note.\n\n*[HTML]: Hyper Text Markup Language\n",
        "utf-8")
    (essays / "zy-summary.md").write_text(
        "Title: Summary\nDate: 2025-01-01\nSummary: A *short* summary[^s].\n\nBody[^s].\n\n[^s]: Its note.\n", "utf-8")
    (essays / "zzz-plain.md").write_text(
        "Title: Plain\nDate: 2025-01-02\n\nNo notes here, but HTML again and a note[^1] reference left dangling.\n",
        "utf-8")
    settings = read_settings(str(ROOT / "pelicanconf.py"),
                             override={"PATH": str(content_copy), "ANONYMIZE_SCRUB_CACHE": False})
    files = sorted(str(p) for p in content_copy.rglob("*.md"))
    assert len(files) > 10
    reused = AnonymizingMarkdownReader(settings)
    together = [reused.read(f) for f in files + files]
    apart = [AnonymizingMarkdownReader(settings).read(f) for f in files + files]
    for f, (a_content, a_meta), (b_content, b_meta) in zip(files + files, together, apart, strict=True):
        assert a_content == b_content, f
        assert {k: str(v) for k, v in a_meta.items()} == {k: str(v) for k, v in b_meta.items()}, f
    plain = together[files.index(str(essays / "zzz-plain.md"))][0]  # read right after the footnotes
    assert "Hyper Text" not in plain and "The note" not in plain


def test_a_source_changed_after_prescrub_hashed_it_is_read_again(content_copy, tmp_path):
    """The build reuses prescrub's hash of a source only while the file's size and time are unchanged."""
    import os

    from anonymize.pelican_plugin import state
    from anonymize.pelican_plugin.reader import AnonymizingMarkdownReader
    from anonymize.pelican_plugin.speed import prescrub, scrub_cache
    from conftest import ROOT
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "pelicanconf.py"),
                             override={"PATH": str(content_copy), "CACHE_PATH": str(tmp_path / "cache")})
    run = state.begin(settings).prescrub = prescrub.Prescrub()
    essay = content_copy / "essays" / "zz-changing.md"
    essay.write_text("Title: Changing\nDate: 2025-01-01\n\nThe first version.\n", "utf-8")
    reader = AnonymizingMarkdownReader(settings)
    assert "first version" in reader.read(str(essay))[0]  # now cached
    cache = scrub_cache.for_settings(settings)
    old_key = cache.key(essay.read_bytes(), "essays/zz-changing.md")
    stat = essay.stat()
    run.hashed[os.path.abspath(essay)] = (stat.st_mtime_ns, stat.st_size, "essays/zz-changing.md", old_key)
    assert run.hashed_key(str(essay), "essays/zz-changing.md") == old_key
    assert "first version" in reader.read(str(essay))[0]
    essay.write_text("Title: Changing\nDate: 2025-01-01\n\nThe second version.\n", "utf-8")  # same size
    os.utime(essay, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert run.hashed_key(str(essay), "essays/zz-changing.md") is None
    assert "second version" in reader.read(str(essay))[0]
    state.end()


def test_the_cache_key_covers_the_findings_data(monkeypatch):
    """Cached entries hold each essay's findings: a new gazetteer table or word package must not reuse them."""
    from anonymize.pelican_plugin.speed import scrub_cache

    assert ".gz" in scrub_cache.SOURCES and (scrub_cache.PLUGIN_DIR / "scrub/findings/places.tsv.gz").is_file()
    assert {"names", "gender-guesser", "wordfreq"} <= set(scrub_cache.LIBRARIES)
    before = scrub_cache.fingerprint({})
    real = scrub_cache.importlib_metadata.version
    monkeypatch.setattr(scrub_cache.importlib_metadata, "version",
                        lambda lib: "9.9" if lib == "wordfreq" else real(lib))
    assert scrub_cache.fingerprint({}) != before


def test_a_rebuilds_changed_sources_go_to_workers_at_once_and_equal_a_cold_build(content_copy, tmp_path):
    """With a cache there, the first changed source gets a worker of its own before the rest are hashed, later
    ones the pool; the site is a cold build's, byte for byte."""
    cache = tmp_path / "scrub-cache"
    assert run_build(content_copy, tmp_path / "one", "--cache-path", str(cache)).returncode == 0
    essays = sorted((content_copy / "essays").glob("*.md"))
    for essay in essays[:3]:
        essay.write_text(essay.read_text("utf-8") + "\nOne more sentence, written later.\n", "utf-8")
    again = run_build(content_copy, tmp_path / "two", "--cache-path", str(cache))
    assert again.returncode == 0, again.log
    assert re.search(r"scrub cache: \d+ reused, 3 scrubbed", again.log), again.log
    assert re.search(r"scrubbed 3 of 3 sources in 3 worker processes", again.log), again.log  # 1 early + a pool of 2
    cold = run_build(content_copy, tmp_path / "cold", "--cache-path", str(tmp_path / "fresh-cache"))
    assert re.search(r"scrubbed \d+ of \d+ sources in 2 worker processes", cold.log), cold.log  # no early worker
    two, fresh = _tree(tmp_path / "two"), _tree(tmp_path / "cold")
    assert sorted(two) == sorted(fresh) and [n for n in fresh if fresh[n] != two[n]] == []
    assert again.report == cold.report
