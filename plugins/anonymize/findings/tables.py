"""The findings tables, loaded once: tables.toml and the word lists beside it."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).parent


def _words(name: str) -> list[str]:
    out = []
    for line in (HERE / name).read_text("utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        out += [line] if name == "cities.txt" else line.split()
    return out


@lru_cache(maxsize=1)
def tables() -> dict:
    with open(HERE / "tables.toml", "rb") as fh:
        t = tomllib.load(fh)
    t["given_names"] = frozenset(_words("names.txt"))
    t["surnames"] = frozenset(_words("surnames.txt"))
    t["cities"] = _words("cities.txt")
    t["public_names"] = frozenset(t["public"]["names"])
    t["public_lower"] = frozenset(n.lower() for n in t["public"]["names"])
    t["public_domains"] = tuple(t["public"]["domains"])
    t["public_codes"] = frozenset(c.lower() for c in t["public"]["codes"])
    return t


def alternation(words, escape: bool = True) -> str:
    """An alternation of `words` that prefers the longest; literal words become a trie.

    Python's `re` tries every branch of a flat alternation at every position;
    a trie (`Ma(?:rch|y)`) fails after one character instead, which makes the
    city and keyword lists several times cheaper to scan. Fragments that are
    themselves patterns (`escape=False`) stay a flat, longest-first list.
    """
    items = sorted(set(words), key=len, reverse=True)
    if not escape:
        return "|".join(items)
    trie: dict = {}
    for word in items:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict) -> str:
    ends = "" in node
    branches = [re.escape(ch) + _trie_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
    return body + "?" if ends else body
