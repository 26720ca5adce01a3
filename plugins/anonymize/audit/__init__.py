"""The second line of defence: read a built site as an outsider would and fail on any leak.

It trusts nothing the scrubber did. It shares the rule tables (`rules/*.toml`)
but none of the scrubber's code: it scans raw bytes with its own patterns,
so a bug in one is caught by the other.

`audit_site(root, ...)` returns every problem as (path relative to root, what).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path

from anonymize.audit import files, markup, text
from anonymize.audit import image_bytes as images


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
        """A policy file as it is (the audit's cache and the build's own checks ahead use this)."""
        if not path or not Path(path).is_file():
            return cls()
        return cls.from_dict(json.loads(Path(path).read_text("utf-8")))

    @classmethod
    def for_site(cls, path: Path | None, site: Path) -> tuple[Policy, str | None]:
        """The hand-over of the build that wrote `site`, or the strictest policy and why.

        Fails closed: a missing or unreadable hand-over, or one whose build wrote other pages than the site
        now holds (stale, or another site's) grants nothing: no acknowledged finding, no pen name. A copy of
        the folder the build wrote keeps its hand-over (same pages).
        """
        if not path or not Path(path).is_file():
            return cls(), f"no build hand-over at {path}: audited with the strictest policy"
        try:
            data = json.loads(Path(path).read_text("utf-8"))
        except (OSError, ValueError) as exc:
            return cls(), f"{path}: unreadable build hand-over ({exc}): audited with the strictest policy"
        if not isinstance(data, dict) or data.get("pages") != pages_digest(site):
            return cls(), (f"{path}: the hand-over of another build (it wrote other pages than {site} holds): "
                           "audited with the strictest policy")
        return cls.from_dict(data), None

    @classmethod
    def from_dict(cls, data: dict) -> Policy:
        return cls(
            pseudonyms=frozenset(data.get("pseudonyms") or ["Anonymous"]),
            acknowledged=frozenset(data.get("acknowledged") or []),
            site_hosts=frozenset(h.lower() for h in data.get("site_hosts") or []),
        )

    def to_json(self) -> dict:
        return {"pseudonyms": sorted(self.pseudonyms), "acknowledged": sorted(self.acknowledged),
                "site_hosts": sorted(self.site_hosts)}


SCRIPT_BLOCK = re.compile(r"(<script\b[^>]*>)(.*?)(</script\s*>)", re.I | re.S)

def pages_digest(site: str | os.PathLike) -> str:
    """A digest of the HTML pages under `site` (their paths, outside the search bundle): which build wrote it."""
    root = os.path.abspath(site)
    pages = []
    for folder, dirs, names in os.walk(root):
        if folder == root:
            dirs[:] = [d for d in dirs if d != "pagefind"]
        pages += [os.path.join(folder, n)[len(root) + 1:] for n in names if n.endswith((".html", ".htm"))]
    return hashlib.sha256("\n".join(sorted(pages)).encode()).hexdigest()


TEXT_SUFFIXES = {".html", ".htm", ".xml", ".atom", ".rss", ".txt", ".css", ".js", ".json", ".svg", ".webmanifest",
                 ".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter", ".map"}


# Files that must be text (XML, or HTML and text a reader reads): no character XML 1.0 forbids. Pagefind's
# index files are binary (CBOR) inside their gzip and are left out.
XML_TEXT_SUFFIXES = {".html", ".htm", ".xml", ".atom", ".rss", ".txt", ".svg", ".json", ".css"}


def check_file(root: str, rel: str, policy: Policy) -> list[Problem]:
    """Every check that applies to one file."""
    path = os.path.join(root, rel)
    with open(path, "rb") as fh:
        data = fh.read()
    problems = files.check_name_and_time(rel, path) + check_content(rel, data, policy)
    return [Problem(rel, what) for what in dict.fromkeys(problems)]


def check_content(rel: str, data: bytes, policy: Policy) -> list[str]:
    """The checks that depend only on a file's bytes and its suffix (so their result can be reused)."""
    problems: list[str] = []
    kind = images.kind_of(data)
    if kind:
        problems += images.check(kind, data, rel)
    else:
        content = files.decoded_text(data, rel)
        if content is not None:
            suffix = os.path.splitext(rel)[1].lower()
            if suffix in (".html", ".htm") and "<script" in content:
                # An inline script is code as a .js file is (the prepare page inlines its own, so it works saved as
                # one file): a browser reads no tag inside it, so it is checked for hidden characters only.
                scripts = "\n".join(m.group(2) for m in SCRIPT_BLOCK.finditer(content))
                problems += text.check(scripts, policy, prose=False)
                content = SCRIPT_BLOCK.sub(r"\1\3", content)
            if suffix in (".html", ".htm", ".svg"):
                problems += markup.check_html(content, policy)
            elif suffix in (".xml", ".atom", ".rss"):
                problems += markup.check_xml(content, policy)
            elif suffix == ".css":
                problems += markup.check_css(content, policy)
            if text.holds_pagefind_names(rel):
                content = text.without_pagefind_names(content)
            # Emails and phone numbers are looked for in what readers read (pages, feeds, the
            # search index), not in code, where minified numbers and library credits look alike.
            problems += text.check(content, policy, prose=suffix not in (".css", ".js", ".mjs", ".map"))
            if suffix in XML_TEXT_SUFFIXES:
                problems += text.forbidden_characters(content)
    return problems


def content_key(rel: str, data: bytes) -> str:
    # The suffix (and whether Pagefind names files in it) decides which checks run; the file name is checked
    # separately, every time.
    kind = os.path.splitext(rel)[1].lower() + ("+names" if text.holds_pagefind_names(rel) else "")
    return hashlib.sha256(kind.encode() + b"\0" + data).hexdigest()


def check_contents(root: str, rels: list[str], policy: Policy,
                   known: frozenset[str] = frozenset()) -> list[tuple[str, str, list[str]]]:
    """(rel, content key, content problems) for each file whose key is not in `known`; each file read once."""
    out = []
    for rel in rels:
        key, found = _content_result(root, rel, policy, known)
        if found is not None:
            out.append((rel, key, found))
    return out


def _content_result(root: str, rel: str, policy: Policy, known) -> tuple[str, list[str] | None]:
    """(content key, content problems) of a file; problems None when `known` holds its bytes' key already."""
    with open(os.path.join(root, rel), "rb") as fh:
        data = fh.read()
    key = content_key(rel, data)
    return key, (None if key in known else check_content(rel, data, policy))


class AuditCache:
    """Content-check results by the SHA-256 of a file's bytes, under a fingerprint of the audit's code,
    the rule tables, the judging library and the policy: an unchanged page is not read twice.

    Only the byte-level checks are reused; names and times are checked on every file every time.
    """

    def __init__(self, folder: str | os.PathLike, policy: Policy) -> None:
        h = hashlib.sha256(json.dumps(policy.to_json(), sort_keys=True).encode())
        here = Path(__file__).resolve().parent
        for src in sorted([*here.glob("*.py"), *(here.parent / "scrub" / "rules").glob("*.toml")]):
            h.update(src.name.encode() + b"\0" + src.read_bytes())
        h.update(importlib_metadata.version("phonenumbers").encode())
        self.path = Path(folder) / f"audit-{h.hexdigest()[:24]}.json"
        self.folder = Path(folder)
        try:
            self.known: dict[str, list[str]] = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            self.known = {}

    def add(self, results: dict[str, list[str]]) -> None:
        """Add results checked ahead of the audit (by the build, as it wrote each page)."""
        self.known.update(results)
        self.save(self.known)

    def save(self, seen: dict[str, list[str]]) -> None:
        """Keep this build's results only (old pages drop out); replace atomically; drop other fingerprints."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(seen), "utf-8")
            os.replace(tmp, self.path)
            for old in self.folder.glob("audit-*.json"):
                if old != self.path:
                    old.unlink(missing_ok=True)
        except OSError:
            pass  # a cache that cannot be written only costs time next build


def _audit_files(args) -> list[tuple[str, str, list[str], list[str]]]:
    """(rel, content key, content problems, name and time problems) of each file; content problems are taken from
    `known` (by content key) when the same bytes were checked before."""
    root, rels, policy, known = args
    out = []
    for rel in rels:
        key, found = _content_result(root, rel, policy, known)
        out.append((rel, key, known[key] if found is None else found,
                    files.check_name_and_time(rel, os.path.join(root, rel))))
    return out


def audit_site(root: str | os.PathLike, policy: Policy | None = None, workers: int | None = None,
               cache_dir: str | os.PathLike | None = None) -> list[Problem]:
    """Audit every file under `root`; return the problems sorted by path.

    With `cache_dir`, content checks of files whose bytes were audited before
    (under the same code, rules and policy) are reused. Every file is read,
    hashed and has its name and time checked every time, by the workers that
    check its content.
    """
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
    cache = AuditCache(cache_dir, policy) if cache_dir else None
    known = cache.known if cache is not None else {}
    workers = workers if workers is not None else min(4, os.cpu_count() or 1)
    if workers <= 1 or len(rels) < 200:
        checked = _audit_files((root, rels, policy, known))
    else:
        chunks = [rels[i::workers] for i in range(workers)]
        with ProcessPoolExecutor(max_workers=workers) as pool:
            checked = [r for part in pool.map(_audit_files, [(root, c, policy, known) for c in chunks]) for r in part]
    if cache is not None:
        cache.save({key: found for _rel, key, found, _names in checked})
    problems: list[Problem] = []
    for rel, _key, found, names in sorted(checked):
        problems += [Problem(rel, what) for what in dict.fromkeys(names + found)]
    return sorted(problems, key=lambda p: (p.path, p.what))
