"""Emails, phone and fax numbers, URLs, IP addresses, social handles and usernames."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

import phonenumbers

from anonymize.scrub.findings.tables import tables

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\[\]\"']+[^\s<>()\[\]\"'.,;:!?]", re.I)
TLDS = r"(?:com|org|net|edu|gov|co\.uk|org\.uk|nhs\.uk|ac\.uk|io|health|care|clinic|info|us|ca|au|ie)"
BARE_DOMAIN = re.compile(rf"\b[a-z0-9][a-z0-9-]{{1,62}}(?:\.[a-z0-9-]{{2,}})*\.{TLDS}\b", re.I)
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
IPV6 = re.compile(r"(?<![\w:])(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{0,4}(?::[0-9a-f]{1,4})*(?![\w:])|"
                  r"(?<![\w:])(?:[0-9a-f]{1,4}:)+:(?:[0-9a-f]{1,4}:?)*[0-9a-f]{0,4}(?![\w:])", re.I)
HANDLE = re.compile(r"@(?<![\w@.]@)[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?\b")
USERNAME = re.compile(r"(?<![\w/])u/[A-Za-z0-9_-]{3,20}\b|\b(?:user ?name|handle|screen ?name|login|user id|gamertag)"
                      r"\s*(?:is|was|:|=)\s*[\"'“]?([A-Za-z0-9_.-]{3,30})", re.I)
PHONE_HINT = re.compile(r"\+?\(?\d[\d\s().-]{6,}\d")
FAX = re.compile(r"\bfax\b[^\d+]{0,12}$", re.I)
REGIONS = ("US", "GB", "CA", "AU", "IE", "IN")


def emails(text: str):
    if "@" not in text:  # the pattern walks every word before it finds there is no @
        return
    for m in EMAIL.finditer(text):
        yield "email", m.start(), m.end()


def urls(text: str):
    public = tables()["public_domains"]
    lowered = text.lower()
    for m in URL.finditer(text) if "http" in lowered or "www." in lowered else ():
        host = (urlsplit(m.group(0) if "://" in m.group(0) else "https://" + m.group(0)).hostname or "").lower()
        if not any(host == d or host.endswith("." + d) for d in public):
            yield "url", m.start(), m.end()
    for m in bare_domains(text):
        host = m.group(0).lower()
        if text[max(0, m.start() - 1):m.start()] in ("@", "/", ".") or any(host == d or host.endswith("." + d)
                                                                            for d in public):
            continue
        yield "url", m.start(), m.end()


_DOMAIN_CHARS = re.compile(r"[a-z0-9.-]*", re.I)  # every character BARE_DOMAIN can match, folded as it folds


def bare_domains(text: str):
    """`BARE_DOMAIN.finditer(text)`, tried only on the runs of domain characters that hold a TLD.

    Every match ends in `TLD_HINT` and lies inside one run of domain characters,
    so the leftmost match at or after `pos` lies in the run holding the next
    hint; a search bounded to that run finds it (or shows there is none) without
    walking every word of the essay. tests/test_findings_scan.py compares both.
    """
    n, pos, rev = len(text), 0, ""
    while (hint := TLD_HINT.search(text, pos)) is not None:
        h = hint.start()
        rev = rev or text[::-1]
        start = max(pos, h - (_DOMAIN_CHARS.match(rev, n - h).end() - (n - h)))
        run_end = _DOMAIN_CHARS.match(text, h).end()  # > h: the hint begins with a dot
        m = BARE_DOMAIN.search(text, start, run_end + 1)  # the character after the run decides the final \b
        if m is None:
            pos = run_end
            continue
        yield m
        pos = m.end()


def ipv4(text: str):
    """Dotted quads (a digit detector: it reads only paragraphs holding a digit)."""
    for m in IPV4.finditer(text):
        try:
            ipaddress.IPv4Address(m.group(0))
        except ValueError:
            continue
        yield "ip-address", m.start(), m.end()


HEX_COLON = re.compile(r"[0-9A-Fa-f]:[0-9A-Fa-f:]")
TLD_HINT = re.compile(rf"\.{TLDS}\b", re.I)  # cheap to scan for: no domain without it
USERNAME_WORDS = ("u/", "user", "handle", "screen", "login", "gamertag")


def ipv6(text: str):
    """IPv6 addresses, which may hold no decimal digit but always a hex digit, a colon and another."""
    if not HEX_COLON.search(text):
        return
    for m in IPV6.finditer(text):
        candidate = m.group(0)
        if candidate.count(":") < 2:
            continue
        try:
            ipaddress.IPv6Address(candidate)
        except ValueError:
            continue
        yield "ip-address", m.start(), m.end()


def handles(text: str):
    for m in HANDLE.finditer(text) if "@" in text else ():
        yield "handle", m.start(), m.end()
    lowered = text.lower()
    for m in USERNAME.finditer(text) if any(w in lowered for w in USERNAME_WORDS) else ():
        if m.group(1):
            yield "username", m.start(1), m.end(1)
        else:
            yield "username", m.start(), m.end()


def phones(text: str):
    """phonenumbers decides; only digit runs long enough to be numbers are handed to it."""
    seen: set[tuple[int, int]] = set()
    for hint in PHONE_HINT.finditer(text):
        start = max(0, hint.start() - 4)
        window = text[start:hint.end() + 1]
        for region in REGIONS:
            for match in phonenumbers.PhoneNumberMatcher(window, region, leniency=phonenumbers.Leniency.POSSIBLE):
                span = (start + match.start, start + match.end)
                if span in seen or not _plausible(match.raw_string):
                    continue
                seen.add(span)
                kind = "fax" if FAX.search(text[max(0, span[0] - 16):span[0]]) else "phone"
                yield kind, span[0], span[1]


def _plausible(raw: str) -> bool:
    digits = sum(c.isdigit() for c in raw)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d+\.\d+|\d{5}-\d{3}", raw.strip()):  # a date, a decimal, a CEP
        return False
    return 7 <= digits <= 15 and (not raw.strip().isdigit() or digits in (10, 11) or raw.strip().startswith("0"))
