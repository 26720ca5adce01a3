"""Emails, phone numbers and invisible characters in any text the site serves."""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

import phonenumbers

from anonymize.scrub.rules import load

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
REGIONS = ("US", "GB", "CA", "AU", "IE", "IN", "DE", "FR", "NL", "ZA")
DIGITS = re.compile(r"\+?\d[\d ().-]{6,}\d")
# `\+?\d...` written to begin with a set (a "+" must be followed by a digit), which `re` scans for in C: the same
# matches, half the time on long pages (tests/test_audit.py compares both).
RAW_DIGITS = re.compile(r"[\d+](?:(?<=\+)\d|(?<!\+))(?:[\d ().-]|<[^<>]*>)*\d")
# The runs with 4 or more steps (a digit, a separator or a whole tag) between their first and last digit, so that a
# page's many short runs (years, page numbers) never reach Python. A run holding 7 digits has at least 5 and is found
# where RAW_DIGITS finds it (tests/audit/test_audit.py); digits inside a tag a short run passes through may be found
# as well, which only means a closer look.
LONG_RAW_DIGITS = re.compile(RAW_DIGITS.pattern.replace(r"<[^<>]*>)*\d", r"<[^<>]*>){4,}\d"))
INLINE_TAG = re.compile(r"<[^<>]*>")
TAGS = re.compile(r"<[^>]*>|&lt;.*?&gt;|(?:https?:)?//\S+", re.S)


@lru_cache(maxsize=2)
def _invisible(astral: bool = True) -> re.Pattern:
    """Every character the text table calls invisible or contextual, from the shared table; with astral=False
    only those below U+10000, for text that holds no other (`re` tests a set of such characters against a
    table, 2-3x faster than a set that also holds higher ones, which it tests range by range)."""
    t = load("text")
    ranges = [tuple(r) for r in t["invisible"]["ranges"]]
    ranges += [tuple(r) for r in t["contextual"]["variation"]] + [tuple(r) for r in t["contextual"]["tags"]]
    ranges += [(t["contextual"]["zwj"], t["contextual"]["zwj"]), (t["contextual"]["zwnj"], t["contextual"]["zwnj"])]
    body = "".join(f"\\U{int(a, 16):08x}-\\U{int(b, 16):08x}" for a, b in ranges if astral or int(a, 16) < 0x10000)
    return re.compile(f"[{body}]")


def _beyond_bmp(content: str) -> bool:
    """Does the text hold a character above U+FFFF? (UTF-16 spends 4 bytes on each: one copy in C, no scan.)"""
    return len(content.encode("utf-16-le", "surrogatepass")) != 2 * len(content)


EMOJI_CONTEXT = re.compile(
    "[\U0001F000-\U0001FAFF\u2600-\u27BF\u2300-\u23FF\u2B00-\u2BFF\u00A9\u00AE\u203C\u2049\u2122\u2139\u3030"
    "\u303D\u3297\u3299#*0-9\U0001F3FB-\U0001F3FF\uFE0F]"
)


def check(content: str, policy, prose: bool = True) -> list[str]:
    if not prose:
        return _hidden(content)
    problems = []
    for m in EMAIL.finditer(content) if "@" in content else ():  # the pattern is slow on long words
        if m.group(0) not in policy.acknowledged and not m.group(0).endswith((".invalid", "@example.com")):
            problems.append(f"email address: {m.group(0)}")
    problems += _phones(content, policy)
    problems += _hidden(content)
    return problems


# Pagefind names its files by language and content hash (`en_6963177830`, `unknown_3b85fae`), and lists those
# names in its entry file, meta file and indexes. A hash that happens to be all digits is not a phone number.
PAGEFIND_NAME = re.compile(r"[a-z]{2,8}(?:-[A-Za-z0-9]{2,8})*_[0-9a-f]{7,}")


def holds_pagefind_names(rel: str) -> bool:
    """Pagefind's own bookkeeping files; its fragments (which hold the essays' text) are read as prose."""
    return rel.startswith("pagefind/") and not rel.endswith(".pf_fragment")


def without_pagefind_names(content: str) -> str:
    return PAGEFIND_NAME.sub(lambda m: "x" * len(m.group(0)), content)


DECIMAL = re.compile(r"\d+\.\d+")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _phones(content: str, policy) -> list[str]:
    """Digit runs that phonenumbers accepts as a valid number in a common region.

    phonenumbers is the judge, but it only sees short candidate runs (whole
    pages cost it ~20 ms each); ISO dates and runs of under 7 digits are not
    candidates.
    """
    # Most pages have no run that could be a number at all: check that before stripping markup. The runs
    # looked at here may pass through tags, as the stripped text below joins "736-<b>50</b>00" into one. A run
    # shorter than 7 characters cannot hold 7 digits.
    if not any(len(run) >= 7 and _candidate(INLINE_TAG.sub(" ", run).strip())
               for run in LONG_RAW_DIGITS.findall(content)):
        return []
    plain = TAGS.sub(" ", TAGS.sub(" ", content).replace("&lt;", "<").replace("&gt;", ">"))
    found = set()
    for cand in DIGITS.finditer(plain):
        run = cand.group(0).strip()
        if not _candidate(run):
            continue
        for region in REGIONS:
            for match in phonenumbers.PhoneNumberMatcher(run, region, leniency=phonenumbers.Leniency.VALID):
                if match.raw_string not in policy.acknowledged:
                    found.add(match.raw_string)
    return [f"phone number: {n}" for n in sorted(found)]


def _candidate(run: str) -> bool:
    return sum(ch.isdigit() for ch in run) >= 7 and not ISO_DATE.search(run) and not DECIMAL.fullmatch(run)


@lru_cache(maxsize=1)
def _forbidden() -> re.Pattern:
    """Characters XML 1.0 forbids (and the controls and noncharacters it discourages), from the shared table."""
    body = "".join(f"\\U{int(a, 16):08x}-\\U{int(b, 16):08x}" for a, b in load("text")["forbidden"]["ranges"])
    return re.compile(f"[{body}]")


def forbidden_characters(content: str) -> list[str]:
    """A feed or sitemap holding one is not XML; in a page it is an invisible mark. Named with its offset."""
    return [f"character XML 1.0 forbids: U+{ord(m.group(0)):04X} at offset {m.start()}"
            for m in itertools.islice(_forbidden().finditer(content), 20)]


def _hidden(content: str) -> list[str]:
    if content.isascii():  # every invisible character is beyond ASCII (and str knows this without a scan)
        return []
    problems = []
    pattern = _invisible(_beyond_bmp(content))
    for m in pattern.finditer(content):
        ch = m.group(0)
        cp = ord(ch)
        before = content[m.start() - 1] if m.start() else ""
        after = content[m.end()] if m.end() < len(content) else ""
        if cp == 0x200D and EMOJI_CONTEXT.match(before or " ") and EMOJI_CONTEXT.match(after or " "):
            continue
        if cp in (0xFE0F, 0xFE0E) and EMOJI_CONTEXT.match(before or " "):
            continue
        if 0xE0020 <= cp <= 0xE007F and (before == "\U0001F3F4" or 0xE0020 <= ord(before or " ") <= 0xE007E):
            continue
        if cp == 0x200C and before.isalpha() and after.isalpha() and not before.isascii():
            continue
        problems.append(f"invisible character U+{cp:04X} at offset {m.start()}")
        if len(problems) > 20:
            break
    return problems
