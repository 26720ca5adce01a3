"""Reading time for each essay, from the words a reader will actually see."""

from __future__ import annotations

import re

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+")
WORDS_PER_MINUTE = 230


def minutes(html: str) -> int:
    return max(1, round(len(_WORD.findall(_TAG.sub(" ", html or ""))) / WORDS_PER_MINUTE))


def on_articles(generator) -> None:
    for article in list(generator.articles) + list(getattr(generator, "hidden_articles", [])):
        article.reading_time = minutes(article._content)
