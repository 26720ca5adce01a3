"""Capitalised words of a paragraph, with what the name and place detectors ask of them, found once.

Names and places begin with a capital; about one word in ten of prose has one. The detectors walk these words
(found by one regex, in C) rather than every word: each knows the word before it (for "Dr", "in", "my colleague"),
the characters between them, and whether it starts a sentence. A token never spans a blank line: `detect()` hands
detectors one paragraph at a time.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

# A capitalised word: letters, with inner hyphens and apostrophes ("O'Brien", "Wieloch-Bolnbach", "John's").
CAPITAL_WORD = re.compile(r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ][^\W\d_]*(?:[-'’][^\W\d_]+)*(?:['’]s?(?![\w]))?")
_BLANK_LINE = re.compile(r"\n[ \t]*\n[ \t\n]*")
_STARTERS = frozenset(".!?:;\"“”([*#>|•–—-")


class Token(NamedTuple):
    start: int
    end: int  # end of the base word (without a possessive 's)
    text: str  # the base word ("John" for "John's")
    possessive: bool
    dot: bool  # a full stop follows ("Dr.", "D.")
    sentence_start: bool  # first word of a sentence, line or paragraph
    gap: str  # the characters between the word before and this one
    before: str  # the word before, lower case ("" at the start)
    before_possessive: bool  # the word before ends in 's ("her mother's ...")
    cap: bool  # capitalised (not all capitals unless a single letter)
    lower: str  # the word in lower case


def _before(text: str, start: int) -> tuple[str, str, bool]:
    """The word before `start` (without a possessive 's), the characters between, and whether it had an 's."""
    lo = max(0, start - 48)
    j = start
    while j > lo and not text[j - 1].isalnum():
        j -= 1
    gap = text[j:start]
    if "\n" in gap and (brk := _BLANK_LINE.search(gap)):  # the word before is in another paragraph: none
        return "", gap[brk.end():], False
    possessive = False
    if j - 2 >= lo and text[j - 1] in "sS" and text[j - 2] in "'’":
        possessive, j = True, j - 2
    k = j
    while k > lo and (text[k - 1].isalpha() or text[k - 1] in "'’-" and k - 2 >= lo and text[k - 2].isalpha()):
        k -= 1
    if k == j:  # a digit or nothing before: no word
        return "", gap if not possessive else text[j:start], False
    return text[k:j], gap, possessive


@lru_cache(maxsize=8)
def tokens(text: str) -> tuple[Token, ...]:
    """Capitalised words of `text`, in order."""
    out: list[Token] = []
    for m in CAPITAL_WORD.finditer(text):
        word, end = m.group(0), m.end()
        possessive = word[-2:] in ("'s", "’s")
        if possessive:
            word, end = word[:-2], end - 2
        elif word[-1] in "'’":
            word, end = word[:-1], end - 1
        before, gap, before_possessive = _before(text, m.start())
        stripped = gap.strip()
        if not before:
            sentence_start = True
        elif not stripped:
            sentence_start = False
        elif stripped == "." and before[:1].isupper() and len(before) <= 3:
            sentence_start = False  # "Dr. Jones", "St. Louis", "D. Jones"
        else:
            sentence_start = stripped[-1] in _STARTERS or stripped[0] in ".!?"
        out.append(Token(m.start(), end, word, possessive, not possessive and text[end:end + 1] == ".",
                         sentence_start, gap, before.lower(), before_possessive,
                         len(word) == 1 or not word.isupper(), word.lower()))
    return tuple(out)


def joined(tok: Token, nxt: Token) -> bool:
    """Whether `nxt` follows `tok` directly: one space or line break between them, or ". " after an abbreviation or
    initial ("St. Louis", "D. Jones")."""
    if nxt.start - tok.end > 3 or nxt.before != tok.lower:
        return False
    gap = nxt.gap
    return gap in (" ", "\n", "\u00a0") or tok.dot and gap in (". ", ".\n") and len(tok.text) <= 3


def after_phrase(text: str, tok: Token, phrases: dict[str, list[str]]) -> bool:
    """Whether one of `phrases` (lower case, keyed by their last word) ends at the word before `tok`, with only
    spaces, a comma or a colon between."""
    candidates = phrases.get(tok.before)
    if not candidates or tok.gap.strip() not in ("", ",", ":"):
        return False
    end = tok.start - len(tok.gap)
    window = text[max(0, end - 40):end].lower()
    return any(window.endswith(p) and (len(window) == len(p) or not window[-len(p) - 1].isalnum())
               for p in candidates)
