"""Property: whatever HTML goes in, the scrubber's output loads nothing remote and runs no script.

The judge is the standard library's HTML parser, not BeautifulSoup or nh3.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from anonymize.scrub.html_scrub import scrub_html
from anonymize.scrub.report import Report
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

TAGS = ["p", "a", "img", "script", "iframe", "object", "embed", "style", "link", "meta", "base", "form", "svg",
        "video", "audio", "source", "picture", "div", "span", "blockquote", "table", "td", "math", "noscript",
        "template", "frame", "input", "button", "body", "html", "head", "title", "textarea", "select"]
ATTRS = ["src", "href", "srcset", "style", "onclick", "onerror", "onload", "ping", "poster", "data", "action",
         "formaction", "background", "xlink:href", "class", "id", "alt", "cite", "lowsrc", "content", "http-equiv"]
URLS = st.sampled_from([
    "https://evil.example/x.png", "//evil.example/x", "http://evil.example/p.gif?utm_source=x", "javascript:alert(1)",
    "JaVaScRiPt:alert(1)", "java\tscript:x", " javascript:x", "data:image/png;base64,AAAA", "vbscript:x",
    "/local/ok.png", "{static}/images/a.jpg", "mailto:a@b.example", "file:///etc/passwd", "#frag", "",
    "url(https://evil.example/a)", "background:url(//evil.example/b)", "@import 'https://evil.example/c.css'",
])
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)


@st.composite
def element(draw, depth=0):
    tag = draw(st.sampled_from(TAGS))
    attrs = draw(st.lists(st.tuples(st.sampled_from(ATTRS), st.one_of(URLS, TEXT)), max_size=4))
    attr_text = "".join(f' {name}="{value.replace(chr(34), "&quot;")}"' for name, value in attrs)
    children = draw(st.lists(st.one_of(TEXT, element(depth + 1)) if depth < 3 else TEXT, max_size=3))
    closing = draw(st.booleans())
    return f"<{tag}{attr_text}>" + "".join(children) + (f"</{tag}>" if closing else "")


DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "style", "link", "meta", "base", "form", "svg", "video",
                  "audio", "source", "picture", "math", "frame", "input", "button", "noscript", "template"}
REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)
UNSAFE = re.compile(r"^\s*(?:javascript|data|vbscript|file):", re.I)


class Judge(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"tag {tag}")
        for name, value in attrs:
            value = re.sub(r"[\x00-\x20]", "", value or "")
            if name.startswith("on") or name == "style":
                self.problems.append(f"attribute {name}")
            loads = name in ("src", "srcset", "poster", "data", "background", "lowsrc")
            if loads and (REMOTE.match(value) or UNSAFE.match(value)):
                self.problems.append(f"{tag} {name}={value}")
            if name in ("href", "cite", "action") and UNSAFE.match(value):
                self.problems.append(f"{tag} {name}={value}")

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.problems.append("comment")


def judge(html: str) -> list[str]:
    j = Judge()
    j.feed(html)
    j.close()
    return j.problems


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(element(), TEXT), min_size=1, max_size=5))
def test_no_output_loads_remote_or_runs_script(parts):
    html = "".join(parts)
    out = scrub_html(html, source="essays/p.md", where="body", settings={}, report=Report())
    assert judge(out) == [], (html, out)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcdefghijklmnopqrstuvwxyz:!-&#;()[]{}\t\n")), max_size=80))
def test_arbitrary_markup_soup_is_safe(html):
    out = scrub_html(html, source="essays/p.md", where="body", settings={}, report=Report())
    assert judge(out) == [], (html, out)
