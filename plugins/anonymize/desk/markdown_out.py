"""A small HTML-to-Markdown writer for scrubbed essay HTML (paragraphs, headings, emphasis, links, lists, quotes).

Anything it does not know stays as (already scrubbed) HTML, which Markdown
passes through, so nothing the contributor wrote is lost.

The HTML is read with the library's parser (lexbor, as `scrub.html_tree` reads
an essay, the way a browser does) and written from lexbor's own tree, without
building a BeautifulSoup tree: one reading of the essay from intake to page, at a
quarter of the cost of Python's `html.parser` and BeautifulSoup (a 2,000-post
import spent a fifth of its time here).
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "pre", "hr", "table", "figure", "div"}


def html_to_markdown(html: str) -> str:
    # Inside a <div> of our own, parsed as the essay sits in its page (`scrub.html_tree.CONTEXT`): every node of
    # the essay is then a child, never lexbor's root (whose `.html` is the whole fragment, not the node).
    root = LexborHTMLParser(f"<div>{html}</div>", is_fragment=True, fragment_tag="div", scripting=True).root
    blocks = [_block(node) for node in _nodes(root)]
    return "\n\n".join(b for b in blocks if b and b.strip()).strip() + "\n"


def _nodes(root):
    """The wrapper's children, then anything after it (an unbalanced `</div>` in the essay closes it early)."""
    if root is None:
        return
    yield from _children(root)
    after = root.next
    while after is not None:
        yield after
        after = after.next


def _children(node):
    child = node.child
    while child is not None:
        yield child
        child = child.next


def _attr(node, name: str) -> str:
    return node.attributes.get(name) or ""


def _inline(node) -> str:
    if node.is_text_node:
        return re.sub(r"\s+", " ", node.text_content or "")
    if not node.is_element_node:
        return ""  # comments (the scrubber removed them already)
    name = node.tag
    inner = "".join(_inline(c) for c in _children(node)).strip() if name != "code" else node.text(deep=True)
    if name in ("strong", "b"):
        return f"**{inner}**" if inner else ""
    if name in ("em", "i"):
        return f"*{inner}*" if inner else ""
    if name == "code":
        return f"`{inner}`"
    if name == "a":
        href = _attr(node, "href")
        return f"[{inner}]({href})" if href else inner
    if name == "img":
        return f"![{_attr(node, 'alt')}]({_attr(node, 'src')})"
    if name == "br":
        return "  \n"
    return inner


def _block(node) -> str:
    if node.is_text_node:
        return " ".join((node.text_content or "").split())
    if not node.is_element_node:
        return ""
    name = node.tag
    if name == "p":
        # runs of spaces become one, except the two before a line break (<br>), which make the break
        return re.sub(r" {2,}(?!\n)", " ", "".join(_inline(c) for c in _children(node))).strip()
    if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return "#" * int(name[1]) + " " + "".join(_inline(c) for c in _children(node)).strip()
    if name in ("ul", "ol"):
        items = []
        for i, li in enumerate((c for c in _children(node) if c.tag == "li"), start=1):
            mark = f"{i}." if name == "ol" else "-"
            items.append(f"{mark} " + "".join(_inline(c) for c in _children(li)).strip())
        return "\n".join(items)
    if name == "blockquote":
        inner = "\n\n".join(b for b in (_block(c) for c in _children(node)) if b.strip())
        return "\n".join("> " + line if line else ">" for line in inner.split("\n"))
    if name == "hr":
        return "---"
    if name == "pre":
        return "```\n" + node.text(deep=True) + "\n```"
    if name in ("div", "section", "article", "figure"):
        return "\n\n".join(b for b in (_block(c) for c in _children(node)) if b and b.strip())
    if name in BLOCKS:
        return node.html or ""
    return _inline(node)
