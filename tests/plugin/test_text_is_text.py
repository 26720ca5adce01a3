"""Header values are text wherever they go; feeds are XML; forbidden characters never reach an output.

The vector site (tests/vectors.py, built once per session in conftest.py) puts
each of 330 XSS/mXSS vectors into every header key of its own essay. Judges
here are independent of the scrubber: Python's strict XML parser (expat) for
the feeds, and the built pages read as text.
"""

from __future__ import annotations

import html
import re
import xml.dom.minidom
import xml.etree.ElementTree as ET

import pytest
import vectors
from conftest import output_files
from markupsafe import escape

ATOM = "{http://www.w3.org/2005/Atom}"
# What the build does to a header value: characters XML 1.0 forbids and invisible ones go, spaces collapse.
GONE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\u200b-\u200f\u202a-\u202e"
                  "\u2060-\u2064\ufeff\u00ad]")


def as_text(value: str) -> str:
    return " ".join(GONE.sub("", value).split())


@pytest.fixture(scope="module")
def built(vector_site):
    result, every = vector_site
    assert result.returncode == 0, result.log[-3000:]
    return result, every


def essay_page(out, v) -> str:
    folders = [p for p in (out / "essays").iterdir() if p.name == v.slug or p.name.startswith(v.slug + "-")]
    assert len(folders) == 1, (v.slug, folders)
    return (folders[0] / "index.html").read_text("utf-8")


def test_the_corpus_is_large_and_reaches_every_header_key(built):
    _, every = built
    assert len(every) >= 300
    essay = vectors.essay(every[0], len(every))
    keys = {line.split(":", 1)[0].lower() for line in essay.split("\n\n", 1)[0].splitlines()}
    assert {"title", "summary", "tags", "category", "series", "content_note", "pen_name", "slug", "response_to",
            "acknowledged", "lang", "series_index", "date"} <= keys
    # every free-text key carries the vector (response-to names a real essay in one essay of four)
    for line in essay.split("\n\n", 1)[0].splitlines():
        if line.split(":", 1)[0].lower() in {"title", "summary", "tags", "category", "content_note", "acknowledged"}:
            assert every[0].one_line in line, line


def test_every_title_is_text_in_the_heading_the_title_and_the_feeds(built):
    result, every = built
    out = result.output
    atom = ET.parse(out / "feeds" / "all.atom.xml").getroot()
    feed_titles = {e.findtext(f"{ATOM}title") for e in atom.iter(f"{ATOM}entry")}
    problems = []
    for v in every:
        page = essay_page(out, v)
        expected = as_text(f"T{v.index:03d} {v.one_line}")
        h1 = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
        title = re.search(r"<title>(.*?) · Unsigned</title>", page, re.S).group(1)
        # Escaped text only: no "<" survives in either, and unescaped it is the writer's text exactly.
        if "<" in h1 or html.unescape(h1) != expected:
            problems.append((v.slug, "h1", h1[:80]))
        if "<" in title or html.unescape(title) != expected:
            problems.append((v.slug, "title", title[:80]))
        if v.index >= len(every) - 50 and expected not in feed_titles:  # the feed holds the newest 50
            problems.append((v.slug, "feed title"))
    assert problems == []


def test_header_text_everywhere_on_the_page_is_escaped(built):
    """Content note, tags, category, series: the writer's text appears, escaped for element content."""
    result, every = built
    problems = []
    for v in every:
        page = essay_page(result.output, v)
        text = as_text(v.one_line)
        labels = [f"CN{v.index:03d} ", f"C{v.index % 7} "]
        if not set(text) & {",", ";"}:  # Pelican splits tags at commas or semicolons
            labels.append(f"t{v.index:03d} ")
        if v.index % 3:
            labels.append(f"Series {v.index % 11} ")
        for label in labels:
            if str(escape(label + text)) not in page:
                problems.append((v.slug, label))
    assert problems == []


def test_description_is_the_text_of_the_summary(built):
    result, every = built
    problems = []
    for v in every:
        page = essay_page(result.output, v)
        head = page.split("</head>", 1)[0]
        metas = re.findall(r"<meta\b[^>]*>", head)
        assert len(metas) == 5, (v.slug, metas)  # charset, viewport, CSP, referrer, description
        description = re.search(r'<meta name="description" content="([^"<>]*)">', head)
        assert description, v.slug
        if html.unescape(description.group(1)) != as_text(f"S{v.index:03d} {v.one_line}"):
            problems.append((v.slug, description.group(1)[:80]))
    assert problems == []


def _decks(page: str) -> list[str]:
    return re.findall(r'<div class="deck">(.*?)</div>', page, re.S)


