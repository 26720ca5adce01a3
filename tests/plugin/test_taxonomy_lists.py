"""Taxonomy lists that answer `in` at once (taxonomy_lists.py) answer as Pelican's plain lists do."""

from __future__ import annotations

import random

from anonymize.pelican_plugin.speed.taxonomy_lists import Members, on_generators


class Essay:  # compares by identity, as Pelican's content does
    def __init__(self, n: int) -> None:
        self.n = n


class Equal:  # an item with its own equality: still found as list.__contains__ finds it
    def __init__(self, n: int) -> None:
        self.n = n

    def __eq__(self, other) -> bool:
        return isinstance(other, Equal) and other.n == self.n

    __hash__ = None


def test_membership_is_a_plain_lists():
    rng = random.Random(3)
    essays = [Essay(i) for i in range(300)]
    chosen = rng.sample(essays, 120)
    members = Members(chosen)
    assert list(members) == chosen and len(members) == 120 and members[3:5] == chosen[3:5]
    for essay in essays + [Essay(1)]:
        assert (essay in members) == (essay in chosen)
    late = Essay(999)
    members.append(late)  # a list changed afterwards is still answered right
    assert late in members
    assert Equal(5) in Members([Equal(5)]) and Equal(6) not in Members([Equal(5)])


def test_generators_lists_are_replaced_with_the_same_items():
    class Generator:
        pass

    a, b, c = Essay(1), Essay(2), Essay(3)
    gen = Generator()
    gen.tags = {"night": [a, b], "rota": [c]}
    gen.categories = [("Burnout", [a]), ("Training", [b, c])]
    gen.authors = [("Anonymous", [a, b, c])]
    on_generators([gen])
    assert all(isinstance(v, Members) for v in gen.tags.values())
    assert gen.tags == {"night": [a, b], "rota": [c]}
    assert [(k, list(v)) for k, v in gen.categories] == [("Burnout", [a]), ("Training", [b, c])]
    assert isinstance(gen.authors[0][1], Members) and b in gen.authors[0][1] and Essay(2) not in gen.authors[0][1]
