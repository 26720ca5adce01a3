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
from anonymize.scrub.findings.tokens import Token, after_phrase, joined, tokens

MAX_WORDS = 4


@lru_cache(maxsize=1)
def _words():
    t = tables()["people"]
    titles = sorted({w.rstrip(".") for w in t["titles"]} | {w.rstrip(".").lower() for w in t["titles"]})
    before = None
    # A title or a few introducing words, then lower-case words ("my patient leone mazzi", "dr. leone mazzi"): the
    # words are found by literal searches (fast in C), the rest is matched where one stands.
    lower = (re.compile(alternation(t["lowercase_after"])),
             re.compile(r"\.?[,:]?[ \t]+([a-zß-öø-ÿ][^\W\d_]*(?:[ \t]+[a-zß-öø-ÿ][^\W\d_]*){1,2})"))
    particles = frozenset(t["particles"])
    particle_gap = re.compile(rf"[ \t](?:(?:{alternation(particles)})[ \t])+\Z")
    return (frozenset(w.lower() for w in titles), before, lower, frozenset(t["not_names"]), particles, particle_gap,
            frozenset(t["eponym_followers"]), frozenset(w.lower() for w in t["locative"]))


def _is_initial(tok: Token) -> bool:
    return len(tok.text) == 1 and tok.text.isupper()


@lru_cache(maxsize=1)
def _phrases() -> tuple[frozenset[str], frozenset[str], dict[str, list[str]], dict[str, list[str]]]:
    """Titles (lower case), and introducing and place phrases by their last word."""
    t = tables()
    titles = frozenset(w.rstrip(".").lower() for w in t["people"]["titles"])
    abbreviations = frozenset(w.rstrip(".").lower() for w in t["people"]["titles"] if w.endswith(".") or len(w) <= 3)
    intro: dict[str, list[str]] = {}
    for phrase in t["people"]["introducers"]:
        intro.setdefault(phrase.split()[-1], []).append(phrase)
    place: dict[str, list[str]] = {}
    for phrase in t["places"]["context"]:
        place.setdefault(phrase.split()[-1].lower(), []).append(phrase.lower())
    return titles, abbreviations, intro, place


def _context(text: str, tok: Token) -> bool:
    """Whether a title or an introducing phrase ends just before `tok`."""
    if tok.before_possessive:
        return False  # "her mother's Volvo": what belongs to someone
    titles, abbreviations, intro, _place = _phrases()
    gap = tok.gap.strip()
    if tok.before in titles and (gap in ("", ",") or gap == "." and tok.before in abbreviations):
        return True  # "Dr. Jones", "Nurse Jones"; not "... to the nurse. Jones"
    return after_phrase(text, tok, intro)


def names(text: str):
    lex = lexicon()
    yield from _lower_case_names(text, lex)
    toks = tokens(text)
    places = gazetteer()
    titles, _before, _lower, stop, particles, particle_gap, eponyms, locative = _words()
    n = len(toks)
    i = 0
    while i < n:
        tok = toks[i]
        initial = _is_initial(tok) and tok.dot
        if not tok.cap or (tok.text in stop and not initial) or tok.lower in titles:
            i += 1
            continue
        context = _context(text, tok)
        # The run: capitalised words, initials, and lower-case particles between them ("Nick van Oostendorp").
        j = i + 1
        while j < n and j - i < MAX_WORDS and not toks[j].sentence_start and toks[j].cap:
            nxt, prev = toks[j], toks[j - 1]
            direct = joined(prev, nxt)
            if not direct and not particle_gap.match(text, prev.end, nxt.start):
                break
            if "\n" in text[prev.end:nxt.start] and not context:
                break  # an address's next line is not the rest of a name
            if (nxt.text in stop and not (_is_initial(nxt) and nxt.dot)) or nxt.lower in titles or prev.possessive:
                break
            j += 1
        run = list(toks[i:j])
        while len(run) > 1 and run[-1].text in stop:
            run.pop()
        end_tok = run[-1]
        after = text[end_tok.end:end_tok.end + 24].split(None, 1)
        follower = after[0].strip(".,;:!?)").lower() if after and not end_tok.possessive else ""
        if follower in eponyms and not context:
            i = j
            continue
        after_number = tok.gap.rstrip(" \t")[-1:].isdigit()  # "57566 Ann Freeway": an address, not a name
        if not context and len(run) >= 3 and lex.common(run[0].text) and not _looks_like_name(
                run, lex, places, locative, text):
            run = run[1:]  # "Baby Amara Osei", "Poor Walter Kaminski": the name after an ordinary word
            tok = run[0]
        if (context or not after_number and _looks_like_name(run, lex, places, locative, text)) and \
                not after_phrase(text, tok, _phrases()[3]):
            # (after "grew up in", "moved to", "the town of": a place, reported by places.by_context)
            yield "name", run[0].start, end_tok.end + (1 if _is_initial(end_tok) and end_tok.dot else 0)
        i = j


