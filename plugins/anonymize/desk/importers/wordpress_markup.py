"""WordPress markup as an export holds it, turned into the HTML a reader saw: shortcodes, blocks, paragraphs.

An export keeps `post_content` raw. WordPress adds paragraphs (`wpautop`), expands
shortcodes and renders dynamic blocks only when a page is served, so the
importer does the same before the desk's scrubber sees the HTML. What is
recognised here is data (`wordpress_markup.toml`): a click-to-tweet box becomes
a pull-quote without the author's handle, an embed becomes a link, a form or
an author box goes. The scrubber still has the last word on every tag.
"""

from __future__ import annotations

import html
import json
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

RULES = Path(__file__).with_name("wordpress_markup.toml")


@dataclass(frozen=True)
class Rules:
    shortcodes: dict[str, dict]  # name -> its table
    dynamic_quote: frozenset[str]
    quote_from: tuple[str, ...]
    drop_blocks: frozenset[str]
    examples: tuple[dict, ...]


@lru_cache(maxsize=1)
def rules() -> Rules:
    data = tomllib.loads(RULES.read_text("utf-8"))
    codes = {name.lower(): table for table in data["shortcodes"] for name in table["names"]}
    gb = data["gutenberg"]
    return Rules(codes, frozenset(gb["dynamic_quote"]), tuple(gb["text_from"]), frozenset(gb["drop_blocks"]),
                 tuple(data.get("examples", ())))


@dataclass
class Context:
    """What a post's markup may refer to: attachments by id and by parent post, and a tally of what went."""

    attachments: Mapping[int, str] = field(default_factory=dict)  # attachment id -> URL
    children: Mapping[int, list[str]] = field(default_factory=dict)  # post id -> URLs of its attachments
    post_id: int = 0
    tally: Counter = field(default_factory=Counter)


def to_html(content: str, ctx: Context | None = None) -> str:
    """The HTML of a post as WordPress would have served it, minus what it would have pulled in from elsewhere."""
    ctx = ctx or Context()
    has_blocks = "<!-- wp:" in content
    text = blocks(content, ctx)
    text = shortcodes(text, ctx)
    text = re.sub(r"<!--\s*(?:more|nextpage|noteaser)\b[^<>]{0,200}-->", "", text, flags=re.I)
    if not has_blocks:  # the block editor saves its paragraphs; the classic editor leaves them to wpautop
        text = autop(text)
    return bare_urls(text)


# --- Gutenberg blocks ---------------------------------------------------------------------------------------------
BLOCK_COMMENT = re.compile(
    r"<!--\s+(?P<closer>/)?wp:(?P<name>[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s+"
    r"(?P<attrs>\{(?:[^}]++|\}++(?=\})|(?!\}\s+/?-->).)*+\}\s+)?(?P<void>/)?-->", re.S)  # possessive, as WordPress's
EMBED_WRAPPER = re.compile(r'<div class="wp-block-embed__wrapper">\s*(https?://[^\s<"]+)\s*</div>')


def _full(name: str) -> tuple[str, str]:
    if "/" not in name:
        return f"core/{name}", name
    return name, name.split("/", 1)[1] if name.startswith("core/") else name


def blocks(content: str, ctx: Context) -> str:
    """Block comments go; a dynamic click-to-tweet block becomes a pull-quote; reusable and listing blocks go whole."""
    r = rules()
    out: list[str] = []
    pos = 0
    skipping: list[str] = []  # names of open blocks being dropped with their content
    for m in BLOCK_COMMENT.finditer(content):
        full, short = _full(m.group("name"))
        if not skipping:
            out.append(content[pos:m.start()])
        pos = m.end()
        names = {full, short, m.group("name")}
        if skipping:
            if m.group("closer") and m.group("name") == skipping[-1]:
                skipping.pop()
            elif not m.group("closer") and not m.group("void") and m.group("name") == skipping[-1]:
                skipping.append(m.group("name"))
            continue
        if m.group("closer"):
            continue
        if names & r.dynamic_quote:
            attrs = _json(m.group("attrs"))
            text = next((str(attrs[k]) for k in r.quote_from if attrs.get(k)), "")
            if text:
                out.append(_pull_quote(text))
            ctx.tally["click-to-tweet boxes (kept as pull-quotes)"] += 1
            if not m.group("void"):
                skipping.append(m.group("name"))
            continue
        if names & r.drop_blocks:
            ctx.tally["reusable and listing blocks"] += 1
            if not m.group("void"):
                skipping.append(m.group("name"))
            continue
        if short == "embed" or full.startswith("core-embed/"):
            ctx.tally["embed blocks (kept as links)"] += 1
    if not skipping:
        out.append(content[pos:])
    text = "".join(out)
    return EMBED_WRAPPER.sub(lambda m: f'<div><p><a href="{m.group(1)}">{m.group(1)}</a></p></div>', text)


