"""Python regular expressions as JavaScript ones that match the same spans.

The "Prepare your essay" page runs the desk's identifier detectors in the
writer's browser. Their patterns are written once, for Python's `re`; this
module translates a compiled pattern into a JavaScript `RegExp` source and
flags instead of anyone copying patterns by hand. It reads the pattern's
parse tree (Python's own parser, so every escape and flag is read as `re`
reads it) and writes JavaScript with the `v` (Unicode sets) flag, where the
two dialects differ:

- `\\w`, `\\d`, `\\s` and `\\b` are Unicode-aware in Python (`str.isalnum`,
  decimal digits, Python's own whitespace list) and ASCII in JavaScript:
  they become explicit Unicode classes and look-arounds.
- `.` excludes only a newline in Python; `^`, `$`, `\\A`, `\\Z` have Python's
  meaning (`$` also before a final newline).
- Every literal is written as `\\u{...}` unless it is a letter or digit, so no
  character can be read as syntax in either dialect.

What JavaScript cannot express (atomic groups, possessive repeats, conditional
groups, scoped flags other than i, m and s) raises `Untranslatable`, so a new detector pattern fails
the build of the page loudly instead of matching something else.
"""

from __future__ import annotations

import re
from functools import lru_cache
from re import _constants as C  # noqa: N812 - the parser's opcode names
from re import _parser as sre_parse


class Untranslatable(ValueError):
    """A Python pattern feature JavaScript's RegExp has no equivalent for."""


@lru_cache(maxsize=1)
def _space() -> str:
    """Python's str whitespace (`\\s` in a str pattern): str.isspace(), all of it in the Basic Multilingual Plane
    (tests/library/test_regex_js.py checks every code point)."""
    return "".join(f"\\u{{{cp:x}}}" for cp in range(0x10000) if chr(cp).isspace())


_WORD = "\\p{L}\\p{N}_"  # str.isalnum() + "_" (letters, and decimal, digit and numeric characters)
_ASCII_WORD = "A-Za-z0-9_"


def _lit(cp: int) -> str:
    ch = chr(cp)
    return ch if ch.isascii() and ch.isalnum() else f"\\u{{{cp:x}}}"


