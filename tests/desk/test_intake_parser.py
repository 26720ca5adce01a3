"""Intake reads a submission as a browser would and writes Markdown that shows what the contributor wrote.

Issue 13 moved the scrubber onto the HTML5 parsing algorithm (scrub/html_tree.py)
because Python's `html.parser` lost the rest of an essay after an unclosed
`<form>` or `<svg>`, `<svg><style>`, `<!--a foo=--!>`, and refused `<![>`.
The desk read .html and .docx submissions with that same parser, and wrote
their text into Markdown unescaped, so a `<svg><style>` the contributor typed
became markup at the build and took the prose after it. Here each of those
inputs goes through intake (as live markup in an .html page, as typed text in
a .docx and a .txt) and then through the build's own conversion (Markdown with
the site's settings, then the scrubber): every paragraph after it is shown.
"""

from __future__ import annotations

import io
import re
import zipfile
from html import escape
from pathlib import Path

import markdown
import pytest
from anonymize.desk.clean import clean
from anonymize.desk.formats import IntakeError, read
from anonymize.desk.markdown_out import html_to_markdown, markdown_text
from anonymize.scrub.html_scrub import scrub_html
from anonymize.scrub.html_tree import parse_document, text_of
from anonymize.scrub.report import Report
from hypothesis import given, settings
from hypothesis import strategies as st
from vectors import PARSER_TRAPS

# The parser traps (vectors.py) and three mutation-XSS inputs that nest foreign content in forms and tables.
TRAPS = [
    *PARSER_TRAPS,
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    "<svg></p><style><a id=\"</style><img src=1 onerror=alert(1)>\">",
]
AFTER = ["First kept after it.", "Second kept after it.", "Third kept after it."]
MARKDOWN = {"extensions": ["markdown.extensions.extra"], "output_format": "html5"}


def built_text(body_markdown: str) -> str:
    """What a reader sees of the stored Markdown once the build has made a page of it."""
    html = markdown.markdown(body_markdown, **MARKDOWN)
    return text_of(scrub_html(html, source="essays/x.md", where="body", settings={}, report=Report()))


def intake(path: Path) -> str:
    return clean(read(path), "submissions/x").body


def test_the_document_tree_is_the_browsers():
    soup = parse_document("<html><head><title>T</title></head><body><p>a<svg><style>.a{}<p>b</p><![><p>c</p>")
    assert soup.title.get_text() == "T"
    assert [p.get_text() for p in soup.body.find_all("p", recursive=False)] == ["a", "b", "c"]


# Two of the traps leave a live picture (`x`, `1`) in the page: intake refuses a picture it was not given (below).
SHOWS_A_PICTURE = {TRAPS[9]: "x", TRAPS[11]: "1"}


@pytest.mark.parametrize("trap", [t for t in TRAPS if t not in SHOWS_A_PICTURE])
def test_an_html_submission_keeps_every_paragraph_after_a_parser_trap(trap, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<!doctype html><html><head><title>Site</title></head><body><nav>Home</nav><article>"
                    "<h1>A trap</h1><p>Before it.</p>" + trap + "".join(f"<p>{s}</p>" for s in AFTER)
                    + "</article></body></html>", "utf-8")
    draft = read(page)
    assert draft.title == "A trap"
    stored = intake(page)
    shown = built_text(stored)
    for sentence in ["Before it.", *AFTER]:
        assert sentence in shown, (trap, stored)
    assert "onerror" not in stored.replace("onerror=alert(1)//", "") or "<img" not in stored