def _lower_case_names(text: str, lex):
    """Lower-case names after a title or introducer: "my patient leone mazzi", "dr. anthony salazar"."""
    trigger, rest = _words()[2]
    for t in trigger.finditer(text):
        if t.start() and (text[t.start() - 1].isalnum() or text[t.start() - 1] == "_"):
            continue
        m = rest.match(text, t.end())
        if m is None:
            continue
        words = list(re.finditer(r"\S+", m.group(1)))
        if not words or not _lower_name(words[0].group(0), lex):
            continue
        keep = 1
        while keep < len(words) and _lower_surname(words[keep].group(0), lex):
            keep += 1
        if keep >= 2:  # a given name and a surname: one lower-case word alone is too often a word ("nurse rota")
            yield "name", m.start(1), m.start(1) + words[keep - 1].end()


def _lower_name(word: str, lex) -> bool:
    """A lower-case given name that is plainly a name, not also an ordinary word ("leone", "john"; not "will",
    "ward", "rota")."""
    return lex.is_given(word) and (lex.name_excess(word) <= 0.8 or lex.frequency(word) < 3.7)


def _lower_surname(word: str, lex) -> bool:
    """A lower-case word after a lower-case given name: a name, or a word too rare to be in the list ("mazzi")."""
    return _lower_name(word, lex) or lex.is_surname(word) and lex.name_excess(word) <= 0.8 or (
        lex.frequency(word) == 0.0 and word.isalpha() and len(word) > 1)


def _looks_like_name(run: list[Token], lex, places: dict, locative, text: str) -> bool:
    first, last = run[0], run[-1]
    if len(run) >= 2:
        phrase = " ".join(t.text for t in run)
        if places.get(phrase, 0) != 0 or phrase in tables()["public_names"]:
            return False  # "Salt Lake City", "Jackson Heights": the place detector's
        if _is_initial(first):
            return first.dot and (lex.is_surname(last.text) or not lex.common(last.text)) and not _is_initial(last)
        if _is_initial(last):  # "Michael T.", "Leyre B." (a given name no list knows is no English word either)
            return last.dot and (lex.is_given(first.text) or lex.frequency(first.text) == 0.0) and len(run) <= 3
        if any(lex.common(t.text) for t in run[1:] if not _is_initial(t)):
            return False  # "Ann Freeway", "Grace Period"
        given = lex.is_given(first.text)
        if given and lex.is_name_word(first.text) and (lex.is_surname(last.text) or not lex.common(last.text)):
            return True
        if given and (lex.is_surname(last.text) and lex.is_name_word(last.text) or lex.frequency(last.text) < 3.0):
            return True  # "June Singh", "Nick Oostendorp": a word first, but a surname or no English word after it
        # Words none of which is ordinary English nor a place ("Ize Bezemer", "Desiderio Valbuena").
        return (not first.sentence_start or lex.is_name_word(first.text)) and all(
            lex.frequency(t.text) < 3.0 and places.get(t.text, 0) < 15_000 for t in run)
    word = first
    if _is_initial(word) or not lex.is_name_word(word.text) or word.text.isupper():
        return False
    if word.before in locative and places.get(word.text, 0) > 0 or places.get(word.text, 0) >= 100_000:
        return False  # "in Florence", "Brooklyn": the place detector's
    if lex.is_given(word.text):
        if lex.frequency(word.text) >= 3.0 and _title_case(text, word):
            return False  # "Consent in a Hurry": in a Title Case line only a name no English word is counts
        # At a sentence's start only a name common as a name and rare as a word ("Priya called", not "Rota")
        return not word.sentence_start or word.possessive or (
            lex.frequency(word.text) < 3.6 and lex.expected(word.text) >= 3.0)
    # A surname alone, inside a sentence, that is not an ordinary word (in a Title Case line every word looks so).
    return not word.sentence_start and lex.frequency(word.text) < 4.5 and not word.possessive and places.get(
        word.text, 0) < 1 and not _title_case(text, word)


def _title_case(text: str, tok: Token) -> bool:
    """Whether the line holding `tok` capitalises most of its words ("Consent in a Hurry")."""
    start = text.rfind("\n", 0, tok.start) + 1
    end = text.find("\n", tok.end)
    words = [w for w in text[start:end if end >= 0 else len(text)].split() if w[:1].isalpha() and len(w) > 3]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)  # ("in", "a" are small)
