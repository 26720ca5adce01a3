"""The desk's HTML-to-Markdown writer: what each element becomes, read as a browser reads the HTML (lexbor)."""

from __future__ import annotations

import markdown as md
import pytest
from anonymize.desk.markdown_out import html_to_markdown

CASES = [
    ("<p>One  <b>bold</b>\n and <em>soft</em>.</p><p>Two.</p>", "One **bold** and *soft*.\n\nTwo.\n"),
    ("<h2>The <i>night</i></h2>", "## The *night*\n"),
    ("<ul><li>a</li><li>b <a href='https://x.example/'>link</a></li></ul><ol><li>x</li><li>y</li></ol>",
     "- a\n- b [link](https://x.example/)\n\n1. x\n2. y\n"),
    ("<blockquote><p>Said once.</p><p>Twice.</p></blockquote>", "> Said once.\n>\n> Twice.\n"),
    ("<pre>a &lt; b\n  c</pre><p><code>x&lt;y</code></p>", "```\na < b\n  c\n```\n\n`x<y`\n"),
    ("<figure><img src='a1.jpg' alt='Ward'></figure><p><img src=b.png alt>text<br>more</p>",
     "![Ward](a1.jpg)\n\n![](b.png)text  \nmore\n"),
    ("<p><a href>no address</a> <strong></strong></p>", "no address\n"),
    # a browser's tree: the table gets its tbody; a paragraph left open ends where the next block begins
    ("<table><tr><td>1</td></tr></table>", "<table><tbody><tr><td>1</td></tr></tbody></table>\n"),
    ("<p>open<div>block</div>", "open\n\nblock\n"),
    # an unbalanced end tag closes nothing of ours: the text after it is kept
    ("<p>before</p></div><p>after</p>", "before\n\nafter\n"),
    ("loose text <b>and</b> more", "loose text\n\n**and**\n\nmore\n"),
]


@pytest.mark.parametrize(("html", "expected"), CASES)
def test_each_element_becomes_its_markdown(html, expected):
    assert html_to_markdown(html) == expected


def test_the_markdown_reads_back_as_the_same_text():
    html = "<h3>Handover</h3><p>It is <em>a clinical skill</em>, said <a href='https://w.example/a'>one</a>.</p>"
    back = md.markdown(html_to_markdown(html), output_format="html5")
    assert back == '<h3>Handover</h3>\n<p>It is <em>a clinical skill</em>, said <a href="https://w.example/a">one' \
                   "</a>.</p>"
