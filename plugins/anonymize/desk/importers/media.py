"""Images of an imported post, taken from the editor's copy of the old site's media folder, never the network.

An export names images by URL (`https://blog.example/wp-content/uploads/2024/03/ward-300x200.jpg`,
a CDN address that wraps the original's). `--media` is a copy of the uploads folder (or any folder of
the files): a URL is matched by its path below `uploads/`, then by shorter path tails, then by file
name alone, each also without WordPress's size suffix (`-300x200`, `-scaled`), so a resized copy
falls back to the original. A match is cleaned by the image scrubbers and published under its content
hash; a URL with no match (or a file the scrubbers refuse) becomes a link and a finding for the
editor, never a hotlinked image.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections import Counter
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from anonymize.scrub.html_tree import parse
from anonymize.scrub.images import ImageError, clean_bytes

HOSTS = Path(__file__).with_name("media_hosts.toml")
SIZE_SUFFIX = re.compile(r"-(?:\d+x\d+|scaled|rotated|e\d{10,13})(?=\.[A-Za-z0-9]+$)")
MISSING_HOST = "image-missing-from-import.invalid"  # RFC 2606: a name that never resolves
IMAGE_EXT = {".jpg", ".jpeg", ".jpe", ".png", ".gif", ".webp", ".heic", ".heif"}


class Media:
    """Finds the file for an image URL inside the media folder (and nowhere else)."""

    def __init__(self, root: Path | None) -> None:
        self.root = root.resolve() if root else None
        self._by_name: dict[str, list[Path]] | None = None

    def find(self, url: str, own: tuple[str, ...] = ()) -> Path | None:
        """The file for `url` in the media folder; None for a file not there or an image on someone else's host."""
        if self.root is None or not url or not ours(url, own):
            return None
        parts = [p for p in unquote(urlsplit(url).path).split("/") if p]
        # A CDN address that wraps the original (Substack's image/fetch/.../https://bucket/...): the inner path.
        for i in range(len(parts) - 1, -1, -1):
            if parts[i] in ("http:", "https:"):
                parts = parts[i + 2:]
                break
        parts = [p for p in parts if p not in (".", "..")]
        if not parts:
            return None
        tails: list[list[str]] = []
        if "uploads" in parts:
            tails.append(parts[len(parts) - parts[::-1].index("uploads"):])
        tails += [parts[-n:] for n in (3, 2, 1) if n <= len(parts)]
        for tail in tails:
            for rel in _variants("/".join(tail)):
                found = self._inside(self.root / rel)
                if found:
                    return found
        for name in _variants(parts[-1]):
            matches = self._names().get(name.lower(), [])
            if len(matches) == 1:
                return self._inside(matches[0])
        return None

    def _inside(self, path: Path) -> Path | None:
        try:
            real = path.resolve()
        except OSError:
            return None
        return real if real.is_file() and real.is_relative_to(self.root) else None

    def _names(self) -> dict[str, list[Path]]:
        if self._by_name is None:
            self._by_name = {}
            for folder, _dirs, files in os.walk(self.root):
                for name in files:
                    self._by_name.setdefault(name.lower(), []).append(Path(folder) / name)
        return self._by_name


@lru_cache(maxsize=1)
def platform_hosts() -> tuple[str, ...]:
    return tuple(tomllib.loads(HOSTS.read_text("utf-8"))["hosts"])


