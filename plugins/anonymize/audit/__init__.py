"""The second line of defence: read a built site as an outsider would and fail on any leak.

It trusts nothing the scrubber did. It shares the rule tables (`rules/*.toml`)
but none of the scrubber's code: it scans raw bytes with its own patterns,
so a bug in one is caught by the other.

`audit_site(root, ...)` returns every problem as (path relative to root, what).
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import files, images, markup, text


@dataclass(frozen=True)
class Problem:
    path: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}: {self.what}"


@dataclass
class Policy:
    """What the build tells the audit: who may appear as author, what an editor acknowledged, our own hosts."""

    pseudonyms: frozenset[str] = frozenset({"Anonymous"})
    acknowledged: frozenset[str] = frozenset()
    site_hosts: frozenset[str] = frozenset()
    extra: dict = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None) -> Policy:
        if not path or not Path(path).is_file():
            return cls()
        data = json.loads(Path(path).read_text("utf-8"))
        return cls(
            pseudonyms=frozenset(data.get("pseudonyms") or ["Anonymous"]),
            acknowledged=frozenset(data.get("acknowledged") or []),
            site_hosts=frozenset(h.lower() for h in data.get("site_hosts") or []),
        )

    def to_json(self) -> dict:
        return {"pseudonyms": sorted(self.pseudonyms), "acknowledged": sorted(self.acknowledged),
                "site_hosts": sorted(self.site_hosts)}


TEXT_SUFFIXES = {".html", ".htm", ".xml", ".atom", ".rss", ".txt", ".css", ".js", ".json", ".svg", ".webmanifest",
                 ".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter", ".map"}


def check_file(root: str, rel: str, policy: Policy) -> list[Problem]:
    """Every check that applies to one file."""
    path = os.path.join(root, rel)
    problems: list[str] = []
    problems += files.check_name_and_time(rel, path)
    with open(path, "rb") as fh:
        data = fh.read()
    kind = images.kind_of(data)
    if kind:
        problems += images.check(kind, data, rel)
    else:
        content = files.decoded_text(data, rel)
        if content is not None:
            suffix = os.path.splitext(rel)[1].lower()
            if suffix in (".html", ".htm", ".svg"):
                problems += markup.check_html(content, policy)
            elif suffix in (".xml", ".atom", ".rss"):
                problems += markup.check_xml(content, policy)
            elif suffix == ".css":
                problems += markup.check_css(content, policy)
            # Emails and phone numbers are looked for in what readers read (pages, feeds, the
            # search index), not in code, where minified numbers and library credits look alike.
            problems += text.check(content, policy, prose=suffix not in (".css", ".js", ".mjs", ".map"))
    return [Problem(rel, what) for what in dict.fromkeys(problems)]


def _check_chunk(args) -> list[Problem]:
    root, rels, policy = args
    out: list[Problem] = []
    for rel in rels:
        out += check_file(root, rel, policy)
    return out


def audit_site(root: str | os.PathLike, policy: Policy | None = None, workers: int | None = None) -> list[Problem]:
    """Audit every file under `root`; return the problems sorted by path."""
    root = str(root)
    policy = policy or Policy()
    if not os.path.isdir(root):
        return [Problem(".", "the site folder does not exist")]
    rels = []
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            rels.append(os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/"))
    rels.sort()
    if not rels:
        return [Problem(".", "the site is empty")]
    workers = workers if workers is not None else min(4, os.cpu_count() or 1)
    if workers <= 1 or len(rels) < 200:
        problems = _check_chunk((root, rels, policy))
    else:
        chunks = [rels[i::workers] for i in range(workers)]
        with ProcessPoolExecutor(max_workers=workers) as pool:
            problems = [p for part in pool.map(_check_chunk, [(root, c, policy) for c in chunks]) for p in part]
    return sorted(problems, key=lambda p: (p.path, p.what))
