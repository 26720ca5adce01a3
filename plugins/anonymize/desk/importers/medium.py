"""Medium export archives: a zip of `posts/*.html` (h-entry pages) beside the account's own records.

Each published post's title (`p-name`), subtitle (`p-summary`, kept as the
summary when it is not just the opening words) and body (`e-content`) come
over; the footer (author, profile link, publication time, canonical link)
does not (a published post keeps its day, in UTC as Medium exports it).
Drafts are `draft_*` files, or posts without a publication time.
The rest of the archive (profile, sessions, IP addresses, claps,
bookmarks, highlights, follows, ...) is never read past its name; each
folder is counted in the report. Medium's export has no tags.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from anonymize.desk.importers.archive import open_zip, read_text
from anonymize.desk.importers.core import ExportError, Post, day_of, own_address
from anonymize.scrub.html_tree import parse_document

POST = re.compile(r"^posts/[^/]+\.html?$", re.I)
DRAFT = re.compile(r"(^draft_|--DRAFT(?:-[0-9a-f]+)?$)", re.I)
HEX_ID = re.compile(r"-([0-9a-f]{8,16})$")


class Reader:
    label = "Medium"
    fmt = "medium"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.dropped: Counter = Counter()
        self.names: list[str] = []

    def scan(self, progress: Callable[[str, int, int], None]) -> int:
        progress("check", 0, 1)
        with open_zip(self.path, "Medium export (zip)") as archive:
            names = [i.filename for i in archive.infolist() if not i.is_dir()]
        self.names = sorted(n for n in names if POST.match(n))
        if not self.names:
            raise ExportError(f"{self.path}: not a Medium export (no posts/*.html inside); download it from "
                              f"Settings > Account > Download your information")
        for name in names:
            if not POST.match(name):
                top = name.split("/", 1)[0] if "/" in name else "files at the top"
                self.dropped[f"account records: {top} (not read)"] += 1
        progress("check", 1, 1)
        return len(self.names)

    def posts(self) -> Iterator[Post]:
        with open_zip(self.path, "Medium export (zip)") as archive:
            for n, name in enumerate(self.names, 1):
                yield self._post(read_text(archive, self.path, name), name, n)

    def _post(self, page: str, name: str, n: int) -> Post:
        soup = parse_document(page)
        stem = PurePosixPath(name).stem
        title_el = soup.find(class_="p-name") or soup.find("title")
        title = title_el.get_text(" ", strip=True) if title_el else ""
        body = soup.find("section", attrs={"data-field": "body"}) or soup.find(class_="e-content")
        published = soup.find("time", class_="dt-published")
        footer = soup.find("footer")
        author = soup.find("a", class_="p-author")
        own = tuple(a for a in (own_address(author.get("href", "")) if author else "",) if a)
        if footer is not None:
            self.dropped["post footers (author, profile, time, canonical link)"] += 1
        status = "draft" if DRAFT.search(stem) or published is None else "publish"
        if body is None:
            raise ExportError(f"{self.path}: {name}: no post body (no e-content section); is this a Medium export?")
        for heading in body.find_all(class_="graf--title"):
            heading.decompose()  # the title again, as the body's first heading
        for divider in body.find_all(class_="section-divider"):
            divider.decompose()
        for quote in body.find_all("blockquote"):  # Medium's quotes hold inline text; the desk wants paragraphs
            if not quote.find(["p", "div", "ul", "ol", "blockquote"]):
                para = soup.new_tag("p")
                for child in list(quote.children):
                    para.append(child.extract())
                quote.append(para)
        subtitle_el = soup.find("section", attrs={"data-field": "subtitle"})
        subtitle = subtitle_el.get_text(" ", strip=True) if subtitle_el else ""
        text = " ".join(body.get_text(" ", strip=True).split())
        if subtitle and text.startswith(" ".join(subtitle.rstrip("…. ").split())):
            subtitle = ""  # Medium fills the subtitle with the opening words when the writer gave none
        m = HEX_ID.search(stem)
        guid = m.group(1) if m else stem
        return Post(guid=guid, title=title, html=body.decode_contents(), status=status, summary=subtitle,
                    own=own, where=name, published=day_of(published.get("datetime")) if published else None)
