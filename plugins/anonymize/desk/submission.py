"""The submission file: a Pelican-style header and a Markdown body, in `submissions/<id>/index.md`."""

from __future__ import annotations

import re
import secrets

ORDER = ["title", "category", "tags", "summary", "series", "series_index", "content_note", "response_to", "lang",
         "pen_name", "slug", "date", "acknowledged", "submitted", "source_format"]
LINE = re.compile(r"^([A-Za-z][A-Za-z0-9 _-]*):\s*(.*)$")


def new_id() -> str:
    """Random, so an id says nothing about who sent what or when."""
    return secrets.token_hex(5)


def key_label(key: str) -> str:
    return key.replace("_", "-").capitalize() if key != "series_index" else "Series_index"


def render(header: dict[str, str], body: str) -> str:
    keys = sorted(header, key=lambda k: (ORDER.index(k) if k in ORDER else len(ORDER), k))
    head = "\n".join(f"{key_label(k)}: {header[k]}" for k in keys if str(header[k]).strip())
    return f"{head}\n\n{body.strip()}\n"


def parse(text: str) -> tuple[dict[str, str], str]:
    header: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines) and lines[i].strip():
        m = LINE.match(lines[i])
        if not m:
            break
        header[m.group(1).strip().lower().replace("-", "_")] = m.group(2).strip()
        i += 1
    return header, "\n".join(lines[i:]).strip() + "\n"


def acknowledged(header: dict[str, str]) -> list[str]:
    return [a.strip() for a in header.get("acknowledged", "").split(";") if a.strip()]


def publishable_text(header: dict[str, str], body: str) -> tuple[str, int]:
    """The text a reader will see (title, summary, content note, body) and the body's first line number."""
    shown = [header.get(k, "") for k in ("title", "summary", "content_note") if header.get(k)]
    return "\n".join(shown) + "\n" + body, len(shown)
