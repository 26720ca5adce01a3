"""Image scrubbers, one per format, chosen by what the bytes are, not by the file name.

`clean_bytes` and `show_bytes` are the two verbs; `clean_file` adds the
checks that need a name (a file whose extension lies about its type is
refused). Anything that is not a JPEG, PNG, WebP, GIF or HEIF is refused.

Each format's parser is imported when a file of that format comes: `invoke scrub` on a folder of JPEGs does
not load the other four.
"""

from __future__ import annotations

from pathlib import Path

from anonymize.scrub.images.base import Cleaned, ImageError, Parser

__all__ = ["Cleaned", "ImageError", "clean_bytes", "clean_file", "show_bytes", "sniff", "hashed_name"]

EXTENSIONS = {
    "JPEG": {".jpg", ".jpeg", ".jpe", ".jfif", ".mpo"},  # .mpo: published as its first picture
    "PNG": {".png"},
    "WebP": {".webp"},
    "GIF": {".gif"},
    "HEIF": {".heic", ".heif", ".hif"},
}


def sniff(data: bytes) -> Parser:
    """The parser for these bytes, or ImageError naming what they are."""
    head = data[:32]
    if head.startswith(b"\xff\xd8\xff"):
        from anonymize.scrub.images.jpeg import Jpeg
        return Jpeg()
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        from anonymize.scrub.images.png import Png
        return Png()
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        from anonymize.scrub.images.webp import WebP
        return WebP()
    if head[:6] in (b"GIF87a", b"GIF89a"):
        from anonymize.scrub.images.gif import Gif
        return Gif()
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1",
                                               b"msf1", b"avif"):
        if head[8:12] == b"avif":
            raise ImageError("AVIF is not supported: convert it to JPEG or PNG first")
        from anonymize.scrub.images.heif import Heif
        return Heif()
    text = data[:512].lstrip().lower()
    if text.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in text:
        raise ImageError("SVG is refused: it can carry scripts and remote references (export it as PNG)")
    if head.startswith(b"%PDF"):
        raise ImageError("PDF is refused: documents carry authors and edit history (export the page as PNG)")
    if head.startswith(b"PK\x03\x04"):
        raise ImageError("an Office or ZIP file is refused here: only images are published")
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        raise ImageError("TIFF is refused: convert it to PNG or JPEG")
    if not data:
        raise ImageError("empty file")
    raise ImageError("not an image we can clean (only JPEG, PNG, WebP, GIF and HEIC are published)")


def clean_bytes(data: bytes) -> Cleaned:
    return sniff(data).clean(data)


def show_bytes(data: bytes) -> tuple[str, list[str]]:
    parser = sniff(data)
    return parser.name, parser.show(data)


def clean_file(path: Path) -> Cleaned:
    """Clean the image at `path` (never modifying it); refuse a file whose name lies about its type."""
    data = Path(path).read_bytes()
    parser = sniff(data)
    ext = Path(path).suffix.lower()
    if ext and ext not in EXTENSIONS[parser.name]:
        raise ImageError(f"the name says {ext} but the content is {parser.name}; rename it or re-export it")
    return parser.clean(data)


def hashed_name(cleaned: Cleaned) -> str:
    """A published name that says nothing about the source: the content's hash."""
    return cleaned.content_hash()[:20] + cleaned.ext
