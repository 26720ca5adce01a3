"""Each tag's, category's and author's list of essays answers "is this essay in it?" at once.

Pelican writes each tag, category and author page with its essays in date
order, found as `[a for a in self.dates if a in articles]`: every essay of the
site tested against the taxonomy's list, one comparison at a time. That is
quadratic: 0.05 s of a 1,000-essay build, 0.4 s at 3,000, about 4.5 s at
10,000. Pelican's content objects compare by identity (they define no `__eq__`),
so a list that also keeps the identities of its items answers the same
question at once. The lists stay lists (templates iterate, slice and count
them); nothing Pelican or a template sees changes, only how fast `in` is.
tests/plugin/test_taxonomy_lists.py checks the answers against a plain list's.

Done once the generators are done (as fixed_urls.py), when nothing adds an
essay to a tag any more. Off with `ANONYMIZE_FAST_TAXONOMY = False`.
"""

from __future__ import annotations


class Members(list):
    """A list whose `in` is a set lookup of its items' identities (rebuilt if the list's length changes)."""

    __slots__ = ("_ids", "_size")

    def __init__(self, items=()) -> None:
        super().__init__(items)
        self._ids: set[int] = set()
        self._size = -1

    def __contains__(self, item) -> bool:
        if self._size != len(self):
            self._ids = {id(x) for x in self}
            self._size = len(self)
        if id(item) in self._ids:
            return True
        # An object equal to an item without being it (content with its own `__eq__`) is found as list.__contains__
        # would find it; for Pelican's content, which compares by identity, this is never reached with a True.
        return type(item).__eq__ is not object.__eq__ and list.__contains__(self, item)


def on_generators(generators) -> None:
    for generator in generators:
        tags = getattr(generator, "tags", None)
        if isinstance(tags, dict):
            for tag, articles in tags.items():
                if isinstance(articles, list) and not isinstance(articles, Members):
                    tags[tag] = Members(articles)
        for name in ("categories", "authors"):
            pairs = getattr(generator, name, None)
            if isinstance(pairs, list):
                for i, pair in enumerate(pairs):
                    if isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[1], list):
                        pairs[i] = (pair[0], pair[1] if isinstance(pair[1], Members) else Members(pair[1]))
