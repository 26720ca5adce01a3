"""The derived word and place data cache (scrub/findings/data_cache.py): the same values as deriving them, derived
again when any input changes, and never an error when the cache is unusable."""

from __future__ import annotations

import marshal

from anonymize.scrub.findings import data_cache, lexicon


def test_cached_value_is_the_derived_value(tmp_path, monkeypatch):
    monkeypatch.setenv("UNSIGNED_DATA_CACHE", str(tmp_path))
    source = tmp_path / "input.txt"
    source.write_text("one")
    calls = []

    def derive():
        calls.append(1)
        return {"words": frozenset({"a", "b"}), "zipf": {"a": 3.5}, "n": 2}

    first = data_cache.cached("probe", [source], derive)
    second = data_cache.cached("probe", [source], derive)
    assert first == second == derive()
    assert len(calls) == 2  # once for the cache, once in the assertion: the second call read the file
    assert [p.name.startswith("probe-") for p in tmp_path.glob("*.marshal")] == [True]


def test_a_changed_input_is_derived_again_and_the_old_file_goes(tmp_path, monkeypatch):
    monkeypatch.setenv("UNSIGNED_DATA_CACHE", str(tmp_path))
    source = tmp_path / "input.txt"
    source.write_text("one")
    assert data_cache.cached("probe", [source], lambda: 1) == 1
    source.write_text("two")
    assert data_cache.cached("probe", [source], lambda: 2) == 2
    assert len(list(tmp_path.glob("probe-*.marshal"))) == 1


def test_a_damaged_or_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    monkeypatch.setenv("UNSIGNED_DATA_CACHE", str(tmp_path))
    source = tmp_path / "input.txt"
    source.write_text("one")
    data_cache.cached("probe", [source], lambda: [1, 2])
    (cached,) = tmp_path.glob("probe-*.marshal")
    cached.write_bytes(b"\x00garbage")
    assert data_cache.cached("probe", [source], lambda: [1, 2]) == [1, 2]
    assert marshal.loads(cached.read_bytes()) == [1, 2]  # written again
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv("UNSIGNED_DATA_CACHE", str(blocked / "sub"))  # cannot be created
    assert data_cache.cached("probe", [source], lambda: 3) == 3


def test_turned_off_it_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("UNSIGNED_DATA_CACHE", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert data_cache.cached("probe", [], lambda: 5) == 5
    assert not any(tmp_path.rglob("*"))


def test_the_lexicon_from_the_cache_equals_the_one_derived(tmp_path, monkeypatch):
    monkeypatch.setenv("UNSIGNED_DATA_CACHE", str(tmp_path))
    derived = lexicon.Lexicon(*lexicon._derive())
    lexicon.lexicon.cache_clear()
    try:
        lexicon.lexicon()  # derives and writes
        lexicon.lexicon.cache_clear()
        from_cache = lexicon.lexicon()  # reads
    finally:
        lexicon.lexicon.cache_clear()
    assert from_cache == derived
    assert from_cache.is_name_word("Priya") and from_cache.common("hospital")
