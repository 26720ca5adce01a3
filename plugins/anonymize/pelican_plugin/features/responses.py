"""Link essays that respond to each other, once per build.

Looking responses up in the template walks every essay for every essay
(quadratic: minutes at 10,000 essays); a map built once here is linear.
"""

from __future__ import annotations

import logging

logger = logging.getLogger("anonymize")


def link_responses(generator) -> None:
    """Set `responds_to` (an essay or None) and `responses` (a list) on every essay."""
    articles = list(generator.articles) + list(getattr(generator, "hidden_articles", []))
    by_slug = {a.slug: a for a in articles}
    for article in articles:
        article.responses = []
    for article in articles:
        target = getattr(article, "response_to", None)
        article.responds_to = by_slug.get(target) if target else None
        if target and article.responds_to is None:
            logger.warning(
                "anonymize: %s responds to %r, which is not a published essay", article.relative_source_path, target
            )
        elif article.responds_to is not None:
            article.responds_to.responses.append(article)
    for article in articles:
        article.responses.sort(key=lambda a: a.date)
