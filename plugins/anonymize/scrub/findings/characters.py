"""Hidden characters and look-alike letters, by the same tables the scrubber uses."""

from __future__ import annotations

import re

from anonymize.scrub.text_scrub import clean_text, lookalikes

WORD = re.compile(r"\w+")


def hidden(text: str):
    if text.isascii():
        return
    cleaned, removed = clean_text(text)
    if not removed:
        return
    # Report each removed character where it sits.
    j = 0
    for i, ch in enumerate(text):
        if j < len(cleaned) and cleaned[j] == ch:
            j += 1
            continue
        yield "hidden-character", i, i + 1


def lookalike(text: str):
    if text.isascii():
        return
    bad = set(lookalikes(text))
    for m in WORD.finditer(text):
        if m.group(0) in bad:
            yield "lookalike", m.start(), m.end()