def test_every_summary_is_text_on_its_page_and_on_every_list(built):
    """The Summary header is shown as written, as the title is: escaped text in the deck, never markup.

    A summary is a short plain description (index pages, the description,
    feeds, search): markup in it is the writer's text, shown, never run or
    scrubbed away.
    """
    result, every = built
    out = result.output
    problems = []
    for v in every:
        expected = as_text(f"S{v.index:03d} {v.one_line}")
        decks = _decks(essay_page(out, v))
        if len(decks) != 1 or "<" in decks[0] or html.unescape(decks[0]).strip() != expected:
            problems.append((v.slug, "deck", decks[:1]))
    assert problems == []
    # Index pages, category and tag pages list every essay with its summary as its deck.
    listed: dict[str, int] = {}
    for path in output_files(out):
        if path.suffix == ".html" and not path.relative_to(out).parts[0] == "essays":
            for deck in _decks(path.read_text("utf-8")):
                assert "<" not in deck, (path, deck[:80])
                text = html.unescape(deck).strip()
                listed[text] = listed.get(text, 0) + 1
    missing = [v.slug for v in every if listed.get(as_text(f"S{v.index:03d} {v.one_line}"), 0) < 3]
    assert missing == []  # on an index page, its category's page and its tag's page


def test_every_summary_is_text_in_both_feeds(built):
    """Atom's summary and RSS's description are HTML: the summary comes back as its text, no element in it."""
    result, every = built
    out = result.output
    atom = ET.parse(out / "feeds" / "all.atom.xml").getroot()
    atom_summaries = {e.findtext(f"{ATOM}summary") for e in atom.iter(f"{ATOM}entry")}
    rss = ET.parse(out / "feeds" / "all.rss.xml").getroot()
    rss_descriptions = {i.findtext("description") for i in rss.iter("item")}
    for found in (atom_summaries, rss_descriptions):
        assert not any("<" in (s or "") for s in found), [s for s in found if "<" in (s or "")][:3]
    shown = {html.unescape(s or "").strip() for s in atom_summaries} | {"rss:" + html.unescape(s or "").strip()
                                                                         for s in rss_descriptions}
    missing = []
    for v in every[-50:]:  # the feeds hold the newest 50
        expected = as_text(f"S{v.index:03d} {v.one_line}")
        missing += [(v.slug, where) for where, text in (("atom", expected), ("rss", "rss:" + expected))
                    if text not in shown]
    assert missing == []


def test_the_search_record_holds_the_title_and_the_summary_as_text(built):
    """Pagefind's record of each essay (what its UI shows) has the title and the summary as the writer's text."""
    import gzip
    import json

    result, every = built
    records = {}
    for path in (result.output / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        record = json.loads(data[len(b"pagefind_dcd"):])
        records[record["url"]] = record
    problems = []
    for v in every:
        record = next((r for u, r in records.items() if re.fullmatch(rf"/essays/{v.slug}(-[^/]*)?/", u)), None)
        if record is None:
            problems.append((v.slug, "no record"))
            continue
        title, summary = as_text(f"T{v.index:03d} {v.one_line}"), as_text(f"S{v.index:03d} {v.one_line}")
        if record["meta"].get("title") != title:
            problems.append((v.slug, "title", record["meta"].get("title", "")[:80]))
        if summary not in " ".join(record["content"].split()):
            problems.append((v.slug, "summary", record["content"][:120]))
    assert problems == []


@pytest.mark.parametrize("feed", ["all.atom.xml", "all.rss.xml"])
def test_feeds_parse_strictly(built, feed):
    result, _ = built
    data = (result.output / "feeds" / feed).read_bytes()
    ET.fromstring(data)
    xml.dom.minidom.parseString(data)  # a second strict reader


def test_every_xml_file_parses(built):
    result, _ = built
    for path in output_files(result.output):
        if path.suffix == ".xml":
            ET.parse(path)


def test_forbidden_characters_reach_no_output_and_the_report_names_where(built):
    result, _ = built
    bad = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
    for path in output_files(result.output):
        if path.suffix in {".html", ".xml", ".txt", ".json", ".css"}:
            found = bad.search(path.read_text("utf-8"))
            assert found is None, (path, hex(ord(found.group(0))))
    entries = next(s for s in result.report["sources"] if s["source"] == "essays/forbidden.md")["entries"]
    where = {e["where"] for e in entries if e["kind"] == "forbidden-character"}
    assert {"header title", "header category", "header tags", "header content_note", "header summary", "body"} <= where
    page = (result.output / "essays" / vectors.FORBIDDEN_SLUG / "index.html").read_text("utf-8")
    assert "<h1>Controls and noncharacters in a title</h1>" in page
    assert 'href="https://example.org/ab"' in page


def test_the_vector_site_passes_its_own_audit(built):
    result, _ = built
    assert "audit:" in result.log and "passed" in result.log, result.log[-2000:]