def ours(url: str, own: tuple[str, ...] = ()) -> bool:
    """Whether an image address is the old site's own upload (its host, a platform's upload host, or relative)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    if not host or "/wp-content/uploads/" in parts.path:  # relative, or a WordPress upload (the site may have moved)
        return True
    hosts = (*(o.split("/", 1)[0] for o in own), *platform_hosts())
    return any(host == h or host.endswith("." + h) for h in hosts)


def _variants(rel: str) -> list[str]:
    stripped = SIZE_SUFFIX.sub("", rel)
    return [rel] if stripped == rel else [rel, stripped]


def label(url: str) -> str:
    """How a report names a missing file: its path below uploads/ (or the URL's path), never the host's query."""
    path = unquote(urlsplit(url).path)
    return path.split("/uploads/", 1)[1] if "/uploads/" in path else path.lstrip("/") or url


def localise(html: str, media: Media, folder: Path, base_url: str, notes: list[str], tally: Counter,
             own: tuple[str, ...] = ()) -> tuple[str, int]:
    """Put the cleaned copy of each image the post shows into `folder` and point the post at it.

    Returns the HTML and how many images were placed. A missing image becomes a link to its old address
    (the desk's review lists it as a URL finding, and the publish gate refuses it until it is dealt with).
    """
    if "<img" not in html.lower():
        return html, 0
    soup = parse(html)
    placed = missing = 0
    for picture in soup.find_all("picture"):  # <source> sets are remote; the <img> inside is the picture
        inner = picture.find("img")
        picture.replace_with(inner.extract()) if inner is not None else picture.decompose()
    for img in soup.find_all("img"):
        if img.parent is None:
            continue
        src = (img.get("src") or img.get("data-src") or "").strip()
        url = urljoin(base_url, src) if base_url and src else src
        path = media.find(url, own) if src and not src.lower().startswith("data:") else None
        cleaned = None
        problem = "not found in --media" if ours(url, own) else "is on another site's host (never fetched)"
        if path is not None:
            try:
                cleaned = clean_bytes(path.read_bytes())
            except (ImageError, OSError) as exc:
                problem = f"cannot be cleaned ({exc})"
        anchor = img.find_parent("a")
        wrapper = anchor if anchor is not None and _is_media_link(anchor.get("href", "")) else None
        alt = " ".join((img.get("alt") or "").split())
        if cleaned is not None:
            placed += 1
            name = f"image-{placed}{cleaned.ext}"
            (folder / name).write_bytes(cleaned.data)
            img.attrs = {"src": name, "alt": alt}
            if wrapper is not None:
                wrapper.unwrap()  # a link to the full-size copy on the old site
            tally["images taken from --media (cleaned)"] += 1
            continue
        if not src or src.lower().startswith("data:"):
            img.decompose()
            tally["images without a usable address (removed)"] += 1
            continue
        missing += 1
        tally["images not in --media or refused (a finding: a placeholder link)"] += 1
        notes.append(f"image {missing} {problem}: {label(url)} (placeholder {MISSING_HOST}/{missing})")
        # The old address names the old site (often the writer's own name) and the file (often the minute the
        # photo was taken); neither goes into git. The placeholder's address is a URL finding in `invoke review`
        # (so the publish gate holds the essay until the editor deals with it) that can never load anything.
        link = soup.new_tag("a", href=f"https://{MISSING_HOST}/{missing}")
        link.string = f"image not imported: {alt}" if alt else "image not imported"
        (wrapper or img).replace_with(link)
    return str(soup), placed


def unlink_own(html: str, own: tuple[str, ...], notes: list[str], tally: Counter,
               pages: frozenset[str] = frozenset()) -> str:
    """Links to the old site itself (its host, a profile path such as medium.com/@name, or one of its own pages'
    paths on any host) keep their text only.

    The old site's address is usually the writer's name; an anonymous essay cannot point at it.
    """
    if not (own or pages) or "<a" not in html.lower():
        return html
    soup = parse(html)
    count = 0
    for a in soup.find_all("a", href=True):
        href = a["href"].strip()
        parts = urlsplit(href if "://" in href else "https://" + href.lstrip("/"))
        where = ((parts.hostname or "").removeprefix("www.") + parts.path).lower()
        if any(where == o or where.startswith(o.rstrip("/") + "/") for o in own) or (
                "://" in href and parts.path in pages):
            count += 1
            a.unwrap()
    if count:
        tally["links to the old site (text kept, link removed)"] += count
        notes.append(f"{count} link(s) to the old site kept as text only; link the new essays after accepting")
    return str(soup)


def _is_media_link(href: str) -> bool:
    suffix = PurePosixPath(unquote(urlsplit(href).path)).suffix.lower()
    return suffix in IMAGE_EXT or "attachment_id=" in href or "/attachment/" in href