@pytest.mark.parametrize("trap", list(SHOWS_A_PICTURE))
def test_a_trap_that_shows_a_picture_not_given_is_refused_naming_it(trap, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(f"<h1>A trap</h1><p>Before it.</p>{trap}<p>After it.</p>", "utf-8")
    with pytest.raises(IntakeError, match=f"shows an image '{SHOWS_A_PICTURE[trap]}' that was not given"):
        intake(page)


def test_an_html_page_without_an_article_keeps_its_body(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<title>Only a title</title><p>One.</p><svg><style>x{}<p>Two.</p><footer>Site footer</footer>",
                    "utf-8")
    draft = read(page)
    assert draft.title == "Only a title"
    shown = built_text(intake(page))
    assert "One." in shown and "Two." in shown and "Site footer" not in shown


def _docx(path: Path, paragraphs: list[str]) -> Path:
    """A minimal Word file: a heading, then one run of text per paragraph (text escaped as Word stores it)."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    heading = '<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>'
    body = "".join(f'<w:p>{heading if i == 0 else ""}<w:r><w:t xml:space="preserve">{escape(p, quote=False)}</w:t>'
                   '</w:r></w:p>' for i, p in enumerate(paragraphs))
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {w}><w:body>{body}</w:body>' \
               '</w:document>'
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
             'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
             'main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    with zipfile.ZipFile(buf := io.BytesIO(), "w") as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", document)
    path.write_bytes(buf.getvalue())
    return path


@pytest.mark.parametrize("kind", ["docx", "txt"])
@pytest.mark.parametrize("trap", TRAPS)
def test_a_trap_typed_as_text_stays_text_and_keeps_what_follows(trap, kind, tmp_path):
    """In a Word file or a text file the trap is text the contributor typed: it never becomes markup.

    Text that looks like markup is taken out of essay text by the scrubber (issue 13: escaped markup in
    prose is an import gone wrong, a finding the report names); everything around it is kept, in order.
    """
    paragraphs = ["Typed traps", "Before it.", f"Quoted: {trap} end of quote.", *AFTER]
    if kind == "docx":
        path = _docx(tmp_path / "essay.docx", paragraphs)
    else:
        path = tmp_path / "essay.txt"
        path.write_text("\n\n".join(paragraphs) + "\n", "utf-8")
    stored = intake(path)
    shown = built_text(stored)
    head, tail = "Before it. Quoted: ", " ".join(["end of quote.", *AFTER])
    assert shown.startswith(head) and shown.endswith(tail), (trap, stored, shown)
    assert set(shown[len(head):-len(tail)]) <= set(trap + " "), (trap, shown)  # only the trap's own characters go
    assert re.fullmatch(r"(?:<p>[^<]*</p>\s*)+", scrub_html(markdown.markdown(stored, **MARKDOWN), source="x",
                                                          where="body", settings={}, report=Report())), stored


def test_markdown_writer_keeps_what_the_scrubber_kept():
    html = ('<h2>Room #</h2><p>a <em>b</em> <strong>c</strong> <a href="https://example.org/a b(c)">d</a> '
            'x<sup>2</sup> <code>a`b</code></p><ul><li>1. not a number</li></ul><blockquote><p>- q</p></blockquote>'
            '<pre>```\nfenced\n```</pre><table><tr><td>*cell*</td></tr></table>')
    stored = html_to_markdown(html)
    out = markdown.markdown(stored, **MARKDOWN)
    assert "<h2>Room #</h2>" in out
    assert '<em>b</em> <strong>c</strong> <a href="https://example.org/a%20b%28c%29">d</a> x<sup>2</sup> ' \
           "<code>a`b</code>" in out
    assert "<li>1. not a number</li>" in out and "<p>- q</p>" in out
    assert "```\nfenced\n```" in out and "<td>*cell*</td>" in out


# Text a contributor might type, with every character Markdown or HTML would read as markup.
MARKUP_CHARS = st.sampled_from(list("<>&*_`[](){}#+-.!|:=\\~^\"' ") + ["&amp;", "&lt;", "&#35;", "1.", "\n", "  \n"])
TYPED = st.lists(st.one_of(MARKUP_CHARS, st.text(alphabet="abcXYZ09 ", min_size=1, max_size=4)), max_size=30)


@settings(max_examples=300, deadline=None)
@given(TYPED)
def test_any_typed_text_is_shown_exactly_as_typed(parts):
    """Property: Markdown made of escaped text shows that text, whatever markup characters it holds."""
    text = " ".join("".join(parts).split())
    html = markdown.markdown(markdown_text(text), **MARKDOWN)
    assert text_of(html) == text, (text, markdown_text(text), html)
    assert not re.search(r"<(?!/?p>)", html), html
