"""A small HTML-to-Markdown writer for scrubbed essay HTML (paragraphs, headings, emphasis, links, lists, quotes).

It reads the HTML with the library's one parser (scrub/html_tree.py, the tree
a browser builds), so it sees exactly the elements the scrubber kept. Text is
written so that Markdown shows it as it was: a `<svg>` or `*` the contributor
typed stays text, never becomes markup at the build (where the scrubber would
take it, and the prose after it, away). Anything it does not know stays as
(already scrubbed) HTML, which Markdown passes through, so nothing the
contributor wrote is lost.
"""

from __future__ import annotations

import re

from bs4 import NavigableString, Tag
from bs4.element import PreformattedString

from anonymize.scrub.html_tree import parse

BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "pre", "hr", "table", "figure", "div"}
# Elements Markdown reads as the start of a block of raw HTML (Python-Markdown's list).
BLOCK_LEVEL = frozenset({
    "address", "article", "aside", "blockquote", "details", "dialog", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    "canvas", "math", "noscript", "script", "style", "video", "iframe", "object", "embed", "audio", "caption", "center",
    "colgroup", "col", "map", "menu", "output", "progress", "textarea", "title",
})
VOID = {"br", "wbr", "img", "hr", "input", "source", "track", "area", "col", "embed"}

# Characters Markdown (with the "extra" extensions the build uses) reads as markup anywhere in a line.
_BACKSLASHED = re.compile(r"([\\`*_\[\]{}|])")
_HASH = re.compile(r"(?:(?<=\s)|^)#")  # a heading's mark, or its closing marks
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What begins a block at the start of a line: a quote, a list item, a numbered item, a definition, a setext rule.
_LINE_START = re.compile(r"^([ \t]*)(?:([>+-])|(\d+)([.)])|([:=]))", re.M)


def markdown_text(text: str) -> str:
    """`text` as Markdown that shows exactly it: nothing in it becomes HTML, emphasis, a link, a list or a heading."""
    text = _BACKSLASHED.sub(r"\\\1", text)
    text = _HASH.sub(r"\\#", text)
    text = _ENTITY_LIKE.sub("&amp;", text)
    text = text.replace("<", "&lt;")
    return _LINE_START.sub(_line_start, text)


def _line_start(m: re.Match) -> str:
    indent, mark, number, dot, entity = m.groups()
    if mark:
        return f"{indent}\\{mark}"
    if number:
        return f"{indent}{number}\\{dot}" if dot == "." else f"{indent}{number}&#41;"
    return f"{indent}&#{ord(entity)};"


def html_to_markdown(html: str) -> str:
    soup = parse(html)
    blocks = [_block(node) for node in soup.contents]
    return "\n\n".join(b for b in blocks if b and b.strip()).strip() + "\n"


def _code_span(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _url(url: str) -> str:
    """A link target Markdown reads whole: spaces, parentheses and angle brackets percent-encoded."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def _attrs(node: Tag) -> str:
    out = []
    for key, value in node.attrs.items():
        value = " ".join(value) if isinstance(value, list) else value
        out.append(f' {key}="' + value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;") + '"')
    return "".join(out)


def _inline(node) -> str:
    if isinstance(node, PreformattedString):  # a comment, a doctype: never text (the scrubber removed them)
        return ""
    if isinstance(node, NavigableString):
        return markdown_text(re.sub(r"\s+", " ", str(node)))
    if not isinstance(node, Tag):
        return ""
    if node.name == "code":
        return _code_span(node.get_text())
    inner = "".join(_inline(c) for c in node.children).strip()
    if node.name in ("strong", "b"):
        return f"**{inner}**" if inner else ""
    if node.name in ("em", "i"):
        return f"*{inner}*" if inner else ""
    if node.name == "a":
        href = node.get("href")
        return f"[{inner}]({_url(href)})" if href else inner
    if node.name == "img":
        return f"![{markdown_text(node.get('alt', ''))}]({_url(node.get('src', ''))})"
    if node.name == "br":
        return "  \n"
    if node.name in VOID:
        return f"<{node.name}{_attrs(node)}>"
    # Other inline elements the scrubber kept (sup, sub, abbr, mark, q, s ...) stay HTML around Markdown text.
    return f"<{node.name}{_attrs(node)}>{inner}</{node.name}>" if inner else ""


def _joined(node: Tag) -> str:
    return re.sub(r" {2,}(?!\n)", " ", "".join(_inline(c) for c in node.children)).strip()


def _block(node) -> str:
    if isinstance(node, PreformattedString):
        return ""
    if isinstance(node, NavigableString):
        return markdown_text(" ".join(str(node).split()))
    if not isinstance(node, Tag):
        return ""
    name = node.name
    if name in ("p", "figcaption"):
        return _joined(node)
    if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return "#" * int(name[1]) + " " + _joined(node)
    if name in ("ul", "ol"):
        items = []
        for i, li in enumerate(node.find_all("li", recursive=False), start=1):
            mark = f"{i}." if name == "ol" else "-"
            items.append(f"{mark} " + _joined(li))
        return "\n".join(items)
    if name == "blockquote":
        inner = "\n\n".join(b for b in (_block(c) for c in node.children) if b.strip())
        return "\n".join("> " + line if line else ">" for line in inner.split("\n"))
    if name == "hr":
        return "---"
    if name == "pre":
        text = node.get_text()
        fence = "`" * max(3, 1 + max((len(r) for r in re.findall(r"`+", text)), default=0))
        return f"{fence}\n{text}\n{fence}"
    if name in ("div", "section", "article", "figure"):
        return "\n\n".join(b for b in (_block(c) for c in node.children) if b and b.strip())
    if name in BLOCKS or name in BLOCK_LEVEL:  # Markdown passes a block of HTML through untouched
        return str(node)
    return _inline(node)
