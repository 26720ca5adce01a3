"""Invisible characters out, visible text untouched.

Zero-width characters, bidi controls, tag characters and stray variation
selectors can watermark a text (a different pattern in each copy sent to a
suspected leaker) or reverse what a reader sees. They are removed, except
where they do a visible job: the joiner inside an emoji sequence, the
variation selector after an emoji, ZWNJ inside Persian or Indic words.
Words that mix look-alike scripts ("раtient" with Cyrillic letters) are
reported as findings, not changed: the editor decides.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anonymize.scrub.rules import load


def _ranges(pairs) -> list[tuple[int, int]]:
    return [(int(a, 16), int(b, 16)) for a, b in pairs]


@lru_cache(maxsize=1)
def _tables():
    t = load("text")
    invisible = _ranges(t["invisible"]["ranges"])
    forbidden = _ranges(t["forbidden"]["ranges"])
    ctx = t["contextual"]
    variation = _ranges(ctx["variation"])
    tags = _ranges(ctx["tags"])
    emoji = _ranges(t["emoji"]["ranges"])
    chars = "".join(f"{_esc(a)}-{_esc(b)}" for a, b in invisible + forbidden + variation + tags)
    chars += _esc(int(ctx["zwj"], 16)) + _esc(int(ctx["zwnj"], 16))
    suspicious = re.compile(f"[{chars}]")
    return {
        "invisible": invisible,
        "forbidden": forbidden,
        "variation": variation,
        "tags": tags,
        "emoji": emoji,
        "zwj": int(ctx["zwj"], 16),
        "zwnj": int(ctx["zwnj"], 16),
        "suspicious": suspicious,
        "zwnj_scripts": tuple(t["zwnj_scripts"]["prefixes"]),
        "lookalike": tuple(t["lookalike"]["scripts"]),
    }


def _esc(cp: int) -> str:
    return f"\\U{cp:08x}"


def _in(cp: int, ranges) -> bool:
    return any(a <= cp <= b for a, b in ranges)


def _is_emoji(ch: str) -> bool:
    cp = ord(ch)
    return _in(cp, _tables()["emoji"]) or 0x1F3FB <= cp <= 0x1F3FF


def _script(ch: str) -> str:
    try:
        return unicodedata.name(ch).split(" ", 1)[0]
    except ValueError:
        return ""


FORBIDDEN = "control or noncharacter (not allowed in XML 1.0)"


def removal_kind(name: str) -> str:
    """The report kind of a character `clean_text` removed: forbidden in XML, or invisible."""
    return "forbidden-character" if name.endswith(FORBIDDEN) else "invisible-character"


def clean_text(text: str) -> tuple[str, list[str]]:
    """Return `text` without invisible characters, and the names of what was removed."""
    t = _tables()
    if not text or not t["suspicious"].search(text):
        return text, []
    out: list[str] = []
    removed: list[str] = []
    n = len(text)
    for i, ch in enumerate(text):
        cp = ord(ch)
        if not t["suspicious"].match(ch):
            out.append(ch)
            continue
        prev = out[-1] if out else ""
        nxt = text[i + 1] if i + 1 < n else ""
        keep = False
        if cp == t["zwj"]:
            keep = bool(prev) and bool(nxt) and _emoji_base(out) and _is_emoji(nxt)
        elif cp == t["zwnj"]:
            keep = bool(prev) and bool(nxt) and _script(prev) in t["zwnj_scripts"] and _script(nxt) in t["zwnj_scripts"]
        elif _in(cp, t["variation"]):
            keep = cp in (0xFE0E, 0xFE0F) and bool(prev) and _is_emoji(prev)
        elif _in(cp, t["tags"]):
            keep = _in_tag_sequence(out)
        if keep:
            out.append(ch)
        elif _in(cp, t["forbidden"]):
            removed.append(f"U+{cp:04X} {FORBIDDEN}")
        else:
            removed.append(f"U+{cp:04X} {unicodedata.name(ch, 'unnamed')}")
    return "".join(out), removed


def _emoji_base(out: list[str]) -> bool:
    """The last visible character before a joiner is an emoji (skipping selectors and skin tones)."""
    for ch in reversed(out):
        cp = ord(ch)
        if cp in (0xFE0F, 0xFE0E) or 0x1F3FB <= cp <= 0x1F3FF:
            continue
        return _is_emoji(ch)
    return False


def _in_tag_sequence(out: list[str]) -> bool:
    """Tag characters are kept only after a black flag (U+1F3F4) and other tags."""
    for ch in reversed(out):
        cp = ord(ch)
        if 0xE0020 <= cp <= 0xE007E:
            continue
        return cp == 0x1F3F4
    return False


_WORD = re.compile(r"\w+")


def lookalikes(text: str) -> list[str]:
    """Words that mix letters from look-alike scripts."""
    if text.isascii():
        return []
    scripts = _tables()["lookalike"]
    found = []
    for m in _WORD.finditer(text):
        word = m.group(0)
        if word.isascii():
            continue
        seen = {s for s in (_script(c) for c in word if c.isalpha()) if s in scripts}
        if len(seen) > 1:
            found.append(word)
    return found
