"""HTML, XML and CSS read as raw text with the audit's own patterns (no parser shared with the scrubber)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from anonymize.audit.links import check_link

TAG = re.compile(r"<([a-zA-Z][\w:-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*/?>", re.S)
ATTR = re.compile(r"([^\s=/>]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
LOADING_ATTRS = {"src", "srcset", "poster", "data", "background", "action", "formaction", "xlink:href", "manifest",
                 "ping", "codebase", "archive", "lowsrc", "dynsrc", "longdesc", "imagesrcset", "icon"}
LOADING_LINK_RELS = {"stylesheet", "preload", "prefetch", "preconnect", "dns-prefetch", "icon", "shortcut",
                     "apple-touch-icon", "manifest", "modulepreload", "prerender", "import", "mask-icon"}
CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]*)\1\s*\)|@import\s+(?:url\(\s*)?['\"]?([^'\");\s]+)", re.I)
STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.I | re.S)
COMMENT = re.compile(r"<!--(.*?)-->", re.S)
HTML_ENTITY = re.compile(r"&(?:#x([0-9a-f]+)|#(\d+)|(amp|quot|apos|lt|gt));", re.I)
CONTROL = re.compile(r"[\x00-\x20]+")
NAMED = {"amp": "&", "quot": '"', "apos": "'", "lt": "<", "gt": ">"}


def unescape(value: str) -> str:
    if "&" not in value:
        return value
    def repl(m: re.Match) -> str:
        if m.group(1):
            return chr(int(m.group(1), 16))
        if m.group(2):
            return chr(int(m.group(2)))
        return NAMED[m.group(3).lower()]

    return HTML_ENTITY.sub(repl, value)


def remote(url: str, policy) -> bool:
    """Would a browser fetch this from a host other than ours?"""
    url = CONTROL.sub("", url or "")
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return False
    if parts.scheme in ("http", "https", "ftp", "ws", "wss"):
        return (parts.hostname or "").lower() not in policy.site_hosts
    return parts.scheme not in ("mailto", "tel", "data", "blob", "about")


def check_css(css: str, policy) -> list[str]:
    problems = []
    for m in CSS_URL.finditer(css):
        target = m.group(2) or m.group(3) or ""
        if remote(target, policy):
            what = "CSS @import" if m.group(3) else "CSS url()"
            problems.append(f"{what} loads from another host: {target[:80]}")
    return problems


def check_html(html: str, policy) -> list[str]:
    problems = []
    for m in COMMENT.finditer(html):
        problems.append(f"HTML comment: {' '.join(m.group(1).split())[:60]}")
    for m in STYLE_BLOCK.finditer(html):
        problems += check_css(m.group(1), policy)
    hosts = policy.site_hosts
    for m in TAG.finditer(html):
        key = (m.group(1), m.group(2), hosts)
        found = _SEEN_TAGS.get(key)
        if found is None:
            found = _tag_problems(m.group(1), m.group(2), policy)
            if len(_SEEN_TAGS) >= 200_000:
                _SEEN_TAGS.clear()
            _SEEN_TAGS[key] = found
        problems += found
    return problems


# A site repeats the same tags on every page (navigation, footers, tag lists). What a tag's problems are
# depends only on its name, its attribute text and our own hosts, so each distinct tag is judged once.
_SEEN_TAGS: dict[tuple, tuple[str, ...]] = {}


def _tag_problems(name: str, attr_text: str | None, policy) -> tuple[str, ...]:
    attrs: dict[str, str] = {}
    for a in ATTR.finditer(attr_text or ""):
        attrs[a.group(1).lower()] = unescape(a.group(2) or a.group(3) or a.group(4) or "")
    return tuple(_check_tag(name.lower(), attrs, policy))


def _check_tag(tag: str, attrs: dict[str, str], policy) -> list[str]:
    problems = []
    for name, value in attrs.items():
        if name.startswith("on"):
            problems.append(f"<{tag}> has an event handler ({name})")
        elif name in LOADING_ATTRS:
            urls = [part.strip().split(" ")[0] for part in value.split(",")] if "srcset" in name else [value]
            for url in urls:
                if remote(url, policy):
                    problems.append(f"<{tag} {name}> loads from another host: {url[:80]}")
        elif name == "style":
            problems += [f"<{tag} style>: {p}" for p in check_css(value, policy)]
    if tag in ("iframe", "frame", "object", "embed", "applet", "portal", "fencedframe"):
        problems.append(f"<{tag}> embeds another document")
    if tag == "link":
        rels = set(attrs.get("rel", "").lower().split())
        if rels & LOADING_LINK_RELS and remote(attrs.get("href", ""), policy):
            problems.append(f"<link rel={attrs.get('rel')}> loads from another host: {attrs.get('href', '')[:80]}")
    if tag == "meta":
        name = attrs.get("name", "").lower()
        if name in ("author", "generator", "twitter:creator", "article:author", "dc.creator", "creator"):
            problems.append(f"<meta name={name}>")
        if attrs.get("property", "").lower() in ("article:author", "og:author", "profile:username"):
            problems.append(f"<meta property={attrs.get('property')}>")
        if attrs.get("http-equiv", "").lower() == "refresh" and "url" in attrs.get("content", "").lower():
            problems.append("<meta http-equiv=refresh> redirects the reader")
    if tag in ("a", "area") and "href" in attrs:
        problems += check_link(attrs["href"])
    if tag == "base" and attrs.get("href"):
        problems.append("<base href> redirects every relative link")
    return problems


ATOM_NAME = re.compile(r"<(?:author|contributor)>\s*<name>([^<]*)</name>", re.I)
RSS_AUTHOR = re.compile(r"<(?:author|dc:creator|managingEditor|webMaster)>([^<]*)<", re.I)
XML_LINK = re.compile(r"<link>([^<]+)</link>|<link\b[^>]*\bhref=\"([^\"]+)\"|<loc>([^<]+)</loc>|<(?:guid|id)>([^<]+)<")


def check_xml(xml: str, policy) -> list[str]:
    """Feeds and sitemaps: authors other than the pseudonym, and links; embedded HTML is checked as HTML."""
    problems = []
    for m in ATOM_NAME.finditer(xml):
        if unescape(m.group(1)).strip() not in policy.pseudonyms:
            problems.append(f"feed author is not the pseudonym: {m.group(1)[:60]}")
    for m in RSS_AUTHOR.finditer(xml):
        value = unescape(m.group(1)).strip()
        if value and not any(p in value for p in policy.pseudonyms):
            problems.append(f"feed author is not the pseudonym: {value[:60]}")
    for m in XML_LINK.finditer(xml):
        url = unescape(next(g for g in m.groups() if g))
        problems += check_link(url)
    embedded = unescape(xml)  # feed content is escaped HTML
    if embedded != xml:
        problems += [p for p in check_html(embedded, policy) if not p.startswith("<link")]
    return problems
