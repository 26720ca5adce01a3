"""The header policy: allowlist, day-granular dates, pseudonym and pen names."""

from __future__ import annotations

import pytest
from anonymize.scrub.errors import AnonymizeError
from anonymize.scrub.header_policy import apply_header_policy, check_header_block, day_of, normalize_key
from anonymize.scrub.report import Report

SETTINGS = {"ANONYMIZE_PSEUDONYM": "Anonymous", "ANONYMIZE_PEN_NAMES": ["Night Float"]}


def policy(meta: dict[str, list[str]], kind: str = "essay", settings=SETTINGS):
    report = Report()
    kept = apply_header_policy(meta, source="essays/x.md", kind=kind, settings=settings, report=report)
    return kept, report


BASE = {"title": ["A title"], "date": ["2025-03-04"]}


@pytest.mark.parametrize(
    "key",
    ["author", "authors", "email", "affiliation", "location", "bio", "twitter", "phone", "modified",
     "x-hospital", "url", "save_as", "template"],
)
def test_identifying_keys_are_dropped_and_reported(key):
    kept, report = policy({**BASE, key: ["Dr. Zed Quill, zed@quill.example"]})
    assert set(kept) == {"title", "date", "author"}
    assert "Dr. Zed Quill, zed@quill.example" not in repr(kept)
    dropped = [e for e in report.for_source("essays/x.md") if e.kind == "header-key"]
    assert [e.what for e in dropped] == [normalize_key(key)]
    # the report names the key, never the value it carried
    assert "Quill" not in repr(report.to_dict())


def test_allowed_keys_survive():
    meta = {**BASE, "category": ["Burnout"], "tags": ["a, b"], "summary": ["Deck"], "series": ["S"],
            "series_index": ["2"], "content_note": ["death"], "response_to": ["other"], "lang": ["en"],
            "slug": ["my-slug"], "status": ["draft"]}
    kept, report = policy(meta)
    for key in meta:
        assert key in kept
    assert report.for_source("essays/x.md") == []


@pytest.mark.parametrize("raw,expected", [("Content-Note", "content_note"), ("Responds-To", "response_to"),
                                          ("Series Index", "series_index"), ("Keywords", "tags")])
def test_aliases_map_to_allowed_keys(raw, expected):
    assert normalize_key(raw) == expected


def test_author_is_always_the_pseudonym():
    kept, _ = policy({**BASE, "author": ["Dr. Zed Quill"]})
    assert kept["author"] == ["Anonymous"]


def test_configured_pseudonym_is_used():
    kept, _ = policy(BASE, settings={"ANONYMIZE_PSEUDONYM": "A Clinician"})
    assert kept["author"] == ["A Clinician"]


def test_approved_pen_name_replaces_pseudonym():
    kept, report = policy({**BASE, "pen_name": ["Night Float"]})
    assert kept["author"] == ["Night Float"]
    assert "pen_name" not in kept
    assert "author" in report.kinds("essays/x.md")


def test_unapproved_pen_name_is_refused():
    with pytest.raises(AnonymizeError, match=r"essays/x\.md: pen name 'Jane R\.' is not in ANONYMIZE_PEN_NAMES"):
        policy({**BASE, "pen_name": ["Jane R."]})


@pytest.mark.parametrize(
    "raw,day",
    [
        ("2025-03-04 21:17:09 -0500", "2025-03-04"),
        ("2025-03-04T21:17:09+01:00", "2025-03-04"),
        ("2025-03-04 06:02", "2025-03-04"),
        ("2025-03-04T23:59:59.123456Z", "2025-03-04"),
        ("4 March 2025 9pm", "2025-03-04"),
    ],
)
def test_dates_lose_time_and_zone(raw, day):
    kept, report = policy({**BASE, "date": [raw]})
    assert kept["date"] == [day]
    assert "date-precision" in report.kinds("essays/x.md")


def test_plain_day_is_not_reported():
    kept, report = policy(BASE)
    assert kept["date"] == ["2025-03-04"]
    assert "date-precision" not in report.kinds("essays/x.md")


@pytest.mark.parametrize("raw", ["next tuesday-ish", "2025-13-45", "yesterday at the clinic"])
def test_bad_date_names_file_and_value(raw):
    with pytest.raises(AnonymizeError) as info:
        policy({**BASE, "date": [raw]})
    assert info.value.path == "essays/x.md"
    assert "does not parse" in info.value.problem and raw in info.value.problem


def test_missing_title_is_refused():
    with pytest.raises(AnonymizeError, match=r"essays/x\.md: missing header 'Title:'"):
        policy({"date": ["2025-03-04"]})


def test_blank_title_is_refused():
    with pytest.raises(AnonymizeError, match="empty header 'Title:'"):
        policy({"title": ["   "], "date": ["2025-03-04"]})


def test_essay_without_date_is_refused_but_page_is_not():
    with pytest.raises(AnonymizeError, match="missing header 'Date:'"):
        policy({"title": ["T"]})
    kept, _ = policy({"title": ["About"]}, kind="page")
    assert "date" not in kept


def test_unknown_status_is_refused():
    with pytest.raises(AnonymizeError, match="status 'secret'"):
        policy({**BASE, "status": ["secret"]})


