"""Substack export archives: `posts.csv` (one row per post) and `posts/<post_id>.html` (the body).

Published newsletters and podcasts come over with their subtitle as the
summary and their day (`post_date`, UTC); drafts (`is_published` false) only when asked; discussion threads
never (they are readers' comments). Subscription boxes, subscribe and share
buttons go here; a tweet card becomes a quotation. Subscriber lists
(`email_list*.csv`) and per-post delivery and open records are never read
past their line count, which the report gives.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from anonymize.desk.importers.archive import open_zip, read_text
from anonymize.desk.importers.core import ExportError, Post, day_of, own_address
from anonymize.scrub.html_tree import parse

REQUIRED = ("post_id", "title")
DROP_CLASSES = ("subscription-widget-wrap", "subscription-widget-wrap-editor", "subscription-widget",
                "subscribe-widget", "button-wrapper", "captioned-button-wrap", "share-dialog", "paywall",
                "paywall-jump", "digest-post-embed", "community-chat", "comments-widget")


class Reader:
    label = "Substack"
    fmt = "substack"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.dropped: Counter = Counter()
        self.markup: Counter = Counter()
        self.rows: list[dict[str, str]] = []
        self.bodies: dict[str, str] = {}
        self.own: set[str] = set()  # the publication's address, learnt from its own subscribe and share buttons

    def scan(self, progress: Callable[[str, int, int], None]) -> int:
        progress("check", 0, 1)
        with open_zip(self.path, "Substack export (zip)") as archive:
            names = {i.filename for i in archive.infolist() if not i.is_dir()}
            if "posts.csv" not in names:
                raise ExportError(f"{self.path}: not a Substack export (no posts.csv inside); export it from "
                                  f"Settings > Exports")
            text = read_text(archive, self.path, "posts.csv")
            reader = csv.DictReader(io.StringIO(text, newline=""))
            missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
            if missing:
                raise ExportError(f"{self.path}: posts.csv line 1: no column {', '.join(missing)}; is this a "
                                  f"Substack export?")
            try:
                for row in reader:
                    if None in row or any(v is None for v in row.values()):
                        fields = sum(v is not None for k, v in row.items() if k is not None) + len(row.get(None, []))
                        raise ExportError(f"{self.path}: posts.csv line {reader.line_num}: {fields} fields where "
                                          f"the header has {len(reader.fieldnames)}; export it again")
                    self.rows.append({k: (v or "") for k, v in row.items()})
            except csv.Error as exc:
                raise ExportError(f"{self.path}: posts.csv line {reader.line_num}: {exc}; export it again") from None
            for row in self.rows:
                pid = row["post_id"].strip()
                self.bodies[pid] = next((n for n in (f"posts/{pid}.html", f"posts/{pid.split('.', 1)[0]}.html")
                                         if n in names), "")
            for name in sorted(names):
                if name == "posts.csv" or name in self.bodies.values():
                    continue
                lines = sum(1 for _ in io.TextIOWrapper(archive.open(name), "utf-8", errors="replace")) - 1
                if re.search(r"(^|/)email_list[^/]*\.csv$", name) or name.endswith("subscribers.csv"):
                    self.dropped["subscriber list rows (e-mail addresses)"] += max(lines, 0)
                elif name.endswith((".opens.csv", ".delivers.csv", ".clicks.csv")):
                    self.dropped["delivery and open records (e-mail, time, place)"] += max(lines, 0)
                else:
                    self.dropped["other files in the archive (not read)"] += 1
        progress("check", 1, 1)
        return len(self.rows)

    def posts(self) -> Iterator[Post]:
        with open_zip(self.path, "Substack export (zip)") as archive:
            for n, row in enumerate(self.rows, 2):
                post = self._row(archive, row, n)
                if post is not None:
                    yield post

    def _row(self, archive, row: dict[str, str], line: int) -> Post | None:
        self.dropped["post times (the day is kept) and delivery times"] += sum(
            1 for k in ("post_date", "email_sent_at", "inbox_sent_at") if row.get(k, "").strip())
        if row.get("podcast_url", "").strip():
            self.dropped["podcast audio addresses (not kept)"] += 1
        kind = row.get("type", "newsletter").strip().lower() or "newsletter"
        if kind == "thread":
            self.dropped["discussion threads (readers' comments)"] += 1
            return None
        name = self.bodies.get(row["post_id"].strip(), "")
        if not name:
            self.dropped["posts without a body file in the export"] += 1
            return None
        published = row.get("is_published", "").strip().lower() in ("true", "t", "1", "yes")
        html = self._body(read_text(archive, self.path, name))
        return Post(guid=row["post_id"].strip(), title=row.get("title", ""), html=html,
                    kind="page" if kind == "page" else "post", status="publish" if published else "draft",
                    summary=row.get("subtitle", ""), own=tuple(sorted(self.own)), where=f"posts.csv line {line}",
                    published=day_of(row.get("post_date")))

    def _body(self, html: str) -> str:
        soup = parse(html)
        for el in soup.find_all(class_=list(DROP_CLASSES)):
            for a in el.find_all("a", href=True):
                host = own_address(a["href"]).split("/", 1)[0]
                if host.endswith(".substack.com"):
                    self.own.add(host)
            if el.parent is not None:
                self.markup["subscribe, share and paywall boxes"] += 1
                el.decompose()
        for card in soup.find_all("div", class_="tweet"):
            text = card.find(class_="tweet-text")
            link = next((a.get("href") for a in card.find_all("a") if "/status/" in a.get("href", "")), "")
            quote = soup.new_tag("blockquote", attrs={"class": "twitter-tweet"})
            para = soup.new_tag("p")
            para.string = text.get_text(" ", strip=True) if text else ""
            quote.append(para)
            if link:
                a = soup.new_tag("a", href=link)
                a.string = "the post"
                quote.append(a)
            card.replace_with(quote)
            self.markup["tweet cards (kept as quotations)"] += 1
        return str(soup)
