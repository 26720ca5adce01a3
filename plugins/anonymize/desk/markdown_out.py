"""A small HTML-to-Markdown writer for scrubbed essay HTML (paragraphs, headings, emphasis, links, lists, quotes).

Anything it does not know stays as (already scrubbed) HTML, which Markdown
passes through, so nothing the contributor wrote is lost.

The HTML is read with the library's parser (lexbor, `scrub.html_tree`), as the
scrubber read it and as a browser would: one reading of the essay from intake to
page, and a third of the cost of Python's `html.parser` (a 2,000-post import spends
much of its time here).
"""

from __future__ import annotations

import re

from bs4 import NavigableString, Tag

from anonymize.scrub.html_tree import parse

BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "pre", "hr", "table", "figure", "div"}


def html_to_markdown(html: str) -> str:
    soup = parse(html)
    blocks = [_block(node) for node in soup.contents]
    return "\n\n".join(b for b in blocks if b and b.strip()).strip() + "\n"


def _inline(node) -> str:
    if isinstance(node, NavigableString):
        return re.sub(r"\s+", " ", str(node))
    if not isinstance(node, Tag):
        return ""
    inner = "".join(_inline(c) for c in node.children).strip() if node.name not in ("code",) else node.get_text()
    if node.name in ("strong", "b"):
        return f"**{inner}**" if inner else ""
    if node.name in ("em", "i"):
        return f"*{inner}*" if inner else ""
    if node.name == "code":
        return f"`{inner}`"
    if node.name == "a":
        href = node.get("href")
        return f"[{inner}]({href})" if href else inner
    if node.name == "img":
        return f"![{node.get('alt', '')}]({node.get('src', '')})"
    if node.name == "br":
        return "  \n"
    return inner


def _block(node) -> str:
    if isinstance(node, NavigableString):
        return " ".join(str(node).split())
    if not isinstance(node, Tag):
        return ""
    name = node.name
    if name == "p":
        return re.sub(r" {2,}", " ", "".join(_inline(c) for c in node.children)).strip()
    if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return "#" * int(name[1]) + " " + "".join(_inline(c) for c in node.children).strip()
    if name in ("ul", "ol"):
        items = []
        for i, li in enumerate(node.find_all("li", recursive=False), start=1):
            mark = f"{i}." if name == "ol" else "-"
            items.append(f"{mark} " + "".join(_inline(c) for c in li.children).strip())
        return "\n".join(items)
    if name == "blockquote":
        inner = "\n\n".join(b for b in (_block(c) for c in node.children) if b.strip())
        return "\n".join("> " + line if line else ">" for line in inner.split("\n"))
    if name == "hr":
        return "---"
    if name == "pre":
        return "```\n" + node.get_text() + "\n```"
    if name in ("div", "section", "article", "figure"):
        return "\n\n".join(b for b in (_block(c) for c in node.children) if b and b.strip())
    if name in BLOCKS:
        return str(node)
    return _inline(node)
