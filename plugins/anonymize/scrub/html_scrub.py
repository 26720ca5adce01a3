"""The scrubber that every essay's HTML (body and summary) passes through.

Two stages. First, semantic transforms on one tree, the one a browser builds
(`html_tree.py`: lexbor's HTML5 parser, handed to BeautifulSoup): each step
removes or rewrites what it must, keeps what the author meant (a tweet embed
becomes a quotation and a link, a video player a link to the video), and
reports every change. Second, the nh3 allowlist gate (`html_gate.py`) has the
last word. Any failure becomes an error naming the essay: nothing is
published half-scrubbed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, PageElement, ProcessingInstruction, Tag

from anonymize.scrub.errors import AnonymizeError
from anonymize.scrub.html_allowlist import gate
from anonymize.scrub.html_rules import html_rules, is_local, shortcode_attributes, site_hosts
from anonymize.scrub.html_tree import parse
from anonymize.scrub.links import clean_url
from anonymize.scrub.report import Report
from anonymize.scrub.text_scrub import clean_text, lookalikes, removal_kind


class Context:
    """What every step needs: where we are, the settings, and the report."""

    def __init__(self, source: str, where: str, settings: Mapping, report: Report) -> None:
        self.source = source
        self.where = where
        self.settings = settings or {}
        self.report = report
        self.hosts = site_hosts(self.settings)
        self.rules = html_rules()

    def removed(self, kind: str, what: str) -> None:
        self.report.removed(self.source, kind, _short(what), self.where)

    def replaced(self, kind: str, what: str) -> None:
        self.report.replaced(self.source, kind, _short(what), self.where)

    def finding(self, kind: str, what: str) -> None:
        self.report.finding(self.source, kind, _short(what), self.where)


Step = Callable[[BeautifulSoup, Context], None]


def _tags(root: Tag, names: Iterable[str] | None = None, reverse: bool = False) -> Iterator[Tag]:
    """Every element under `root` (named one of `names`), listed before any change.

    A plain walk of `descendants` is several times cheaper than bs4's
    `find_all` matching machinery, and every step walks the whole tree.
    Elements a step has since destroyed (with an ancestor) are skipped.
    """
    wanted = frozenset(names) if names is not None else None
    found = [el for el in root.descendants if type(el) is Tag and (wanted is None or el.name in wanted)]
    return (el for el in (reversed(found) if reverse else found) if not _gone(el))


def _strings(root: Tag) -> Iterator[NavigableString]:
    found = [node for node in root.descendants if isinstance(node, NavigableString)]
    return (node for node in found if not _gone(node))


def _gone(node: PageElement) -> bool:
    """bs4's `decomposed` looks up `_decomposed`, which on a live Tag falls through to a subtree search."""
    return node.__dict__.get("_decomposed", False)


def shown_raw_text(soup: BeautifulSoup, ctx: Context) -> None:
    """<xmp> and <plaintext> show their source as text: it is the essay's markup, parsed and scrubbed like the rest.

    An unclosed <plaintext> holds every paragraph after it; a reader sees them
    (as source). Published as escaped markup they would show tags; dropped,
    the prose would be lost. Nested ones are opened in turn (bounded).
    """
    for _ in range(16):
        found = list(_tags(soup, ctx.rules.shown_raw_text))
        if not found:
            return
        for el in found:
            if el.parent is None:
                continue
            ctx.replaced("element", f"<{el.name}> text parsed as the essay's markup")
            inner = parse(el.get_text())
            el.replace_with(*inner.contents) if inner.contents else el.decompose()
    for el in _tags(soup, ctx.rules.shown_raw_text):
        ctx.removed("element", f"<{el.name}> nested too deep")
        el.decompose()


def remove_comments(soup: BeautifulSoup, ctx: Context) -> None:
    """HTML comments carry editorial notes, names and draft history."""
    for node in [n for n in _strings(soup) if isinstance(n, (Comment, ProcessingInstruction, Declaration, Doctype))]:
        ctx.removed("html-comment", str(node))
        node.extract()


