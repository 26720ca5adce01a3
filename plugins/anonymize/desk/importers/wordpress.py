"""WordPress exports (WXR: RSS 2.0 with the `wp:` namespace), read as a stream.

What comes over: published and scheduled posts and pages (drafts when
asked), with the post's first category (the others become tags, as Pelican
has one category) and its tags; the excerpt as the summary; images the
posts show (inline, in galleries, the featured image). What never does:
author records, `dc:creator`, comments, pingbacks and trackbacks with their
names, e-mails, IP addresses and times, post and comment meta, dates and
times (each published post keeps only its day, see core.py), slugs, GUIDs,
attachments no post shows, menus, reusable blocks and other post types. Each is counted, by kind, in the import report.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from anonymize.desk.importers.core import ExportError, Post, day_of, own_address
from anonymize.desk.importers.media import SIZE_SUFFIX
from anonymize.desk.importers.wordpress_markup import Context, to_html
from anonymize.desk.importers.xmlstream import local, stream

WP = "http://wordpress.org/export/"
STATUS = {"publish": "publish", "future": "future", "draft": "draft", "pending": "pending", "private": "private",
          "trash": "trash", "auto-draft": "trash"}
COMMENT_KINDS = {"pingback": "pingbacks", "trackback": "trackbacks"}
UNCATEGORISED = {"uncategorized", "uncategorised", "non classé", "sin categoría", "allgemein"}


@lru_cache(maxsize=1024)
def _name(tag: str) -> str:
    ns, name = local(tag)
    if ns.startswith(WP):
        return ("excerpt:" if ns.endswith("/excerpt/") else "wp:") + name
    if ns == "http://purl.org/rss/1.0/modules/content/":
        return "content:" + name
    if ns == "http://purl.org/dc/elements/1.1/":
        return "dc:" + name
    return name


class Reader:
    label = "WordPress"
    fmt = "wordpress"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.dropped: Counter = Counter()
        self.markup: Counter = Counter()  # shortcodes and blocks turned into plain HTML
        self.attachments: dict[int, str] = {}  # id -> URL
        self.children: dict[int, list[str]] = defaultdict(list)  # parent post id -> attachment URLs
        self.used: set[int] = set()
        self.by_stem: dict[str, int] = {}  # attachment URL without size suffix and extension -> id
        self.base_url = ""
        self.own: set[str] = set()
        self.items = 0

    def scan(self, progress: Callable[[str, int, int], None]) -> int:
        """First pass: the whole file must parse; note attachments (posts refer to them by id) and count items."""
        size = self.path.stat().st_size
        seen_wxr = False
        root = None
        for event, elem, depth in stream(self.path, 2, Counter(), "WordPress export (WXR)",
                                         lambda done: progress("check", done, size)):
            if event == "start":
                if depth == 0:
                    root = elem
                    if local(elem.tag)[1] != "rss":
                        raise ExportError(f"{self.path}: not a WordPress export (the root element is "
                                          f"<{local(elem.tag)[1]}>, not <rss>); export it from Tools > Export")
                continue
            name = _name(elem.tag)
            if depth == 2 and name == "wp:wxr_version":
                seen_wxr = True
            elif depth == 2 and name in ("wp:base_site_url", "wp:base_blog_url", "link"):
                self.base_url = self.base_url or (elem.text or "").strip()
                if own_address(elem.text or ""):
                    self.own.add(own_address(elem.text or ""))
            elif depth == 2 and name == "item":
                self.items += 1
                fields = {_name(c.tag): (c.text or "") for c in elem}
                if fields.get("wp:post_type") == "attachment":
                    pid = _int(fields.get("wp:post_id"))
                    url = fields.get("wp:attachment_url", "").strip()
                    if url:
                        self.attachments[pid] = url
                        self.by_stem[_stem(url)] = pid
                        self.children[_int(fields.get("wp:post_parent"))].append(url)
        if root is None or not seen_wxr:
            raise ExportError(f"{self.path}: not a WordPress export (no wp:wxr_version); export it from "
                              f"Tools > Export in WordPress")
        return self.items

    def posts(self) -> Iterator[Post]:
        tally = self.dropped
        n = 0
        for event, elem, depth in stream(self.path, 2, tally, "WordPress export (WXR)"):
            if event != "end" or depth != 2:
                continue
            name = _name(elem.tag)
            if name == "wp:author":
                tally["author records (login, name, e-mail)"] += 1
            elif name in ("title", "link", "description", "pubDate", "language", "wp:base_site_url",
                          "wp:base_blog_url", "generator", "image"):
                tally["site details (title, address, export time)"] += 1
            elif name in ("wp:category", "wp:tag", "wp:term"):
                tally["term definitions"] += 1
            elif name == "item":
                n += 1
                post = self._item(elem, n)
                if post is not None:
                    yield post
        if self.attachments:
            tally["attachment records (title, caption, upload details)"] += len(self.attachments)
            unused = len(self.attachments) - len(self.used)
            if unused:
                tally["attachments no post shows (file not kept)"] += unused

    def _item(self, item, n: int) -> Post | None:
        tally = self.dropped
        fields: dict[str, str] = {}
        categories: list[str] = []
        tags: list[str] = []
        thumbnail = 0
        for child in item:
            name = _name(child.tag)
            if name == "category":
                domain = child.get("domain", "")
                value = html.unescape(child.text or "").strip()
                if domain == "category":
                    categories.append(value)
                elif domain == "post_tag":
                    tags.append(value)
                else:
                    tally["other taxonomy terms"] += 1
            elif name == "wp:postmeta":
                tally["post meta fields"] += 1
                meta = {_name(c.tag): (c.text or "") for c in child}
                if meta.get("wp:meta_key") == "_thumbnail_id":
                    thumbnail = _int(meta.get("wp:meta_value"))
            elif name == "wp:comment":
                meta = {_name(c.tag): (c.text or "") for c in child}
                kind = meta.get("wp:comment_type", "").strip()
                tally[COMMENT_KINDS.get(kind, "comments (name, e-mail, IP, time)")] += 1
                tally["comment meta fields"] += sum(1 for c in child if _name(c.tag) == "wp:commentmeta")
            else:
                fields[name] = child.text or ""
        if fields.get("dc:creator", "").strip():
            tally["post author names"] += 1
        kind = fields.get("wp:post_type", "post").strip()
        pid = _int(fields.get("wp:post_id"))
        if kind == "attachment":
            return None
        if kind not in ("post", "page"):
            tally[f"other post types ({kind})" if kind in ("revision", "nav_menu_item", "wp_block", "wp_navigation",
                  "wp_template", "wp_template_part", "wp_global_styles", "custom_css", "customize_changeset",
                  "oembed_cache", "user_request", "wp_font_face", "wp_font_family") else "other post types"] += 1
            return None
        status = STATUS.get(fields.get("wp:status", "").strip(), "other")
        if fields.get("wp:post_password", "").strip() and status in ("publish", "future"):
            status = "password"
        content = fields.get("content:encoded", "")
        for src in IMG_SRC.findall(content):
            aid = self.by_stem.get(_stem(src))
            if aid is not None:
                self.used.add(aid)
        for gallery in GALLERY.finditer(content):
            ids = [int(i) for i in re.findall(r"\d+", gallery.group(1) or "")]
            self.used.update(ids or [a for a, u in self.attachments.items() if u in self.children.get(pid, [])])
        featured = self.attachments.get(thumbnail, "") if thumbnail else ""
        if featured:
            self.used.add(thumbnail)

        def body() -> str:
            """The post's HTML, made only when the post is imported (a re-run skips most posts)."""
            text = to_html(content, Context(self.attachments, self.children, pid, self.markup))
            if featured and _stem(featured) not in {_stem(s) for s in IMG_SRC.findall(text)}:
                text = f'<figure><img src="{html.escape(featured)}" alt=""></figure>\n' + text
            return text

        real = [c for c in categories if c.lower() not in UNCATEGORISED]
        excerpt = html.unescape(fields.get("excerpt:encoded", "")).strip()
        if excerpt and "<" in excerpt:
            tally["excerpts with markup (not kept as summaries)"] += 1
            excerpt = ""
        guid = fields.get("guid", "").strip() or f"{self.base_url}?p={pid}"
        return Post(guid=guid, title=html.unescape(fields.get("title", "")), html=body,
                    kind=kind, status=status, category=real[0] if real else "", tags=real[1:] + tags,
                    summary=excerpt, base_url=self.base_url, own=tuple(sorted(self.own)),
                    where=f"item {n} (post id {pid})",
                    published=day_of(fields.get("wp:post_date"), fields.get("wp:post_date_gmt"), fields.get("pubDate")))


GALLERY = re.compile(r"""\[gallery\b(?:[^\[\]]*?\bids=["']?([\d,\s]+))?""", re.I)
IMG_SRC = re.compile(r"""<img\b[^<>]*?\bsrc=["']([^"']+)""", re.I)


def _stem(url: str) -> str:
    path = urlsplit(html.unescape(url)).path
    return SIZE_SUFFIX.sub("", path).rsplit(".", 1)[0].lower()


def _int(value: str | None) -> int:
    try:
        return int((value or "").strip())
    except ValueError:
        return 0
