"""Front-matter policy: an allowlist of keys, day-granular dates, a pseudonym.

Runs on the raw header (key -> list of strings) before Pelican processes a
single value, so a dropped key never reaches Pelican, a template or a feed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

import dateutil.parser

from anonymize.scrub.errors import AnonymizeError
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
    lines = text.lstrip("\ufeff").splitlines()
    if lines and YAML_BEGIN.match(lines[0]):
        lines = lines[1:]
    if not lines or not META_LINE.match(lines[0]):
        raise AnonymizeError(source, "no header: the file must start with 'Title: ...' lines")
    for number, line in enumerate(lines, start=1):
        if not line.strip() or YAML_END.match(line):
            return
        if not (META_LINE.match(line) or META_MORE.match(line)):
            raise AnonymizeError(
                source,
                f"malformed header line {number}: expected 'Key: value', got {line[:60]!r}",
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
        raise AnonymizeError(source, f"date {value.strip()!r} does not parse ({exc})") from None
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

    for key in table["required"][kind]:
        if not "".join(kept.get(key, [])).strip():
            raise AnonymizeError(source, f"missing header '{key.capitalize()}:'")

    if "date" in kept:
        day, cut = day_of(kept["date"][0], source)
        if cut:
            report.removed(source, "date-precision", "time of day and zone", "header date")
        kept["date"] = [day]

    status = kept.get("status", [""])[0].strip().lower()
    if status and status not in table["values"]["status"]:
        raise AnonymizeError(source, f"status {status!r} is not one of {table['values']['status']}")

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