def shortcodes(soup: BeautifulSoup, ctx: Context) -> None:
    """WordPress shortcodes in the text: captions keep their content, embeds become links, click-to-tweet a pull-quote.

    They arrive as text (an export, a paste): `[caption id="attachment_75609"]`
    names the source site's attachment, `[bctt tweet="…" username="…"]` its
    account. Widgets, forms and galleries by id go. Code is left alone.
    """
    pattern = ctx.rules.shortcode_tag
    kept = ctx.rules.markup_text_kept_inside
    for node in _strings(soup):
        if isinstance(node, Comment) or "[" not in node or not pattern.search(node):
            continue
        if any(p.name in kept for p in node.parents):
            continue
        pieces: list = []
        text = str(node)
        last = 0
        quote = None
        for m in pattern.finditer(text):
            pieces.append(text[last:m.start()])
            last = m.end()
            name = m.group("name").lower()
            rule = ctx.rules.shortcodes[name]
            named, bare = shortcode_attributes(m.group("attrs") or "")
            content = m.group("content") or ""
            if m.group("close"):
                ctx.removed("shortcode", f"[/{name}]")
                continue
            if rule.kind == "unwrap":
                ctx.removed("shortcode", f"[{name}]")
                pieces.append(content)
            elif rule.kind == "link":
                url = content.strip() or next((named[a] for a in rule.url_attributes if named.get(a)), "") or \
                    next((b for b in bare if "://" in b), "")
                if url.startswith(("http://", "https://")):
                    link = soup.new_tag("a", href=url)
                    link.string = clean_url(url)[0] or url  # the address shown is the clean one too
                    pieces.append(link)
                    ctx.replaced("shortcode", f"[{name}] → link")
                else:
                    ctx.removed("shortcode", f"[{name}]")
            elif rule.kind == "quote":
                said = next((named[a] for a in rule.text_attributes if named.get(a)), "") or content or \
                    " ".join(bare)
                said = " ".join(said.split())
                ctx.replaced("shortcode", f"[{name}] → pull-quote")
                if said:
                    quote = soup.new_tag("q")
                    quote.string = said
                    pieces.append(quote)
            else:
                ctx.removed("shortcode", f"[{name}]")
        pieces.append(text[last:])
        pieces = [p if not isinstance(p, str) else NavigableString(p) for p in pieces if p != ""]
        parent = node.parent
        if pieces:
            node.replace_with(*pieces)
        else:
            node.extract()
        # A pull-quote alone in its paragraph is the paragraph: a block quote, as the other click-to-tweet boxes.
        if quote is not None and parent is not None and parent.name == "p" and \
                parent.get_text(strip=True) == quote.get_text(strip=True):
            block = soup.new_tag("blockquote", attrs={"class": "pull-quote"})
            para = soup.new_tag("p")
            para.string = quote.get_text()
            block.append(para)
            parent.replace_with(block)


def social_widgets(soup: BeautifulSoup, ctx: Context) -> None:
    """A post embed becomes a quotation with a clean link; share buttons go; click-to-tweet becomes a pull-quote."""
    classed = [el for el in _tags(soup) if el.get("class")]
    if not classed:
        return
    for widget in ctx.rules.widgets:
        for el in [e for e in classed if not _gone(e) and any(c in widget.classes for c in e.get("class") or ())]:
            if el.parent is None and el is not soup:
                continue
            if widget.kind == "drop":
                ctx.removed("social-widget", widget.name)
                el.decompose()
            elif widget.kind == "quote":
                text = _widget_text(el, ctx)
                quote = soup.new_tag("blockquote", attrs={"class": "pull-quote"})
                para = soup.new_tag("p")
                para.string = text
                quote.append(para)
                el.replace_with(quote)
                ctx.replaced("social-widget", f"{widget.name} → pull-quote")
            else:
                _post_to_quote(soup, el, widget, ctx)


def _widget_text(el: Tag, ctx: Context) -> str:
    for a in el.find_all("a"):
        if a.get_text(" ", strip=True).lower() in ctx.rules.widget_labels:
            a.decompose()
        elif _is_share_intent(a.get("href", ""), ctx):
            a.unwrap()
    text = " ".join(el.get_text(" ", strip=True).split())
    for label in sorted(ctx.rules.widget_labels, key=len, reverse=True):
        text = re.sub(rf"\s*{re.escape(label)}\s*$", "", text, flags=re.I)
    return text


