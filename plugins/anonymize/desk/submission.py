"""The submission file: a Pelican-style header and a Markdown body, in `submissions/<id>/index.md`."""

from __future__ import annotations

import secrets

from anonymize.scrub.findings.essay import acknowledged, parse  # noqa: F401 - the desk's names for them

ORDER = ["title", "category", "tags", "summary", "series", "series_index", "content_note", "response_to", "lang",
         "pen_name", "slug", "date", "acknowledged", "submitted", "source_format"]


def new_id() -> str:
    """Random, so an id says nothing about who sent what or when."""
    return secrets.token_hex(5)


def key_label(key: str) -> str:
    return key.replace("_", "-").capitalize() if key != "series_index" else "Series_index"


def render(header: dict[str, str], body: str) -> str:
    keys = sorted(header, key=lambda k: (ORDER.index(k) if k in ORDER else len(ORDER), k))
    head = "\n".join(f"{key_label(k)}: {header[k]}" for k in keys if str(header[k]).strip())
    return f"{head}\n\n{body.strip()}\n"


def publishable_text(header: dict[str, str], body: str) -> tuple[str, int]:
    """The text a reader will see (title, summary, content note, body) and the body's first line number."""
    shown = [header.get(k, "") for k in ("title", "summary", "content_note") if header.get(k)]
    return "\n".join(shown) + "\n" + body, len(shown)
