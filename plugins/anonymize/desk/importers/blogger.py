"""Blogger exports (Atom), in both forms: the classic one (`kind#post` categories, `app:draft`) and Takeout's
(`blogger:type`, `blogger:status`, `blogger:location`).

Posts and pages come over with their labels as tags (Blogger has no
categories). Comments, authors (names, profile links, e-mails), the blog's
settings (which include the administrators' e-mail addresses), the template,
locations (a place name and coordinates per post) and all times stay behind (a published post keeps its
day, in the blog's own zone),
counted by kind.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from anonymize.desk.importers.core import ExportError, Post, day_of, own_address
from anonymize.desk.importers.xmlstream import local, stream

ATOM = "http://www.w3.org/2005/Atom"
BLOGGER = "http://schemas.google.com/blogger/2018"
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
KIND_PREFIX = "http://schemas.google.com/blogger/2008/kind#"
STATUS = {"LIVE": "publish", "DRAFT": "draft", "SCHEDULED": "future", "SOFT_TRASHED": "trash", "DELETED": "trash"}
DROPPED = {"comment": "comments (name, profile, text, time)", "settings": "blog settings (incl. admin e-mails)",
           "template": "template and layout entries", "layout": "template and layout entries"}


class Reader:
    label = "Blogger"
    fmt = "blogger"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.dropped: Counter = Counter()
        self.pages: set[str] | frozenset[str] = set()

    def scan(self, progress: Callable[[str, int, int], None]) -> int:
        size = self.path.stat().st_size
        entries = 0
        for event, elem, depth in stream(self.path, 1, Counter(), "Blogger export (Atom)",
                                         lambda done: progress("check", done, size)):
            if event == "start" and depth == 0 and elem.tag != f"{{{ATOM}}}feed":
                raise ExportError(f"{self.path}: not a Blogger export (the root element is <{local(elem.tag)[1]}>, "
                                  f"not an Atom <feed>); export it from Settings > Back up content")
            if event == "end" and depth == 1 and elem.tag == f"{{{ATOM}}}entry":
                entries += 1
            elif event == "end" and depth == 2 and elem.tag == f"{{{BLOGGER}}}filename" and (elem.text or "").strip():
                self.pages.add(elem.text.strip())  # Takeout names no host: a post's own path is how a link is known
        self.pages = frozenset(self.pages)
        return entries

    def posts(self) -> Iterator[Post]:
        base = ""
        n = 0
        for event, elem, depth in stream(self.path, 1, self.dropped, "Blogger export (Atom)"):
            if event != "end" or depth != 1:
                continue
            name = local(elem.tag)[1]
            if name == "link" and elem.get("rel") == "alternate" and not base:
                base = elem.get("href", "")
            elif name == "author":
                self.dropped["author records (name, profile, e-mail)"] += 1
            elif name == "entry":
                n += 1
                post = self._entry(elem, n, base)
                if post is not None:
                    yield post

    def _entry(self, entry, n: int, base: str) -> Post | None:
        kind, status, labels = "", "publish", []
        title = content = guid = published = ""
        for child in entry:
            ns, name = local(child.tag)
            if name == "category":
                if child.get("scheme") == KIND_SCHEME:
                    kind = child.get("term", "").rsplit("#", 1)[-1]
                elif child.get("term"):
                    labels.append(child.get("term", "").strip())
            elif ns == BLOGGER and name == "type":
                kind = (child.text or "").strip().lower()
            elif ns == BLOGGER and name == "status":
                status = STATUS.get((child.text or "").strip().upper(), "other")
            elif name == "control":
                if any(local(c.tag)[1] == "draft" and (c.text or "").strip() == "yes" for c in child):
                    status = "draft"
            elif name == "title" and ns == ATOM:
                title = child.text or ""
            elif name == "content" and ns == ATOM:
                content = child.text or ""
            elif name == "published" and ns == ATOM:
                published = child.text or ""
            elif name == "id" and ns == ATOM:
                guid = (child.text or "").strip()
            elif name == "author":
                self.dropped["post author names (name, profile)"] += 1
            elif ns == BLOGGER and name == "location":
                self.dropped["post locations (place, coordinates)"] += 1
            elif name in ("in-reply-to", "parent"):
                kind = kind or "comment"
        if kind not in ("post", "page"):
            self.dropped[DROPPED.get(kind, "other entries")] += 1
            return None
        own = tuple(a for a in (own_address(base),) if a)
        return Post(guid=guid or f"entry-{n}", title=title, html=content, kind=kind, status=status,
                    tags=labels, base_url=base, own=own, own_pages=self.pages, where=f"entry {n}",
                    published=day_of(published))