def _post_to_quote(soup: BeautifulSoup, el: Tag, widget, ctx: Context) -> None:
    permalink = el.get(widget.permalink_attribute, "") if widget.permalink_attribute else ""
    for bad in el.find_all(list(ctx.rules.drop_with_content)):
        bad.decompose()
    text_blocks = [p for p in el.find_all(["p"]) if p.get_text(strip=True)]
    links = [a.get("href", "") for a in el.find_all("a") if a.get("href")]
    if not permalink and links:
        permalink = links[-1]
    quote = soup.new_tag("blockquote")
    if text_blocks:
        for p in text_blocks:
            p.attrs = {}
            quote.append(p.extract())
    else:
        text = " ".join(el.get_text(" ", strip=True).split())
        if text:
            para = soup.new_tag("p")
            para.string = text
            quote.append(para)
    if permalink:
        para = soup.new_tag("p")
        link = soup.new_tag("a", href=permalink)
        link.string = f"Original post ({widget.name.split(' ')[0]})"
        para.append(link)
        quote.append(para)
    if quote.contents:
        el.replace_with(quote)
    else:
        el.decompose()
    ctx.replaced("social-widget", f"{widget.name} → quotation and link")


def players(soup: BeautifulSoup, ctx: Context) -> None:
    """A video or audio player becomes a plain link to its page (or nothing, by the embed policy)."""
    policy = ctx.settings.get("ANONYMIZE_EMBED_POLICY", "link")
    for frame in _tags(soup, ("iframe", "frame", "video", "audio")):
        if frame.parent is None:
            continue
        src = frame.get("src") or frame.get("data") or ""
        if not src:
            source = frame.find("source")
            src = source.get("src", "") if source else ""
        player = next((p for p in ctx.rules.players if p.pattern.match(src)), None) if src else None
        if policy != "link" or player is None or is_local(src, ctx.hosts):
            ctx.removed("embed", f"<{frame.name}> {src}".strip())
            frame.decompose()
            continue
        m = player.pattern.match(src)
        href = player.link.format(*([m.group(0)] + list(m.groups())))
        title = (frame.get("title") or "").strip()
        para = soup.new_tag("p", attrs={"class": "embed-link"})
        link = soup.new_tag("a", href=href)
        if player.name == "any other frame":
            link.string = title or href
        else:
            link.string = f"{player.name}: {title or href}"
        para.append(link)
        frame.replace_with(para)
        ctx.replaced("embed", f"{player.name} player → link")


def dangerous_elements(soup: BeautifulSoup, ctx: Context) -> None:
    """Scripts, styles, forms, frames and their kin never carry the author's prose."""
    for el in _tags(soup, ctx.rules.drop_with_content):
        if el.parent is None:
            continue
        ctx.removed("element", f"<{el.name}>")
        el.decompose()


def images(soup: BeautifulSoup, ctx: Context) -> None:
    """Tracking pixels go; a hotlinked image becomes a link with its alt text; ours stay."""
    for img in _tags(soup, ("img",)):
        if img.parent is None:
            continue
        src = (img.get("src") or "").strip()
        if src and is_local(src, ctx.hosts) and not _NOT_A_URL.search(src):
            continue
        if not src or src.lower().startswith(("data:", "blob:", "javascript:")) or _NOT_A_URL.search(src):
            ctx.removed("remote-resource", "image without a usable source")
            img.decompose()
        elif _is_pixel(img, src, ctx):
            ctx.removed("tracking-pixel", src)
            img.decompose()
        else:
            alt = (img.get("alt") or "").strip() or "image"
            link = soup.new_tag("a", href=src)
            link.string = alt
            img.replace_with(link)
            ctx.replaced("remote-resource", f"hotlinked image → link: {src}")


# Markup or quoted code in a source is a broken tag's leftovers (`<IMG SRC= onmouseover="…">`), not a picture.
_NOT_A_URL = re.compile(r"[\s<>\"'`()]")


