"""The sample site, built end to end: what reaches output/ and what must not."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from anonymize.scrub.header_policy import normalize_key
from anonymize.scrub.rules import load
from conftest import CONTENT, output_files, text_files

ATOM = "{http://www.w3.org/2005/Atom}"


def headers(path: Path) -> dict[str, str]:
    """Read a source header independently of the plugin's reader."""
    out: dict[str, str] = {}
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        out[key.strip()] = value.strip()
    return out


ESSAYS = sorted((CONTENT / "essays").glob("*.md"))
PAGES = sorted((CONTENT / "pages").glob("*.md"))
ALLOWED = set(load("metadata")["allowed"])


def dropped_values() -> list[tuple[str, str, str]]:
    found = []
    for path in ESSAYS + PAGES:
        for key, value in headers(path).items():
            if normalize_key(key) not in ALLOWED and value:
                found.append((path.name, key, value))
    return found


def all_output_text(output: Path) -> str:
    chunks = []
    for p in text_files(output):
        raw = p.read_text("utf-8", errors="replace")
        chunks.append(raw)
        chunks.append(html.unescape(raw))
    return "\n".join(chunks)


def test_sample_content_is_rich_enough():
    assert len(ESSAYS) >= 10
    cats = {headers(p).get("Category") for p in ESSAYS}
    assert len(cats) >= 4
    assert {p.stem for p in PAGES} >= {"about", "submit", "disclaimer"}
    # the samples carry identifying headers so the build can show them removed
    keys = {normalize_key(k) for p in ESSAYS for k in headers(p)}
    assert {"author", "email", "affiliation"} <= keys
    assert any(re.search(r"\d:\d\d", headers(p).get("Date", "")) for p in ESSAYS)


def test_no_dropped_header_value_anywhere_in_output(site):
    values = dropped_values()
    assert len(values) >= 20, "the samples should carry many identifying values"
    text = all_output_text(site.output).lower()
    leaks = [(name, key, value) for name, key, value in values if value.lower() in text]
    assert leaks == []


def test_no_email_from_headers_in_output(site):
    emails = {m for _, _, v in dropped_values() for m in re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", v)}
    assert emails
    text = all_output_text(site.output)
    assert [e for e in emails if e in text] == []


def test_every_essay_is_in_the_atom_feed(site):
    feed = ET.parse(site.output / "feeds" / "all.atom.xml").getroot()
    titles = {e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")}
    expected = {headers(p)["Title"] for p in ESSAYS if headers(p).get("Status", "published") == "published"}
    assert {html.unescape(t) for t in expected} <= {html.unescape(t or "") for t in titles}
    assert len(titles) == len(expected)


def test_feed_authors_are_only_the_pseudonym(site):
    for feed_path in (site.output / "feeds").rglob("*.xml"):
        root = ET.parse(feed_path).getroot()
        names = {el.text for el in root.iter() if el.tag in (f"{ATOM}name", "author", "{http://purl.org/dc/elements/1.1/}creator")}
        assert names <= {"Anonymous", "Night Float"}, feed_path


def test_feed_times_are_midnight_utc(site):
    for feed_path in (site.output / "feeds").rglob("*.atom.xml"):
        text = feed_path.read_text("utf-8")
        stamps = re.findall(r"<(?:published|updated)>([^<]+)<", text)
        assert stamps
        assert all(s.endswith("T00:00:00+00:00") for s in stamps), (feed_path, stamps)


def test_no_author_pages_or_feeds(site):
    names = [str(p.relative_to(site.output)) for p in output_files(site.output)]
    assert not [n for n in names if n.startswith("author") or "/author" in n]


def test_no_meta_author_or_generator(site):
    for page in site.output.rglob("*.html"):
        text = page.read_text("utf-8")
        assert not re.search(r"<meta[^>]+name=[\"']?(author|generator)", text, re.I), page


def test_no_html_comments_in_pages(site):
    for page in site.output.rglob("*.html"):
        assert "<!--" not in page.read_text("utf-8"), page


def test_dates_shown_are_days_only(site):
    for page in site.output.rglob("*.html"):
        text = page.read_text("utf-8")
        for stamp in re.findall(r'datetime="([^"]+)"', text):
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", stamp), (page, stamp)


def test_build_report_lists_removals_per_essay(site):
    report = site.report
    assert report is not None, site.log
    by_source = {s["source"]: s["entries"] for s in report["sources"]}
    for path in ESSAYS:
        entries = by_source[f"essays/{path.name}"]
        kinds = {e["kind"] for e in entries}
        assert "header-key" in kinds, path
        dropped = {e["what"] for e in entries if e["kind"] == "header-key"}
        expected = {normalize_key(k) for k in headers(path) if normalize_key(k) not in ALLOWED}
        assert dropped == expected, path


def test_build_log_reports_each_essay(site):
    for path in ESSAYS:
        assert f"essays/{path.name}" in site.log


def test_publication_date_ignores_file_mtime(content_copy, tmp_path):
    from conftest import run_build

    essay = sorted((content_copy / "essays").glob("*.md"))[0]
    import os

    os.utime(essay, (0, 0))  # 1970: a date from the file system would show here
    result = run_build(content_copy, tmp_path / "out")
    assert result.returncode == 0, result.log
    day = re.match(r"\d{4}-\d{2}-\d{2}", headers(essay)["Date"]).group(0)
    feed = (tmp_path / "out" / "feeds" / "all.atom.xml").read_text("utf-8")
    assert f"<published>{day}T00:00:00+00:00</published>" in feed
    assert "1970" not in feed


@pytest.mark.parametrize("page", ["about", "submit", "disclaimer"])
def test_pages_are_built(site, page):
    assert (site.output / page / "index.html").is_file()


def test_responses_link_both_ways(site):
    reply = (site.output / "essays" / "in-defence-of-the-group-chat" / "index.html").read_text("utf-8")
    original = (site.output / "essays" / "what-we-say-in-the-group-chat" / "index.html").read_text("utf-8")
    assert 'This essay responds to <a href="../../essays/what-we-say-in-the-group-chat/"' in reply or (
        "This essay responds to" in reply and "what-we-say-in-the-group-chat/" in reply
    )
    responses = original.split('class="responses"', 1)[1]
    assert "in-defence-of-the-group-chat/" in responses


def test_sitemap_dates_are_days_without_build_time(site):
    xml = (site.output / "sitemap.xml").read_text("utf-8")
    stamps = re.findall(r"<lastmod>([^<]+)</lastmod>", xml)
    assert stamps, "essays keep their publication day"
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", s) for s in stamps), stamps
