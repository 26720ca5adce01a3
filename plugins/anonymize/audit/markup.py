"""HTML, XML and CSS read as raw text with the audit's own patterns (no parser shared with the scrubber)."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from anonymize.audit.links import check_link

# A start tag as a browser's tokenizer reads it: attributes are separated by whitespace or "/" (`<svg/onload=…>`),
# or by nothing after a quoted value (`target='_blank'rel=…`); a quoted value may hold ">". Possessive
# quantifiers: an unclosed tag fails in linear time.
TAG = re.compile(
    r"""<([a-zA-Z][^\s/>]*+)((?:(?:[\s/]++|(?<=["']))(?:[^\s/>=]|(?<=[\s/])=)[^\s/>=]*+"""
    r"""(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>]++))?)*+)[\s/]*+>""",
    re.S,
)
ATTR = re.compile(r"""([^\s/>=]++|=[^\s/>=]*+)(?:\s*+=\s*+(?:"([^"]*+)"|'([^']*+)'|([^\s>]++)))?""")
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
    problems = check_page_structure(html)
    for m in COMMENT.finditer(html):
        problems.append(f"HTML comment: {' '.join(m.group(1).split())[:60]}")
    for m in STYLE_BLOCK.finditer(html):
        problems += check_css(m.group(1), policy)
    hosts = policy.site_hosts
    seen = _SEEN_TAGS
    for name, attr_text in TAG.findall(html):
        found = seen.get((name, attr_text, hosts))
        if found is None:
            found = _tag_problems(name, attr_text, policy)
            if len(seen) >= 200_000:
                seen.clear()
            seen[(name, attr_text, hosts)] = found
        if found:
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
    # Only content the feed declares as HTML is HTML (Atom content/summary type="html", RSS description);
    # a title, a name or a category is text, and escaped markup there is a reader seeing "<" as text.
    # A summary is header text too (a writer's Summary, shown as written) or the opening of the essay text,
    # which is checked on the essay's page and in Atom's content: escaped markup is looked for in essay text only.
    for m in FEED_HTML.finditer(xml):
        embedded = unescape(m.group(2))
        problems += [p for p in check_html(embedded, policy) if not p.startswith("<link")]
        if m.group(1) == "content":
            problems += escaped_markup(embedded)
    return problems


FEED_HTML = re.compile(r"<(content|summary|description)\b(?:[^>]*\btype=\"html\")?[^>]*>(.*?)</\1>", re.S)


# What the theme writes in a page's head: any other element there is markup a header value (or a summary) broke
# out of an attribute or the title with.
HEAD = re.compile(r"<head\b[^>]*>(.*?)</head\s*>", re.S | re.I)
TITLE_TEXT = re.compile(r"(<title\b[^>]*>)(.*?)(</title\s*>)", re.S | re.I)
HEAD_TAGS = {"meta", "title", "link"}
HEAD_META_NAMES = {"viewport", "referrer", "description", "color-scheme", "theme-color"}
HEAD_LINK_RELS = {"stylesheet", "icon", "alternate", "canonical"}
HEADINGS = re.compile(r"<(h1|h2|title)\b[^>]*>(.*?)</\1\s*>", re.S | re.I)
# Header-derived regions of an essay page: its header (title, summary, meta line, series, content note) and its
# footer (tags, responses, related, neighbours).
ESSAY_HEADER = re.compile(r"<article class=\"essay\"[^>]*>\s*<header>(.*?)</header>", re.S)
ESSAY_FOOTER = re.compile(r"<footer data-pagefind-ignore>(.*?)</footer>", re.S)
HEADER_TAGS = {"h1", "p", "span", "time", "a", "nav", "ol", "ul", "li", "em", "strong", "div", "section", "h2"}
ANY_TAG = re.compile(r"</?([a-zA-Z][^\s/>]*)")
# Essay text: the body of an essay or a page. Markup escaped into it is a reader seeing tags as text (an import
# gone wrong, a click-to-tweet box's share link); quoted inside code it is the writer's own.
ESSAY_BODY = re.compile(
    r"<div class=\"body\">(.*?)</div>\s*<footer|<article class=\"page\"[^>]*>\s*<h1>.*?</h1>(.*?)</article>", re.S
)
BODY_OPEN, BODY_END = '<div class="body">', re.compile(r"</div>\s*<footer")  # ESSAY_BODY's first branch, apart
CODE = re.compile(r"<(pre|code|kbd|samp)\b[^>]*>.*?</\1>", re.S | re.I)
ANY_TAG_WHOLE = re.compile(TAG.pattern + r"|</[a-zA-Z][^>]*>", re.S)
ESCAPED_MARKUP = re.compile(r"&lt;(?:/?[a-zA-Z][a-zA-Z0-9:-]*(?=[\s/]|&gt;)|!--|!\[CDATA\[)", re.I)


def check_page_structure(html: str) -> list[str]:
    """Live markup in the head or in header-derived text, and escaped markup in essay text."""
    problems: list[str] = []
    head = HEAD.search(html)
    if head:
        problems += _head_problems(head.group(1))
    for m in HEADINGS.finditer(html):
        inner = m.group(2)
        if m.group(1).lower() == "title":
            if "<" in inner:
                problems.append(f"live markup in the page title: {' '.join(inner.split())[:60]}")
            continue
        stray = sorted({t.lower() for t in ANY_TAG.findall(inner)} - {"a"})
        if stray:
            problems.append(f"live markup in a heading (<{m.group(1)}>): <{'>, <'.join(stray)}>")
    for region in (ESSAY_HEADER, ESSAY_FOOTER):
        for m in region.finditer(html):
            stray = sorted({t.lower() for t in ANY_TAG.findall(m.group(1))} - HEADER_TAGS)
            if stray:
                problems.append(f"live markup in header-derived text: <{'>, <'.join(stray)}>")
    for body in _essay_bodies(html):
        problems += escaped_markup(body)
    return problems


def _essay_bodies(html: str) -> list[str]:
    """What ESSAY_BODY finds, in order. An essay's body is found with C's substring search (its opening, then the
    first end after it, which is what the pattern's lazy `(.*?)` finds); `re` would step through the body
    position by position. A page's body (an <article class="page">) is left to the pattern itself."""
    if '<article class="page"' in html:
        return [m.group(1) or m.group(2) or "" for m in ESSAY_BODY.finditer(html)]
    bodies, pos = [], 0
    while (start := html.find(BODY_OPEN, pos)) >= 0:
        end = BODY_END.search(html, start + len(BODY_OPEN))
        if end is None:
            break
        bodies.append(html[start + len(BODY_OPEN):end.start()])
        pos = end.end()
    return bodies


def escaped_markup(html: str) -> list[str]:
    """Markup escaped into essay text (outside code): `&lt;a href`, `&lt;script`, `&lt;!--`."""
    if "&lt;" not in html:
        return []
    text = ANY_TAG_WHOLE.sub(" ", CODE.sub(" ", html))  # text only: an attribute's value is not text
    return [f"escaped markup in essay text: {text[m.start():m.start() + 60]}" for m in ESCAPED_MARKUP.finditer(text)]


def _head_problems(head: str) -> list[str]:
    problems = []
    head = TITLE_TEXT.sub(lambda m: m.group(1) + m.group(3), head)  # the title's text is text (checked above)
    for name, attr_text in TAG.findall(head):
        problems += _head_tag_problems(name, attr_text)
    text = ANY_MARKUP.sub("", head).strip()
    if text:
        problems.append(f"text in the head (markup broke out of an attribute or the title): {text[:60]}")
    return problems


ANY_MARKUP = re.compile(r"<[^>]*>")


@lru_cache(maxsize=200_000)  # every page's head repeats most of its tags (charset, viewport, style sheet, feeds)
def _head_tag_problems(name: str, attr_text: str) -> tuple[str, ...]:
    tag = name.lower()
    attrs = {a.group(1).lower(): unescape(a.group(2) or a.group(3) or a.group(4) or "")
             for a in ATTR.finditer(attr_text or "")}
    if tag not in HEAD_TAGS:
        return (f"live markup in the head: <{tag}>",)
    if tag == "meta" and not ("charset" in attrs or attrs.get("name", "").lower() in HEAD_META_NAMES
                              or attrs.get("http-equiv", "").lower() == "content-security-policy"):
        return (f"unexpected <meta> in the head: {' '.join(sorted(attrs))[:60]}",)
    if tag == "link" and not set(attrs.get("rel", "").lower().split()) & HEAD_LINK_RELS:
        return (f"unexpected <link> in the head: rel={attrs.get('rel', '')[:40]}",)
    return ()