def _json(raw: str | None) -> dict:
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _pull_quote(text: str) -> str:
    return f'<blockquote class="pull-quote"><p>{html.escape(" ".join(text.split()), quote=False)}</p></blockquote>'


# --- shortcodes ---------------------------------------------------------------------------------------------------
# WordPress's own pattern (get_shortcode_regex): [[escaped]], [name attrs], [name attrs /], [name attrs]content[/name].
# Attributes never hold a bracket here, and only names whose closing tag is in the text are tried as pairs, so a
# hostile post of brackets costs linear time, not quadratic; a post with more brackets than MAX_BRACKETS is left as
# text (the scrubber still reads all of it).
ATTRS = r"([^\[\]/]*(?:/(?!\])[^\[\]/]*)*?)"
LONE = re.compile(r"\[(\[?)([A-Za-z0-9_-]+)(?![\w-])" + ATTRS + r"(/?)\](\]?)")
CLOSER = re.compile(r"\[/([A-Za-z0-9_-]+)\]")
MAX_BRACKETS = 1000
MAX_DEPTH = 4


def _pairs(names: set[str]) -> re.Pattern:
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(r"\[(\[?)(" + alternation + r")(?![\w-])" + ATTRS +
                      r"\]([^\[]*(?:\[(?!/\2\])[^\[]*)*)\[/\2\](\]?)", re.S | re.I)


