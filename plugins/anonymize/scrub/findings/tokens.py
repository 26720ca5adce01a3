"""Words of a paragraph with what the name and place detectors ask of them, found once per paragraph.

A detector that looks words up in a set (names, places) walks these tokens instead of trying a regex at every
position. A token never spans a blank line: `detect()` hands detectors one paragraph at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# A word: letters, with inner hyphens and apostrophes ("O'Brien", "Wieloch-Bolnbach", "John's").
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*(?:['’](?!\w))?")
_STARTERS = frozenset(".!?:;\"“”([*#>|•–—-")


@dataclass(frozen=True)
class Token:
    start: int
    end: int  # end of the base word (without a possessive 's)
    text: str  # the base word ("John" for "John's")
    possessive: bool
    dot: bool  # a full stop follows ("Dr.", "D.")
    sentence_start: bool  # first word of a sentence, line or paragraph
    gap: str  # the characters between the previous token and this one

    @property
    def cap(self) -> bool:
        """Capitalised (not all capitals unless a single letter)."""
        t = self.text
        return t[:1].isupper() and (len(t) == 1 or not t.isupper())

    @property
    def lower(self) -> str:
        return self.text.lower()


@lru_cache(maxsize=8)
def tokens(text: str) -> tuple[Token, ...]:
    out: list[Token] = []
    prev_end = 0
    for m in WORD.finditer(text):
        word, end = m.group(0), m.end()
        possessive = word[-2:] in ("'s", "’s") and len(word) > 2
        if possessive:
            word, end = word[:-2], end - 2
        elif word[-1] in "'’":
            word, end = word[:-1], end - 1
        gap = text[prev_end:m.start()]
        prev = out[-1] if out else None
        stripped = gap.strip()
        if prev is None:
            sentence_start = True
        elif not stripped:
            sentence_start = False
        elif stripped == "." and prev.text[:1].isupper() and len(prev.text) <= 3:
            sentence_start = False  # "Dr. Jones", "St. Louis", "D. Jones"
        else:
            sentence_start = stripped[-1] in _STARTERS or stripped[0] in ".!?"
        out.append(Token(m.start(), end, word, possessive, not possessive and text[end:end + 1] == ".",
                         sentence_start, gap))
        prev_end = m.end()
    return tuple(out)


def joined(tok: Token, nxt: Token) -> bool:
    """Whether `nxt` continues the phrase `tok` is in: one space or one line break between them, or ". " after an
    abbreviation or initial ("St. Louis", "D. Jones")."""
    gap = nxt.gap
    return gap in (" ", "\n", "\u00a0") or (tok.dot and gap in (". ", ".\n", ".")) and len(tok.text) <= 3
