"""Read a contributor's file (.md, .txt, .html, .docx) into a title, header values and a body.

Only the text is taken: document properties, comments, tracked deletions,
scripts and page furniture never get as far as the scrubber.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from anonymize.desk.markdown_out import html_to_markdown, markdown_text
from anonymize.scrub.html_tree import parse_document


class IntakeError(Exception):
    """A submission that cannot be taken in: the message names the file and the problem."""


@dataclass
class Draft:
    title: str
    body: str  # Markdown
    header: dict[str, str] = field(default_factory=dict)  # raw header values as the contributor wrote them
    body_html: str | None = None  # when the source was HTML (scrubbed before conversion)
    source_format: str = "md"
    images: dict[str, bytes] = field(default_factory=dict)  # images inside the file (a .docx), by the name used


HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9 _-]*):\s*(.*)$")


def read(path: Path, title: str | None = None, max_bytes: int | None = None) -> Draft:
    suffix = path.suffix.lower()
    if suffix != ".docx":  # a Word file's size is mostly its pictures: its text is measured once converted
        _check_size(path, path.stat().st_size, max_bytes)
    elif path.stat().st_size == 0:
        raise IntakeError(f"{path}: the file is empty: ask the contributor to send it again")
    try:
        if suffix in (".md", ".markdown"):
            return _markdown(path, title)
        if suffix == ".txt":
            return _text(path, title)
        if suffix in (".html", ".htm"):
            return _html(path.read_bytes().decode("utf-8", "replace"), title, "html")
        if suffix == ".docx":
            draft = _docx(path, title)
            _check_size(path, len(draft.body_html or ""), max_bytes)
            return draft
    except UnicodeDecodeError as exc:
        raise IntakeError(f"{path}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x}); save it as UTF-8") from None
    raise IntakeError(f"{path}: {suffix or 'no extension'} is not a format we take in (.md, .txt, .html, .docx)")


def _check_size(path: Path, size: int, max_bytes: int | None) -> None:
    from anonymize.scrub.limits import size_problem

    problem = size_problem(size, max_bytes)
    if problem:
        raise IntakeError(f"{path}: {problem}")


def _decode(path: Path) -> str:
    return path.read_bytes().decode("utf-8").lstrip("\ufeff").replace("\r\n", "\n")


def _markdown(path: Path, title: str | None) -> Draft:
    text = _decode(path)
    header: dict[str, str] = {}
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":  # YAML front matter
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), None)
        if end is None:
            raise IntakeError(f"{path}: YAML front matter is not closed with ---")
        for line in lines[1:end]:
            m = HEADER_LINE.match(line)
            if m:
                header[m.group(1).strip()] = m.group(2).strip().strip("\"'")
        body = "\n".join(lines[end + 1:])
    elif lines and HEADER_LINE.match(lines[0]):
        i = 0
        while i < len(lines) and lines[i].strip():
            m = HEADER_LINE.match(lines[i])
            if not m:
                raise IntakeError(f"{path}: malformed header line {i + 1}: {lines[i][:60]!r}")
            header[m.group(1).strip()] = m.group(2).strip()
            i += 1
        body = "\n".join(lines[i:])
    else:
        body = text
    found_title = title or _get(header, "title")
    if not found_title:
        m = re.match(r"\s*#\s+(.+)\n", body)
        if m:
            found_title, body = m.group(1).strip(), body[m.end():]
    if not found_title:
        raise IntakeError(f"{path}: no title (add 'Title: ...' or give --title)")
    return Draft(found_title, body.strip() + "\n", header, source_format="md")


def _text(path: Path, title: str | None) -> Draft:
    text = _decode(path).strip()
    if not text:
        raise IntakeError(f"{path}: the file is empty")
    if title:
        body = text
    else:
        first, _, body = text.partition("\n")
        title = first.strip()
    # Plain text is shown as typed: Markdown and HTML characters in it are escaped (a "<svg>" typed in a note
    # would otherwise become markup at the build, and the scrubber would take the prose after it).
    paragraphs = [markdown_text(" ".join(p.split())) for p in re.split(r"\n\s*\n", body.strip()) if p.strip()]
    return Draft(title, "\n\n".join(paragraphs) + "\n", {}, source_format="txt")


def _html(html: str, title: str | None, fmt: str) -> Draft:
    """The page's article as the contributor's browser built it (the HTML5 algorithm, as the scrubber reads it)."""
    soup = parse_document(html)
    found_title = title
    if not found_title:
        h1 = soup.find("h1")
        tag = h1 or soup.find("title")
        found_title = tag.get_text(" ", strip=True) if tag else None
        if h1:
            h1.decompose()
    # The article, not the blog's navigation, sidebars and footers.
    root = soup.find("article") or soup.find("main") or soup.find("body") or soup
    for furniture in root.find_all(["nav", "header", "footer", "aside"]):
        furniture.decompose()
    if not found_title:
        raise IntakeError(f"the {fmt} file has no title (no <h1> or <title>; give --title)")
    return Draft(found_title, "", {}, body_html=root.decode_contents(), source_format=fmt)


def _docx(path: Path, title: str | None) -> Draft:
    """mammoth reads only the document body: no properties; comments and deleted changes are ignored.

    Pictures in the document are taken out by name (`docx-image-N`), so the desk scrubs them like any image the
    contributor sent and links the essay to the cleaned copies; mammoth's default would inline them as data: URIs,
    which the HTML scrubber drops."""
    import mammoth

    images: dict[str, bytes] = {}

    def take(image) -> dict[str, str]:
        with image.open() as fh:
            data = fh.read()
        name = f"docx-image-{len(images) + 1}"
        images[name] = data
        return {"src": name}

    with open(path, "rb") as fh:
        try:
            result = mammoth.convert_to_html(fh, convert_image=mammoth.images.img_element(take))
        except Exception as exc:  # noqa: BLE001 - a broken .docx is refused, whatever broke
            raise IntakeError(f"{path}: cannot read this Word document ({exc}): ask for it again, or as .txt") from None
    draft = _html(f"<body>{result.value}</body>", title, "docx")
    draft.images = images
    return draft


def _get(header: dict[str, str], key: str) -> str:
    for k, v in header.items():
        if k.strip().lower() == key:
            return v
    return ""


__all__ = ["Draft", "IntakeError", "read", "html_to_markdown"]
