"""Related essays (most tags in common), as Pelican's related_posts plugin chooses them, ranked once per tag set.

Pelican's plugin counts, for every essay, every other essay that shares one of
its tags: with popular tags that grows with the square of the essays (10 s of
a 10,000-essay build here). Essays with the same tags get the same ranking, so
the ranking is made once per set of tags (and category, when same-category
essays are skipped) and each essay takes it minus itself. A site where every
essay has its own set of tags costs what Pelican's plugin costs, no more. The settings and the `Related_posts:`
header work as in Pelican's plugin; tests/test_related.py compares both.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain


def add_related_posts(generator) -> None:
    numentries = generator.settings.get("RELATED_POSTS_MAX", 5)
    skipcategory = generator.settings.get("RELATED_POSTS_SKIP_SAME_CATEGORY", False)
    ranked: dict[tuple, list] = {}
    for article in chain(generator.articles, generator.drafts):
        if hasattr(article, "related_posts"):  # named by the editor: as Pelican's plugin reads them
            posts = []
            for slug in (s.strip() for s in article.related_posts.split(",")):
                posts += [a for a in generator.articles if a.slug == slug][:numentries]
            article.related_posts = posts
            continue
        if not hasattr(article, "tags"):
            continue
        key = (tuple(article.tags), article.category if skipcategory else None)
        top = ranked.get(key)
        if top is None:
            related = chain(*(generator.tags[tag] for tag in article.tags))
            if skipcategory:
                related = (other for other in related if other.category != article.category)
            # One more than needed: the essay itself may be among them. Ties keep the order of first
            # appearance, with or without it, as in Counter.most_common.
            top = [other for other, _count in Counter(related).most_common(numentries + 1)]
            ranked[key] = top
        article.related_posts = [other for other in top if other is not article][:numentries]