def _is_pixel(img: Tag, src: str, ctx: Context) -> bool:
    for dim in ("width", "height"):
        value = str(img.get(dim, "")).strip().rstrip("px")
        if value.isdigit() and int(value) <= ctx.rules.pixel_max:
            return True
    style = (img.get("style") or "").replace(" ", "").lower()
    if re.search(r"(?:width|height):[0-3]px|display:none|visibility:hidden", style):
        return True
    return bool(ctx.rules.pixel_hosts.search(src))


def links(soup: BeautifulSoup, ctx: Context) -> None:
    """Unwrap redirect wrappers, drop tracking parameters, take the target off mailto:/file: links."""
    for el in _tags(soup, ("a", "blockquote", "q", "del", "ins", "area")):
        if el.parent is None:
            continue
        attr = "href" if el.name in ("a", "area") else "cite"
        href = el.get(attr)
        if href is None:
            continue
        if el.name == "a" and _is_share_intent(href, ctx):
            ctx.removed("social-widget", f"share link: {href}")
            if el.get_text(" ", strip=True).lower() in ctx.rules.widget_labels:
                el.decompose()
            else:
                el.unwrap()
            continue
        cleaned, changes = clean_url(href)
        for change in changes:
            if change.finding:
                ctx.finding(change.kind, change.what if change.kind == "private-document" else f"{change.what}: {href}")
            elif change.kind == "redirect-wrapper":
                ctx.replaced("redirect-wrapper", change.what)
            else:
                ctx.removed(change.kind, change.what)
        if cleaned is None:
            del el[attr]
            if el.name == "a":
                el.unwrap()
        elif cleaned != href:
            el[attr] = cleaned


def _is_share_intent(href: str, ctx: Context) -> bool:
    return any(p.match(href or "") for p in ctx.rules.share_intents)


def attributes(soup: BeautifulSoup, ctx: Context) -> None:
    """Event handlers, inline styles, srcset, ping and every attribute outside the allowlist go."""
    counts: Counter[tuple[str, str]] = Counter()
    for el in _tags(soup):
        allowed = ctx.rules.allowed_attributes(el.name)
        for name in list(el.attrs):
            value = el.attrs[name]
            lname = name.lower()
            if lname in allowed and not (lname in ctx.rules.url_attributes and _unsafe_url(value)):
                if lname in ("class", "id"):
                    _source_ids(el, lname, ctx)
                continue
            if lname.startswith("on"):
                kind = "event-handler"
            elif lname == "style":
                kind = "remote-resource" if re.search(r"url\s*\(|@import|expression\s*\(", str(value), re.I) \
                    else "inline-style"
            elif lname in ctx.rules.tracking_attributes:
                kind = "remote-resource" if lname in ("srcset", "imagesrcset", "background", "poster", "lowsrc",
                                                      "dynsrc", "longdesc") else "tracking-attribute"
            elif lname in ctx.rules.url_attributes:
                kind = "unsafe-url"
            else:
                kind = "attribute"
            counts[(kind, lname)] += 1
            del el.attrs[name]
    for (kind, name), n in sorted(counts.items()):
        ctx.removed(kind, f"{name}" + (f" ×{n}" if n > 1 else ""))


def _source_ids(el: Tag, name: str, ctx: Context) -> None:
    """Class names and ids numbered by the source site (`wp-image-75609`, `post-75608`) go; ours stay."""
    value = el.get(name)
    values = value if isinstance(value, list) else str(value).split()
    kept = [v for v in values if not ctx.rules.source_ids.search(v)]
    if len(kept) == len(values):
        return
    for v in values:
        if v not in kept:
            ctx.removed("source-id", f"{name} {v}")
    if kept:
        el[name] = kept if name == "class" else " ".join(kept)
    else:
        del el[name]


def _unsafe_url(value) -> bool:
    text = re.sub(r"[\x00-\x20]+", "", str(value)).lower()
    return text.startswith(("javascript:", "data:", "vbscript:"))


def disallowed_tags(soup: BeautifulSoup, ctx: Context) -> None:
    """Tags outside the allowlist are unwrapped: their text stays, the tag goes."""
    counts: Counter[str] = Counter()
    for el in _tags(soup):
        if el.name not in ctx.rules.tags and el.parent is not None:
            counts[el.name] += 1
            el.unwrap()
    for name, n in sorted(counts.items()):
        ctx.removed("tag", f"<{name}>" + (f" ×{n}" if n > 1 else ""))