def test_day_of_reports_whether_it_cut():
    assert day_of("2025-03-04", "f") == ("2025-03-04", False)
    assert day_of("2025-03-04 00:00", "f") == ("2025-03-04", True)


class TestHeaderBlock:
    def test_valid_header(self):
        check_header_block("Title: T\nDate: 2025-01-01\nTags: a,\n    b\n\nBody: not header\n", "f.md")

    def test_yaml_delimited_header(self):
        check_header_block("---\nTitle: T\nDate: 2025-01-01\n---\nBody\n", "f.md")

    def test_no_header(self):
        with pytest.raises(AnonymizeError, match=r"f\.md: no header"):
            check_header_block("Just a body without any header.\n", "f.md")

    def test_malformed_line_would_leak_into_body(self):
        # Markdown would stop the header here and publish the Email line as text.
        with pytest.raises(AnonymizeError, match=r"f\.md: malformed header line 2"):
            check_header_block("Title: T\nDr Zed Quill\nEmail: zed@quill.example\n\nBody\n", "f.md")


def test_plain_days_read_as_pelican_reads_them():
    """The reader's short way for "YYYY-MM-DD" gives exactly what Pelican's dateutil parse gives."""
    import random
    from datetime import date, timedelta

    from anonymize.pelican_plugin.reader import AnonymizingMarkdownReader
    from pelican.readers import METADATA_PROCESSORS
    from pelican.settings import DEFAULT_CONFIG

    reader = AnonymizingMarkdownReader(dict(DEFAULT_CONFIG))
    rng = random.Random(8)
    days = [(date(1900, 1, 1) + timedelta(days=rng.randrange(80000))).isoformat() for _ in range(300)]
    days += ["2024-02-29", "2000-02-29", "0999-12-31", "2026-12-31"]
    for name in ("date", "modified"):
        for value in days:
            ours, pelicans = reader.process_metadata(name, value), METADATA_PROCESSORS[name](value, DEFAULT_CONFIG)
            assert (ours, type(ours), ours.tzinfo) == (pelicans, type(pelicans), pelicans.tzinfo), value
        for bad in ("2025-02-29", "2025-13-01", "2025-00-10"):
            with pytest.raises(ValueError) as ours_err:
                reader.process_metadata(name, bad)
            with pytest.raises(ValueError) as pelicans_err:
                METADATA_PROCESSORS[name](bad, DEFAULT_CONFIG)
            assert str(ours_err.value) == str(pelicans_err.value)


# Issue 13: header values are text; values that become URLs, file names or numbers are checked.
def test_a_slug_holding_markup_is_refused_naming_the_file():
    with pytest.raises(AnonymizeError, match="essays/x.md.*safe path segment"):
        policy({**BASE, "slug": ['v1 "><svg/onload=alert(1)>']})


@pytest.mark.parametrize("lang", ["<svg onload=alert(1)>", "en_US", "e", "english language"])
def test_a_language_must_be_a_language_tag(lang):
    with pytest.raises(AnonymizeError, match="language tag"):
        policy({**BASE, "lang": [lang]})


def test_a_series_index_must_be_a_whole_number():
    assert policy({**BASE, "series_index": ["3"]})[0]["series_index"] == ["3"]
    with pytest.raises(AnonymizeError, match="whole number"):
        policy({**BASE, "series_index": ["<b>2</b>"]})


def test_text_keys_become_escaped_markup():
    from anonymize.scrub.header_policy import page_value
    from markupsafe import Markup

    title = page_value("title", "</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT> & more")
    assert isinstance(title, Markup)
    assert str(title) == "&lt;/TITLE&gt;&lt;SCRIPT&gt;alert(&#34;XSS&#34;);&lt;/SCRIPT&gt; &amp; more"
    # what Pelican's feed writer makes of it (striptags) is the writer's text again
    assert title.striptags() == "</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT> & more"
    # A summary is text too (a short plain description): shown as written, never markup
    summary = page_value("summary", '<svg/onload=alert(1)> "quoted" & *not emphasis*')
    assert isinstance(summary, Markup)
    assert str(summary) == "&lt;svg/onload=alert(1)&gt; &#34;quoted&#34; &amp; *not emphasis*"


def test_tag_slugs_come_from_the_text_and_are_bounded():
    from anonymize.scrub.header_policy import SLUG_MAX, page_value
    from pelican.urlwrappers import Tag

    settings = {"SLUG_REGEX_SUBSTITUTIONS": [(r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""),
                                             (r"[-\s]+", "-")]}
    tag = Tag("<svg onload=alert(1)>", settings)
    page_value("tags", [tag])
    assert tag.name == "<svg onload=alert(1)>" and tag.slug == "svg-onloadalert1"
    long = Tag("word " * 60, settings)
    page_value("tags", [long])
    assert 0 < len(long.slug) <= SLUG_MAX


def test_header_lines_split_as_markdown_splits_them():
    check_header_block("Title: a\x0bvertical tab\nDate: 2025-01-02\n\nBody\n", "essays/x.md")
    check_header_block("Title: a\u2028line separator\r\nDate: 2025-01-02\r\n\r\nBody\r\n", "essays/x.md")
