"""Person names: large public name lists, capitals and context, read over a paragraph's words.

A run of words is a name when
- a title or an introducing word stands before it ("Dr. Okafor", "my colleague Priya", "her maiden name is Clark";
  after one, lower-case name words count too: "nurse leone mazzi");
- it starts with a given name or an initial and ends with a surname or a word that is not ordinary English
  ("Jake Thompson", "Ruth R Montez", "D. Jones", "Michael T.", "Benício da Cunha");
- or it is one given name that is not also an ordinary word ("John's notes", "I told Priya"), or one surname that
  is not, inside a sentence ("Sandberg said").
Ordinary words are told apart by their frequency (lexicon.py); medical eponyms ("Parkinson's disease", "Foley
catheter") by the word after them (`[people] eponym_followers`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from anonymize.scrub.findings.gazetteer import places as gazetteer
from anonymize.scrub.findings.lexicon import lexicon
from anonymize.scrub.findings.tables import alternation, tables
from anonymize.scrub.findings.tokens import Token, joined, tokens

MAX_WORDS = 4


@lru_cache(maxsize=1)
def _words():
    t = tables()["people"]
    titles = frozenset(w.rstrip(".").lower() for w in t["titles"])
    intro = {}
    for phrase in t["introducers"]:
        words = tuple(phrase.lower().split())
        intro.setdefault(words[-1], []).append(words)
    return (titles, intro, frozenset(t["not_names"]), frozenset(t["particles"]), frozenset(t["eponym_followers"]),
            frozenset(w.lower() for w in t["locative"]))


def _after_context(toks: tuple[Token, ...], i: int) -> bool:
    """Whether a title or an introducing phrase ends just before token i."""
    titles, intro, *_ = _words()
    if i == 0:
        return False
    prev = toks[i - 1]
    gap = toks[i].gap.strip()
    if prev.possessive:
        return False  # "her mother's breathlessness": what belongs to someone, not a name
    if prev.lower in titles and gap in ("", ".", ",") and (prev.cap or prev.lower in ("nurse", "doctor")):
        return True
    if gap not in ("", ",", ":", "—", "-", "–"):
        return False
    for phrase in intro.get(prev.lower, ()):
        k = len(phrase)
        if i - k < 0:
            continue
        if all(toks[i - k + j].lower == phrase[j] for j in range(k)) and all(
                toks[i - k + j + 1].gap.strip() == "" for j in range(k - 1)):
            return True
    return False


def _is_initial(tok: Token) -> bool:
    return len(tok.text) == 1 and tok.text.isupper()


def names(text: str):
    toks = tokens(text)
    lex = lexicon()
    places = gazetteer()
    titles, _intro, stop, particles, eponyms, locative = _words()
    n = len(toks)
    i = 0
    while i < n:
        tok = toks[i]
        context = _after_context(toks, i)
        initial = _is_initial(tok) and tok.dot
        lead_particle = context and tok.text in particles and i + 1 < n and toks[i + 1].cap
        lower_ok = context and not tok.cap and (_lower_name(tok, lex) or lead_particle)
        if not (tok.cap or lower_ok) or (tok.text in stop and not initial) or tok.lower in titles:
            i += 1
            continue
        # The run: capitalised words (or lower-case name words after a context), initials and inner particles.
        j = i + 1
        while j < n and j - i < MAX_WORDS + 2 and _joined(toks[j - 1], toks[j], context):
            nxt = toks[j]
            if (nxt.text in stop and not (_is_initial(nxt) and nxt.dot)) or nxt.lower in titles:
                break
            if nxt.cap or (lower_ok and _lower_surname(nxt, lex)):
                j += 1
            elif nxt.text in particles:
                k = j
                while k < n and toks[k].text in particles and _joined(toks[k - 1], toks[k], context):
                    k += 1
                if k < n and toks[k].cap and _joined(toks[k - 1], toks[k], context):
                    j = k + 1
                else:
                    break
            else:
                break
            if toks[j - 1].possessive:
                break
        run = list(toks[i:j])
        while len(run) > 1 and (run[-1].text in stop or run[-1].text in particles):
            run.pop()
        end_tok = run[-1]
        follower = toks[j].lower if j < n and joined(toks[j - 1], toks[j]) else ""
        if follower in eponyms and not context:
            i = j
            continue
        after_number = tok.gap.rstrip(" \t")[-1:].isdigit()  # "57566 Ann Freeway": an address, not a name
        if (context or not after_number and _looks_like_name(run, lex, places, toks, i, locative, particles)) and \
                not _PLACE_BEFORE.search(text, max(0, tok.start - 40), tok.start):
            # (after "grew up in", "moved to", "the town of": a place, reported by places.by_context)
            yield "name", run[0].start, end_tok.end + (1 if _is_initial(end_tok) and end_tok.dot else 0)
        i = j


class _PlaceBefore:
    """Searches for a place-introducing phrase ("grew up in ") that ends where a run of words begins."""

    @lru_cache(maxsize=1)  # noqa: B019 - one pattern for the process
    def pattern(self) -> re.Pattern:
        return re.compile(rf"\b(?:{alternation(tables()['places']['context'])})[ \t]+$")

    def search(self, text: str, start: int, end: int):
        return self.pattern().search(text, start, end)


_PLACE_BEFORE = _PlaceBefore()


def _joined(tok: Token, nxt: Token, context: bool) -> bool:
    """Words of one name: on one line unless a title or introducer vouches for the run."""
    return joined(tok, nxt) and not nxt.sentence_start and (context or "\n" not in nxt.gap)


def _lower_name(tok: Token, lex) -> bool:
    """A lower-case word that can be a name after a title or introducer: a given name that is not mostly an
    ordinary word, or a word too rare to be in the frequency list ("mazzi")."""
    freq = lex.frequency(tok.text)
    return (lex.is_given(tok.text) and lex.is_name_word(tok.text) or
            freq == 0.0 and tok.text.isalpha() and len(tok.text) > 1)


def _lower_surname(tok: Token, lex) -> bool:
    """A lower-case word after a lower-case given name: a surname that is not mostly an ordinary word."""
    return _lower_name(tok, lex) or lex.is_surname(tok.text) and lex.is_name_word(tok.text) and lex.frequency(
        tok.text) < 4.3


def _looks_like_name(run: list[Token], lex, places: dict, toks, i: int, locative, particles) -> bool:
    first, last = run[0], run[-1]
    words = [t for t in run if t.text not in particles]
    if len(words) >= 2:
        phrase = " ".join(t.text for t in run)
        if places.get(phrase, 0) != 0 or phrase in tables()["public_names"]:
            return False  # "Salt Lake City", "Jackson Heights": the place detector's
        if _is_initial(first):
            return first.dot and (lex.is_surname(last.text) or not lex.common(last.text)) and not _is_initial(last)
        if _is_initial(last):  # "Michael T.", "Leyre B." (a given name no list knows is no English word either)
            return last.dot and (lex.is_given(first.text) or lex.frequency(first.text) == 0.0) and len(run) <= 3
        if any(lex.common(t.text) for t in words[1:]):
            return False  # "Ann Freeway", "Grace Period"
        given = lex.is_given(first.text)
        if given and lex.is_name_word(first.text) and (lex.is_surname(last.text) or not lex.common(last.text)):
            return True
        if given and lex.is_surname(last.text) and lex.is_name_word(last.text):
            return True  # "June Singh", "April Barr": a month or a word first, but a surname after it
        # Words none of which is ordinary English nor a place ("Ize Bezemer", "Desiderio Valbuena").
        return (not first.sentence_start or lex.is_name_word(first.text)) and all(
            lex.frequency(t.text) < 3.0 and places.get(t.text, 0) < 15_000 for t in words)
    word = first
    if _is_initial(word) or not lex.is_name_word(word.text) or word.text.isupper():
        return False
    if i > 0 and toks[i - 1].lower in locative and places.get(word.text, 0) > 0:
        return False  # "in Florence": the place detector's
    if lex.is_given(word.text):
        return not word.sentence_start or lex.frequency(word.text) < 3.6 or word.possessive
    # A surname alone, inside a sentence, that is not an ordinary word.
    return not word.sentence_start and lex.frequency(word.text) < 4.5 and not word.possessive and places.get(
        word.text, 0) < 1
