"""Each essay's and page's URL, formatted once when the generators are done instead of on every use.

Pelican's `Content.url` is a property that formats the URL setting anew on
each access, with a path computation inside; the templates ask for it about a
dozen times per page written (lists, neighbours, related essays, series, feeds,
the sitemap), which made it a tenth of the write phase. Nothing changes an
essay's slug, date or category once the generators are done, so the value is
fixed then through Pelican's own `override_url` (which only `url` reads; the
file an essay is written to is left alone). tests/test_fixed_urls.py checks
the fixed value against Pelican's own for every essay and page of the sample.
"""

from __future__ import annotations

CONTENT_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations", "drafts", "drafts_translations",
                 "pages", "hidden_pages", "draft_pages", "draft_translations")


def on_generators(generators) -> None:
    for generator in generators:
        for name in CONTENT_LISTS:
            for content in getattr(generator, name, None) or ():
                if not hasattr(content, "override_url"):  # an editor's own override stays as it is
                    content.override_url = content.url