def text(soup: BeautifulSoup, ctx: Context) -> None:
    """Invisible, bidi and XML-forbidden characters out of text and attribute values; look-alikes become findings.

    Text that looks like markup goes too (`_markup_text`), in the same walk.
    """
    removed: Counter[str] = Counter()
    for node in _strings(soup):
        if isinstance(node, Comment):
            continue
        text = str(node)
        cleaned, gone = clean_text(text)
        if gone:
            removed.update(gone)
        if "<" in cleaned or "//" in cleaned or ".com/" in cleaned:
            cleaned = _markup_text(node, cleaned, ctx)
        if cleaned != text:
            node.replace_with(NavigableString(cleaned))
        for word in lookalikes(cleaned):
            ctx.finding("lookalike", word)
    for el in _tags(soup):
        for name, value in list(el.attrs.items()):
            if isinstance(value, str):
                cleaned, gone = clean_text(value)
                if gone:
                    removed.update(gone)
                    el[name] = cleaned
    for name, n in sorted(removed.items()):
        ctx.removed(removal_kind(name), name + (f" ×{n}" if n > 1 else ""))


def _markup_text(node: NavigableString, text: str, ctx: Context) -> str:
    """Text that still looks like markup, or carries a share/intent URL, goes and is reported as a finding.

    It reaches the text when an importer escaped markup, a page carried it
    broken, or an attribute became text (an image's alt): a reader would see
    raw tags, and a click-to-tweet box's share URL names the source site's post
    (`?p=75608`). Inside code a writer is quoting markup: kept.
    """
    if not ("<" in text or _share_url_in_text(text, ctx)):
        return text
    if any(p.name in ctx.rules.markup_text_kept_inside for p in node.parents):
        return text
    cleaned = ctx.rules.markup_text.sub(lambda m: _flag(m.group(0), "markup-text", ctx), text) if "<" in text else text
    for url in _share_urls(cleaned, ctx):
        cleaned = cleaned.replace(url, _flag(url, "share-url-text", ctx))
    return cleaned


_URL_IN_TEXT = re.compile(
    r"(?:https?:)?//[^\s<>\"']+|(?:www\.)?(?:twitter|x|facebook|linkedin|reddit|pinterest)\.com/[^\s<>\"']+", re.I
)


def _share_urls(text: str, ctx: Context) -> list[str]:
    return [m.group(0) for m in _URL_IN_TEXT.finditer(text)
            if _is_share_intent(m.group(0) if "://" in m.group(0) else "https://" + m.group(0).lstrip("/"), ctx)]


def _share_url_in_text(text: str, ctx: Context) -> bool:
    return ("//" in text or ".com/" in text) and bool(_share_urls(text, ctx))


def _flag(run: str, kind: str, ctx: Context) -> str:
    ctx.finding(kind, run)
    ctx.removed(kind, run)
    return ""


def empty_blocks(soup: BeautifulSoup, ctx: Context) -> None:
    """Paragraphs left empty by the removals above would show as gaps; they go, unreported (nothing of the author's)."""
    for p in _tags(soup, ("p", "div", "span"), reverse=True):
        if p.parent is not None and not p.get_text(strip=True) and not p.find(["img", "br", "hr"]):
            p.decompose()


STEPS: list[Step] = [
    shown_raw_text,
    remove_comments,
    shortcodes,
    social_widgets,
    players,
    dangerous_elements,
    images,
    links,
    attributes,
    disallowed_tags,
    text,
    empty_blocks,
]


def scrub_html(html: str, *, source: str, where: str, settings: Mapping, report: Report) -> str:
    """Run every scrubbing step over `html`, then the allowlist gate; return the clean HTML."""
    if not html:
        return html
    ctx = Context(source, where, settings, report)
    try:
        soup = parse(html)
        for step in STEPS:
            step(soup, ctx)
        return gate(str(soup), ctx.hosts)
    except AnonymizeError:
        raise
    except Exception as exc:  # noqa: BLE001 - any scrubber failure must stop the build, naming the essay
        raise AnonymizeError(source, f"the HTML scrubber failed on the {where} ({type(exc).__name__}: {exc})") from exc


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