ATTR = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)"""
    r"""|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)""")
LEAD_IMAGE = re.compile(r"^\s*((?:<a\b[^<>]*>\s*)?<img\b[^<>]*>(?:\s*</a>)?)(.*)$", re.S | re.I)


def parse_attributes(text: str) -> dict[str, str]:
    """Shortcode attributes as WordPress reads them (named, quoted or bare; positional ones as "0", "1", ...)."""
    attrs: dict[str, str] = {}
    n = 0
    text = re.sub(r"[\u00a0\u200b]", " ", html.unescape(text))
    for m in ATTR.finditer(text):
        if m.group(1):
            attrs[m.group(1).lower()] = m.group(2)
        elif m.group(3):
            attrs[m.group(3).lower()] = m.group(4)
        elif m.group(5):
            attrs[m.group(5).lower()] = m.group(6)
        else:
            attrs[str(n)] = next(g for g in (m.group(7), m.group(8), m.group(9)) if g is not None).lstrip("=")
            n += 1
    return attrs


def shortcodes(text: str, ctx: Context, depth: int = 0) -> str:
    """Expand the shortcodes the rule table knows; unwrap unknown pairs; drop unknown lone tags with attributes."""
    if "[" not in text:
        return text
    if depth > MAX_DEPTH or text.count("[") > MAX_BRACKETS:
        ctx.tally["shortcodes left as text (too many brackets or too deeply nested)"] += 1
        return text
    table = rules().shortcodes

    def pair(m: re.Match) -> str:
        if m.group(1) == "[" and m.group(5) == "]":
            return m.group(0)[1:-1]  # [[name]...[/name]] is how a writer shows a shortcode as text
        rule = table.get(m.group(2).lower())
        inner = shortcodes(m.group(4), ctx, depth + 1)
        if rule is None:
            ctx.tally["unknown shortcodes (text kept)"] += 1
            return m.group(1) + inner + m.group(5)
        return m.group(1) + ACTIONS[rule["action"]](rule, parse_attributes(m.group(3)), inner, ctx) + m.group(5)

    def lone(m: re.Match) -> str:
        if m.group(1) == "[" and m.group(5) == "]":
            return m.group(0)[1:-1]  # [[name]]
        name, raw = m.group(2).lower(), m.group(3)
        rule = table.get(name)
        if rule is None:
            if "=" in raw or m.group(4) or name.startswith(("wp", "jetpack", "et_", "vc_", "fusion")):
                ctx.tally["unknown shortcodes (removed)"] += 1
                return m.group(1) + m.group(5)
            return m.group(0)  # a bare [word] is text: "[sic]", "[1]"
        return m.group(1) + ACTIONS[rule["action"]](rule, parse_attributes(raw), "", ctx) + m.group(5)

    closers = {name.lower() for name in CLOSER.findall(text)}
    if closers:
        text = _pairs(closers).sub(pair, text)
    return LONE.sub(lone, text)


def _caption(rule: dict, attrs: dict, inner: str, ctx: Context) -> str:
    ctx.tally["caption shortcodes"] += 1
    m = LEAD_IMAGE.match(inner)
    if not m:
        return inner
    caption = attrs.get("caption") or m.group(2).strip()
    cap = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"<figure>{m.group(1)}{cap}</figure>"


def _quote(rule: dict, attrs: dict, inner: str, ctx: Context) -> str:
    ctx.tally["click-to-tweet boxes (kept as pull-quotes)"] += 1
    text = next((attrs[k] for k in rule.get("text_from", ()) if attrs.get(k)), "")
    if text:
        return _pull_quote(text)
    return f'<blockquote class="pull-quote"><p>{inner}</p></blockquote>' if inner.strip() else ""


def _link(rule: dict, attrs: dict, inner: str, ctx: Context) -> str:
    url = next((attrs[k] for k in rule.get("url_from", ()) if attrs.get(k, "").startswith(("http://", "https://"))),
               "") or inner.strip()
    if not re.fullmatch(r"https?://[^\s<>\"']+", url):
        ctx.tally["embeds without an address (removed)"] += 1
        return ""
    ctx.tally["embeds (kept as links)"] += 1
    url = html.escape(url)
    return f'<p><a href="{url}">{url}</a></p>'


def _gallery(rule: dict, attrs: dict, inner: str, ctx: Context) -> str:
    ids = [int(i) for i in re.findall(r"\d+", attrs.get("ids", "") or attrs.get("include", ""))]
    urls = [ctx.attachments[i] for i in ids if i in ctx.attachments] if ids else list(ctx.children.get(ctx.post_id, []))
    ctx.tally["galleries"] += 1
    if not urls:
        return ""
    return "<figure>" + "".join(f'<img src="{html.escape(u)}" alt="">' for u in urls) + "</figure>"


def _drop(rule: dict, attrs: dict, inner: str, ctx: Context) -> str:
    ctx.tally["forms, share and author boxes"] += 1
    return ""


ACTIONS: dict[str, Callable[[dict, dict, str, Context], str]] = {
    "caption": _caption, "quote": _quote, "link": _link, "gallery": _gallery, "drop": _drop}


# --- paragraphs ---------------------------------------------------------------------------------------------------
CONTAINERS = ("blockquote|div|section|article|aside|ul|ol|dl|table|thead|tbody|tfoot|tr|figure|details|header|footer"
              "|nav|form|fieldset|hgroup|menu|object")
HOLDERS = ("p|h[1-6]|li|td|th|dt|dd|figcaption|caption|address|summary|legend|iframe|video|audio|embed|hr|math"
           "|style|script|select|option|textarea|map|area|col|colgroup")


def autop(text: str) -> str:
    """Blank lines become paragraphs and single newlines line breaks, as WordPress's wpautop does for classic posts."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    saved: list[str] = []

    def keep(segment: str) -> str:
        saved.append(segment)
        return f"\n\n\x00{len(saved) - 1}\x00\n\n"

    text = _protect(text, keep)
    text = re.sub(rf"(</?(?:{CONTAINERS})\b[^<>]*>)", r"\n\n\1\n\n", text, flags=re.I)
    text = re.sub(rf"(<(?:{HOLDERS})\b[^<>]*>)", r"\n\n\1", text, flags=re.I)
    text = re.sub(rf"(</(?:{HOLDERS})\s*>)", r"\1\n\n", text, flags=re.I)
    out = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if chunk.startswith("\x00") or re.match(rf"</?(?:{CONTAINERS}|{HOLDERS})\b", chunk, re.I):
            out.append(chunk)
        else:
            out.append("<p>" + re.sub(r"\s*\n\s*", "<br />\n", chunk) + "</p>")
    result = "\n".join(out)
    return re.sub(r"\x00(\d+)\x00", lambda m: saved[int(m.group(1))], result)


VERBATIM = re.compile(r"<(pre|script|style|textarea)\b", re.I)


def _protect(text: str, keep: Callable[[str], str]) -> str:
    """Replace each <pre>/<script>/<style>/<textarea> element (to its closing tag, or the end) by keep()'s marker.

    Found with str.find, not a lazy `.*?` pattern, so many unclosed openers cost linear time.
    """
    out, pos = [], 0
    lowered = text.lower()
    while (m := VERBATIM.search(text, pos)) is not None:
        close = lowered.find(f"</{m.group(1).lower()}", m.end())
        end = len(text) if close < 0 else (lowered.find(">", close) + 1 or len(text))
        out.append(text[pos:m.start()])
        out.append(keep(text[m.start():end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)


BARE_URL = re.compile(r"<p>\s*(https?://[^\s<>\"']+)\s*</p>")


def bare_urls(text: str) -> str:
    """A URL alone in its paragraph was an auto-embed (a video, a post): it becomes a link to that page."""
    return BARE_URL.sub(lambda m: f'<p><a href="{m.group(1)}">{m.group(1)}</a></p>', text)
