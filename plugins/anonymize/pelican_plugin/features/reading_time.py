"""Reading time for each essay, from the words a reader will actually see."""

from __future__ import annotations

import re

_TAG = re.compile(r"<[^>]+>")
WORDS_PER_MINUTE = 230


def minutes(html: str) -> int:
    # str.split counts words in C; a regex findall over every essay was a visible share of a rebuild.
    return max(1, round(len(_TAG.sub(" ", html or "").split()) / WORDS_PER_MINUTE))


def on_articles(generator) -> None:
    for article in list(generator.articles) + list(getattr(generator, "hidden_articles", [])):
        article.reading_time = minutes(article._content)
