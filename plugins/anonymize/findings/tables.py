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
    items = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w) if escape else w for w in items)
