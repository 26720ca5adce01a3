"""related.py chooses exactly the related essays Pelican's related_posts plugin chooses."""

from __future__ import annotations

import random
from types import SimpleNamespace

import pytest
from anonymize.pelican_plugin.features.related import add_related_posts
from pelican.plugins.related_posts.related_posts import add_related_posts as pelicans


class Essay:
    """Like Pelican's content objects: hashed and compared by identity."""

    def __init__(self, slug: str, category: str) -> None:
        self.slug, self.category = slug, category


def _site(seed: int, skip: bool, count: int = 300):
    rng = random.Random(seed)
    tags = [f"tag{i}" for i in range(8)]
    articles = []
    for i in range(count):
        article = Essay(f"essay-{i}", rng.choice("abc"))
        if rng.random() < 0.9:
            article.tags = rng.sample(tags, rng.randint(1, 3))
        if rng.random() < 0.05:
            article.related_posts = ", ".join(f"essay-{rng.randrange(count)}" for _ in range(rng.randint(1, 4)))
        articles.append(article)
    by_tag: dict[str, list] = {}
    for article in articles:
        for tag in getattr(article, "tags", []):
            by_tag.setdefault(tag, []).append(article)
    settings = {"RELATED_POSTS_MAX": 3, "RELATED_POSTS_SKIP_SAME_CATEGORY": skip}
    return SimpleNamespace(articles=articles[:-10], drafts=articles[-10:], tags=by_tag, settings=settings), articles


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("skip", [False, True])
def test_same_choice_as_pelicans_plugin(seed, skip):
    ours, ours_articles = _site(seed, skip)
    theirs, their_articles = _site(seed, skip)
    add_related_posts(ours)
    pelicans(theirs)
    index = {id(a): i for i, a in enumerate(ours_articles)} | {id(a): i for i, a in enumerate(their_articles)}
    for a, b in zip(ours_articles, their_articles, strict=True):
        got = [index[id(x)] for x in getattr(a, "related_posts", [])]
        expected = [index[id(x)] for x in getattr(b, "related_posts", [])]
        assert got == expected, a.slug
    assert sum(bool(getattr(a, "related_posts", None)) for a in ours_articles) > 200
