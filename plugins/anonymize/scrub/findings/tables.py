"""The findings tables, loaded once from tables.toml (name, word and place data: lexicon.py, gazetteer.py)."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).parent


@lru_cache(maxsize=1)
def tables() -> dict:
    with open(HERE / "tables.toml", "rb") as fh:
        t = tomllib.load(fh)
    t["public_names"] = frozenset(t["public"]["names"])
    t["public_lower"] = frozenset(n.lower() for n in t["public"]["names"])
    t["public_domains"] = tuple(t["public"]["domains"])
    t["public_codes"] = frozenset(c.lower() for c in t["public"]["codes"])
    return t


def alternation(words, escape: bool = True, word_start: bool = False) -> str:
    """An alternation of `words` that prefers the longest; literal words become a trie.

    Python's `re` tries every branch of a flat alternation at every position;
    a trie (`Ma(?:rch|y)`) fails after one character instead, which makes the
    city and keyword lists several times cheaper to scan. Fragments that are
    themselves patterns (`escape=False`) stay a flat, longest-first list.
    `word_start=True` gives the same as `\b(?:...)` but puts each branch's
    word-boundary check after its first letter, so the pattern begins with a
    plain set of letters, which `re` scans for in C instead of trying every
    position (not for re.I patterns: `re` does not do that when case folds).
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
    if not word_start:
        return _trie_pattern(trie)
    branches = []
    for ch, child in sorted(item for item in trie.items() if item[0]):
        # \b before a word character: none just before it; before any other character: one just before it.
        check = f"(?<!\\w{re.escape(ch)})" if re.match(r"\w", ch) else f"(?<=\\w{re.escape(ch)})"
        branches.append(re.escape(ch) + check + _trie_pattern(child))
    return "(?:" + "|".join(branches) + ")"


def _trie_pattern(node: dict) -> str:
    ends = "" in node
    branches = [re.escape(ch) + _trie_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
    return body + "?" if ends else body
