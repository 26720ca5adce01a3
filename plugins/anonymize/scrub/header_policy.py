"""Front-matter policy: an allowlist of keys, day-granular dates, a pseudonym.

Runs on the raw header (key -> list of strings) before Pelican processes a
single value, so a dropped key never reaches Pelican, a template or a feed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import dateutil.parser
from markupsafe import Markup, escape

from anonymize.scrub.errors import AnonymizeError
from anonymize.scrub.paths import segment_problem
from anonymize.scrub.report import Report
from anonymize.scrub.rules import load

# The header syntax Python-Markdown's meta extension accepts (see its source).
META_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)")
YAML_BEGIN = re.compile(r"^-{3}(\s.*)?$")
YAML_END = re.compile(r"^(-{3}|\.{3})(\s.*)?$")

DEFAULT_PSEUDONYM = "Anonymous"


def normalize_key(key: str) -> str:
    """Lower-case a header key and map its aliases to the allowed spelling."""
    norm = re.sub(r"[\s-]+", "_", key.strip().lower())
    return load("metadata")["aliases"].get(norm, norm)


def check_header_block(text: str, source: str) -> None:
    """Refuse a file whose header is missing or malformed.

    Python-Markdown silently ends the header at the first line it does not
    understand and publishes the rest as body text: an `Email:` line after a
    typo would reach the page. We refuse such a file instead.
    """
    # Split as Python-Markdown's meta extension does (on "\n" only): str.splitlines() would also break at
    # \x0b, \x0c, \x1c-\x1e, U+0085 and U+2028, and call a header holding one malformed.
    lines = [line.rstrip("\r") for line in text.lstrip("\ufeff").split("\n")]
    if lines and YAML_BEGIN.match(lines[0]):
        lines = lines[1:]
    if not "".join(lines).strip():
        raise AnonymizeError(source, "the file is empty: write the essay under a 'Title:' and 'Date:' header, "
                                     "or remove the file")
    if not lines or not META_LINE.match(lines[0]):
        raise AnonymizeError(source, "no header: start the file with 'Title: ...' and 'Date: YYYY-MM-DD' lines")
    for number, line in enumerate(lines, start=1):
        if not line.strip() or YAML_END.match(line):
            return
        if not (META_LINE.match(line) or META_MORE.match(line)):
            raise AnonymizeError(
                source,
                f"malformed header line {number}: expected 'Key: value', got {line[:60]!r}: "
                "end the header with one blank line, and write each header line as 'Key: value'",
            )


def parse_date(value: str) -> datetime:
    """Pelican's own reading of a header date (dateutil, missing parts from today's midnight), without Pelican."""
    string = re.sub(" +", " ", value)
    default = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
    try:
        return dateutil.parser.parse(string, default=default)
    except (TypeError, ValueError):
        raise ValueError(f"{string!r} is not a valid date") from None


def day_of(value: str, source: str) -> tuple[str, bool]:
    """Return (YYYY-MM-DD, whether a time of day or zone was cut off)."""
    try:
        parsed = parse_date(value.strip())
    except (ValueError, OverflowError) as exc:
        raise AnonymizeError(source, f"date {value.strip()!r} does not parse as a day ({exc}): write a real day as "
                                     "'Date: YYYY-MM-DD'") from None
    day = parsed.strftime("%Y-%m-%d")
    return day, value.strip() != day


def apply_header_policy(
    meta: Mapping[str, list[str]],
    *,
    source: str,
    kind: str,
    settings: Mapping,
    report: Report,
) -> dict[str, list[str]]:
    """Return only the allowed header keys, dates cut to the day, and the author.

    `kind` is "essay" or "page". Raises AnonymizeError when a required key is
    missing, a date does not parse, or a pen name was not approved by an editor.
    """
    table = load("metadata")
    allowed = set(table["allowed"])
    kept: dict[str, list[str]] = {}
    for raw_key, values in meta.items():
        key = normalize_key(raw_key)
        if key not in allowed:
            report.removed(source, "header-key", key, "header")
            continue
        kept[key] = [v for v in values]

    problems = []  # every wrong field is named, not only the first
    for key in table["required"][kind]:
        example = "YYYY-MM-DD" if key == "date" else "..."
        if key not in kept:
            problems.append(f"missing header '{key.capitalize()}:': add a line '{key.capitalize()}: {example}'")
        elif not "".join(kept[key]).strip():
            problems.append(f"empty header '{key.capitalize()}:': write the {key} after '{key.capitalize()}:'")

    if "date" in kept and "".join(kept["date"]).strip():
        try:
            day, cut = day_of(kept["date"][0], source)
        except AnonymizeError as err:
            problems.append(err.problem)
        else:
            if cut:
                report.removed(source, "date-precision", "time of day and zone", "header date")
            kept["date"] = [day]

    slug = "".join(kept.get("slug", [])).strip()
    if slug and segment_problem(slug):
        problems.append(f"slug {slug!r} {segment_problem(slug)} (e.g. 'Slug: the-night-shift')")

    _check_url_and_numbers(kept, source, report)

    status = kept.get("status", [""])[0].strip().lower()
    if status and status not in table["values"]["status"]:
        problems.append(f"status {status!r} is not one of {table['values']['status']}: use one of them")
    if problems:
        raise AnonymizeError(source, *problems)

    pseudonym = settings.get("ANONYMIZE_PSEUDONYM") or DEFAULT_PSEUDONYM
    author = pseudonym
    pen = kept.pop("pen_name", [""])[0].strip()
    if pen:
        approved = set(settings.get("ANONYMIZE_PEN_NAMES") or [])
        if pen not in approved:
            raise AnonymizeError(
                source,
                f"pen name {pen!r} is not in ANONYMIZE_PEN_NAMES (an editor must approve it)",
            )
        author = pen
        report.replaced(source, "author", "pen name", "header")
    kept["author"] = [author]
    return kept


_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def _check_url_and_numbers(kept: dict[str, list[str]], source: str, report: Report) -> None:
    """Values that become part of a URL, a file name or a number: a language, a series index.

    An essay whose language differs from the site's is saved as `{slug}-{lang}`:
    markup there would be markup in a file name and in every link to it (the
    slug itself is checked above, as one safe path segment). The series plugin
    reads the index with int(), which would stop the build naming no essay.
    """
    if "lang" in kept:
        lang = kept["lang"][0].strip()
        if not _LANGUAGE_TAG.fullmatch(lang):
            raise AnonymizeError(source, f"Lang: {lang[:40]!r} is not a language tag: write one such as 'en', 'pt-BR'")
        kept["lang"] = [lang]
    if "series_index" in kept:
        index = kept["series_index"][0].strip()
        if not index.isascii() or not index.isdigit():
            raise AnonymizeError(source, f"Series_index: {index[:40]!r} is not a whole number: write 1, 2, 3, ...")
        kept["series_index"] = [index]


# Header keys whose value is printed as text: Pelican treats them as HTML (its feed writer and its slugify
# strip tags from a title), so they reach Pelican as Markup holding the escaped text: a page prints it as
# text, a feed gets the text back (tags stripped from escaped text strip nothing; entities decode).
# A summary is one of them: a short plain description (index pages, <meta name="description">, feeds, search),
# written as a title is; Pelican's Markdown formatting of it is switched off (settings.py, FORMATTED_FIELDS).
TEXT_KEYS = frozenset({"title", "summary", "series", "content_note"})


def page_value(name: str, value: Any) -> Any:
    """A processed header value as Pelican and the theme take it: text never becomes markup.

    Text keys become escaped Markup. Tag and category names stay text (feeds
    write them as text and the theme escapes them); only their slug is made
    from the escaped text, since Pelican's slugify strips `<...>` from a name
    and would leave a tag such as `<svg onload=...>` with no slug at all, and
    it is bounded in length.
    """
    if name in TEXT_KEYS and isinstance(value, str) and not isinstance(value, Markup):
        return Markup(escape(value))
    if name in ("tags", "category"):
        for wrapper in value if isinstance(value, list) else [value]:
            _slug_from_text(wrapper)
    return value


SLUG_MAX = 80  # characters of a tag's or category's slug: it becomes a folder and a feed's file name


def _slug_from_text(wrapper: Any) -> None:
    """Give a Pelican tag or category (duck-typed: `name`, `slug`) the slug of its name read as text, bounded.

    A long name would make a file name the file system refuses (255 bytes),
    and Pelican would stop with a traceback naming no essay.
    """
    name = getattr(wrapper, "name", None)
    if not isinstance(name, str):
        return
    if "<" in name or "&" in name:
        wrapper.name = Markup(escape(name))  # its slug is made from this (tags stripped, entities decoded)
        slug = wrapper.slug
        wrapper.name = name
        wrapper.slug = slug
    slug = wrapper.slug or ""
    if len(slug) > SLUG_MAX:
        wrapper.slug = slug[:SLUG_MAX].rsplit("-", 1)[0] or slug[:SLUG_MAX]
