"""Bytes after a picture's end: never copied, always reported, named where we recognise them.

Every format declares where its picture ends (a JPEG's end-of-image marker
after its last scan, PNG's IEND, the RIFF size of a WebP, GIF's trailer byte,
the last box of a HEIF). Whatever follows is not part of the picture a reader
sees, but it is what leaks: the other pictures of a multi-picture file (each with
its own EXIF), AFCP trailers with IPTC by-line, city and caption, a phone's
motion-photo video, camera slack with old thumbnails or unrelated HTML. The
scrubbers keep the picture and drop the rest whole; the names below only make
the report say what was dropped (the signatures are the ones exiftool's trailer
readers look for).
"""

from __future__ import annotations

# (what it is, bytes that mark it, where: "start" of the tail, "end" of the tail, or "in" anywhere)
SIGNATURES: tuple[tuple[str, bytes, str], ...] = (
    ("an AFCP trailer with IPTC", b"AXS!", "in"),
    ("an AFCP trailer with IPTC", b"AXS*", "in"),
    ("a Samsung trailer", b"SEFT", "end"),
    ("a Canon VRD trailer", b"CANON OPTIONAL DATA\x00", "in"),
    ("a FotoStation trailer", b"\xa1\xb2\xc3\xd4", "end"),
    ("a Photo Mechanic trailer", b"cbipcbbl", "end"),
    ("a Samsung motion photo", b"MotionPhoto_Data", "in"),
    ("HTML", b"<html", "in"),
    ("HTML", b"<HTML", "in"),
    ("HTML", b"<!DOCTYPE", "in"),
    ("HTML", b"<!doctype", "in"),
    ("XMP", b"<x:xmpmeta", "in"),
)
MAX_SCAN = 64 << 20  # signatures are looked for in the first 64 MB of a tail (it is dropped whole either way)


def describe(tail: bytes | memoryview) -> str:
    """One report line, e.g. "1,204 bytes after the picture's end (a JPEG picture)"."""
    size = len(tail)
    tail = bytes(tail[:MAX_SCAN])
    kinds: list[str] = []
    pictures = tail.count(b"\xff\xd8\xff")
    if pictures:
        kinds.append("a JPEG picture" if pictures == 1 else f"{pictures} JPEG pictures")
    if tail[4:8] == b"ftyp" or b"ftypmp4" in tail or b"ftypisom" in tail or b"ftypiso" in tail:
        kinds.append("a motion-photo video")
    for name, mark, where in SIGNATURES:
        hit = (tail.startswith(mark) if where == "start" else tail.endswith(mark) if where == "end"
               else mark in tail)
        if hit and name not in kinds:
            kinds.append(name)
    if not kinds:
        kinds.append("padding" if not tail.strip(b"\x00\xff") else "unidentified data")
    return f"{size:,} byte{'s' if size != 1 else ''} after the picture's end ({', '.join(kinds)})"