class _Writer:
    def __init__(self, flags: int, names: dict[int, str]):
        self.ascii = bool(flags & re.ASCII)
        self.multiline = bool(flags & re.MULTILINE)
        self.dotall = bool(flags & re.DOTALL)
        self.names = names

    # classes ----------------------------------------------------------------------------
    def word(self) -> str:
        return _ASCII_WORD if self.ascii else _WORD

    def category(self, cat, in_class: bool) -> str:
        table = {
            C.CATEGORY_DIGIT: "0-9" if self.ascii else "\\p{Nd}",
            C.CATEGORY_WORD: self.word(),
            C.CATEGORY_SPACE: "\\u{20}\\u{9}\\u{a}\\u{d}\\u{c}\\u{b}" if self.ascii else _space(),
        }
        negated = {C.CATEGORY_NOT_DIGIT: C.CATEGORY_DIGIT, C.CATEGORY_NOT_WORD: C.CATEGORY_WORD,
                   C.CATEGORY_NOT_SPACE: C.CATEGORY_SPACE}
        if cat in table:
            return table[cat] if in_class else f"[{table[cat]}]"
        if cat in negated:
            return f"[^{table[negated[cat]]}]"  # a nested class is allowed inside a `v` class
        raise Untranslatable(f"character category {cat}")

    def in_set(self, items) -> str:
        negate = False
        parts = []
        for op, av in items:
            if op is C.NEGATE:
                negate = True
            elif op is C.LITERAL:
                parts.append(_lit(av))
            elif op is C.RANGE:
                parts.append(f"{_lit(av[0])}-{_lit(av[1])}")
            elif op is C.CATEGORY:
                parts.append(self.category(av, in_class=True))
            else:
                raise Untranslatable(f"{op} inside a character set")
        return f"[{'^' if negate else ''}{''.join(parts)}]"

    # sequences -------------------------------------------------------------------------------
    def seq(self, sub) -> str:
        return "".join(self.node(op, av) for op, av in sub)

    def atom(self, sub) -> str:
        """A sub-pattern a quantifier may follow."""
        text = self.seq(sub)
        if len(sub) == 1 and sub[0][0] in (C.IN, C.LITERAL, C.NOT_LITERAL, C.ANY, C.SUBPATTERN):
            return text
        return f"(?:{text})"

    def node(self, op, av) -> str:
        w = self.word()
        if op is C.LITERAL:
            return _lit(av)
        if op is C.NOT_LITERAL:
            return f"[^{_lit(av)}]"
        if op is C.ANY:
            return "[\\s\\S]" if self.dotall else "[^\\n]"
        if op is C.IN:
            return self.in_set(av)
        if op is C.CATEGORY:
            return self.category(av, in_class=False)
        if op is C.BRANCH:
            return "(?:" + "|".join(self.seq(alt) for alt in av[1]) + ")"
        if op is C.SUBPATTERN:
            group, add, remove, sub = av
            if (add | remove) & ~(re.IGNORECASE | re.MULTILINE | re.DOTALL):
                raise Untranslatable("scoped inline flags other than i, m, s")
            # m and s change what this writer emits for ^, $ and .; i becomes a JavaScript modifier group,
            # `(?i:...)` / `(?-i:...)` (Chromium 125+; a browser without them leaves that check unavailable).
            saved = self.multiline, self.dotall
            self.multiline = bool((self.multiline or add & re.MULTILINE) and not remove & re.MULTILINE)
            self.dotall = bool((self.dotall or add & re.DOTALL) and not remove & re.DOTALL)
            try:
                body = self.seq(sub)
            finally:
                self.multiline, self.dotall = saved
            case = ("i" if add & re.IGNORECASE else "") + ("-i" if remove & re.IGNORECASE else "")
            if case:
                body = f"(?{case}:{body})"
            if group is None:
                return body if case else f"(?:{body})"
            name = self.names.get(group)
            return f"(?<{name}>{body})" if name else f"({body})"
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            lo, hi, sub = av
            if (lo, hi) == (0, C.MAXREPEAT):
                q = "*"
            elif (lo, hi) == (1, C.MAXREPEAT):
                q = "+"
            elif (lo, hi) == (0, 1):
                q = "?"
            elif hi is C.MAXREPEAT:
                q = f"{{{lo},}}"
            else:
                q = f"{{{lo},{hi}}}"
            return self.atom(sub) + q + ("?" if op is C.MIN_REPEAT else "")
        if op is C.AT:
            return {
                C.AT_BEGINNING: "(?<![^\\n])" if self.multiline else "(?<![\\s\\S])",
                C.AT_BEGINNING_STRING: "(?<![\\s\\S])",
                C.AT_END: "(?![^\\n])" if self.multiline else "(?=\\n?(?![\\s\\S]))",
                C.AT_END_STRING: "(?![\\s\\S])",
                C.AT_BOUNDARY: f"(?:(?<=[{w}])(?![{w}])|(?<![{w}])(?=[{w}]))",
                C.AT_NON_BOUNDARY: f"(?:(?<=[{w}])(?=[{w}])|(?<![{w}])(?![{w}]))",
            }[av]
        if op in (C.ASSERT, C.ASSERT_NOT):
            direction, sub = av
            kind = ("=" if op is C.ASSERT else "!")
            return f"(?{'<' if direction < 0 else ''}{kind}{self.seq(sub)})"
        if op is C.GROUPREF:
            return f"\\{av}(?:)"
        raise Untranslatable(str(op))


def to_js(pattern: re.Pattern) -> dict[str, str]:
    """{"source", "flags"} of a JavaScript RegExp matching what `pattern` matches, at the same places."""
    if isinstance(pattern.pattern, bytes):
        raise Untranslatable("bytes pattern")
    tree = sre_parse.parse(pattern.pattern, pattern.flags)
    names = {number: name for name, number in pattern.groupindex.items()}
    flags = tree.state.flags
    if flags & re.IGNORECASE and flags & re.ASCII:
        raise Untranslatable("ASCII case folding")
    try:
        source = _Writer(flags, names).seq(tree)
    except KeyError as exc:  # an opcode or position code the writer does not know (e.g. locale boundaries)
        raise Untranslatable(f"unsupported {exc}") from None
    return {"source": source, "flags": ("i" if flags & re.IGNORECASE else "") + "v"}
