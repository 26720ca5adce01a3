"""The audit's link check: tracking parameters, redirect wrappers and unsafe schemes in a published link.

It reads the same rule tables as the scrubber (`rules/urls.toml`, ours, and `rules/urls_lists.toml`,
derived from the public lists) with its own code, so a scrubber bug is caught here rather than published.
Providers are compiled on first use and tried only when a literal their pattern requires occurs in the
URL: the lists hold ~200 providers, and most never meet a link of a given site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from re import _parser as sre  # type: ignore[attr-defined]
from urllib.parse import parse_qsl, unquote, urlsplit

import ahocorasick

from anonymize.scrub.rules import load

CONTROL = re.compile(r"[\x00-\x20]+")
# a wrapped target: plain, percent-encoded, Proofpoint-encoded or base64
LOOKS_LIKE_URL = re.compile(r"https?(?::|%3a|-3a)(?://|%2f%2f|__)|^ahr0c", re.I)


def _host_regex(hosts: list[str], path: str) -> str:
    alts = "|".join(re.escape(h) for h in hosts)
    return rf"^https?://(?:[^@/?#]*@)?(?:[a-z0-9-]+\.)*(?:{alts})\.?(?::\d+)?" + (path or r"(?:[/?#]|$)")


def _tld_hosts(hosts: list[str]) -> str:
    """Hosts as uBO writes them (`name.*` is any top-level domain) and their sub-domains, at a URL's start."""
    alts = "|".join(re.escape(h[:-2]) + r"\.[a-z0-9.-]+" if h.endswith(".*") else re.escape(h) for h in hosts)
    return rf"^https?://(?:[^@/?#]*@)?(?:[a-z0-9-]+\.)*(?:{alts})\.?(?::\d+)?(?:[/?#]|$)"


def _list_rule_text(spec: dict) -> str:
    """A list rule's URL pattern, its sites and the sites it skips as one regex for `match`."""
    text = ""
    if spec.get("hosts"):
        text += f"(?={_tld_hosts(spec['hosts'])})"
    if spec.get("except_hosts"):
        text += f"(?!{_tld_hosts(spec['except_hosts'])})"
    return text + (spec.get("pattern") or "^https?://")


def _literals(pattern: str) -> tuple[str, ...]:
    """Lower-cased strings one of which any match contains (the longest such run), or () for none found."""
    def walk(items) -> list[tuple[str, ...]]:
        found, run = [], ""
        for op, av in items:
            if op is sre.LITERAL:
                run += chr(av).lower()
                continue
            if run:
                found.append((run,))
                run = ""
            if op is sre.SUBPATTERN:
                found += walk(av[-1])
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
                found += walk(av[2])
            elif op is sre.BRANCH:
                options = [max(walk(b), key=lambda c: min(map(len, c)), default=()) for b in av[1]]
                if all(options):
                    found.append(tuple(x for o in options for x in o))
        if run:
            found.append((run,))
        return [c for c in found if all(len(x.strip("/:.?")) >= 3 and x.strip("/:.?") not in ("http", "https", "www")
                                        for x in c)]
    try:
        return max(walk(sre.parse(pattern, re.I)), key=lambda c: min(map(len, c)), default=())
    except re.error:
        return ()


@dataclass
class _Provider:
    spec: dict
    name: str
    text: str
    literals: tuple[str, ...]
    compiled: dict = field(default_factory=dict)

    def get(self, key: str):
        if key not in self.compiled:
            s = self.spec
            if key == "pattern":
                value = re.compile(self.text, re.I)
            elif key == "params":
                rules = list(s.get("params", [])) + list(s.get("referral", []))
                value = re.compile("|".join(f"(?:{x})" for x in rules), re.I) if rules else None
            elif key == "exceptions":  # those anchored at the start: one pattern tried at the start only
                starts = [x[1:] for x in s.get(key, []) if x.startswith("^")]
                value = ([re.compile("|".join(f"(?:{x})" for x in starts), re.I).match] if starts else [])
                value += [re.compile(x, re.I).search for x in s.get(key, []) if not x.startswith("^")]
            else:
                value = [re.compile(x, re.I) for x in s.get(key, [])]
            self.compiled[key] = value
        return self.compiled[key]


@dataclass
class _Table:
    providers: list[_Provider]
    always: set[int]  # providers with no required literal
    finder: ahocorasick.Automaton  # literal -> the providers requiring it, all found in one pass over a URL
    names: set[str]
    except_hosts: dict[str, set[str]]
    unless: dict[str, re.Pattern]
    exempt: set[str]
    scoped: dict[str, set[str]]
    keep: list[tuple[str, list[str]]]  # (URL pattern, names kept): compiled on first use, in `compiled`
    keep_finder: ahocorasick.Automaton  # literal -> the keeps requiring it
    keep_always: set[int]
    compiled: dict[int, tuple[re.Pattern, re.Pattern]]
    untouched: re.Pattern

    def kept(self, i: int) -> tuple[re.Pattern, re.Pattern]:
        if i not in self.compiled:
            text, params = self.keep[i]
            self.compiled[i] = (re.compile(text, re.I), re.compile("|".join(f"(?:{x})" for x in params), re.I))
        return self.compiled[i]


@lru_cache(maxsize=1)
def _table() -> _Table:
    ours, lists = load("urls"), load("urls_lists")
    providers = []
    for source, entries in (("ours", ours["providers"]), ("lists", lists.get("providers", []))):
        for p in entries:
            text = p.get("pattern") or _host_regex(p["hosts"], p.get("path", ""))
            providers.append(_Provider(p, p["name"] if source == "ours" else f"{p['name']} (ClearURLs)",
                                       text, _literals(text)))
    for p in lists.get("param_rules", []):  # a list's removeparam rule for a URL pattern or some sites
        text = _list_rule_text(p)
        lits = _literals(text) or tuple(h.removesuffix(".*").lower() for h in p.get("hosts", [])) or (
            _literals(p["pairs"]) if p.get("pairs") else ())
        providers.append(_Provider({**p, "params": [re.escape(n) for n in p.get("names", [])]},
                                   f"{p['rule']} ({p['source']})", text, lits))
    finder = ahocorasick.Automaton()
    needing: dict[str, list[int]] = {}
    for i, p in enumerate(providers):
        for lit in p.literals:
            needing.setdefault(lit, []).append(i)
    for lit, ids in needing.items():
        finder.add_word(lit, ids)
    finder.make_automaton()
    always = {i for i, p in enumerate(providers) if not p.literals}
    never = {n.lower() for n in ours.get("global", {}).get("never", [])}
    names: set[str] = set()
    except_hosts: dict[str, set[str]] = {}
    unless: dict[str, re.Pattern] = {}
    exempt: set[str] = set()
    for g in lists.get("global", {}).values():
        names |= {n.lower() for n in g.get("names", [])}
        for n, hosts in g.get("except_hosts", {}).items():
            except_hosts.setdefault(n.lower(), set()).update(hosts)
        unless.update({n.lower(): re.compile(rx) for n, rx in g.get("unless_url", {}).items()})
        exempt.update(g.get("exempt_hosts", []))
    scoped: dict[str, set[str]] = {}
    for hosts in lists.get("scoped", {}).values():
        for h, params in hosts.items():
            scoped.setdefault(h.lower(), set()).update(n.lower() for n in params if n.lower() not in never)
    keep = []
    keep_finder = ahocorasick.Automaton()
    keep_needing: dict[str, list[int]] = {}
    keep_always = set()
    for i, k in enumerate(ours.get("keep", []) + lists.get("list_keep", [])):
        text = _list_rule_text(k) if "rule" in k else k.get("pattern") or _host_regex(k["hosts"], k.get("path", ""))
        keep.append((text, k["params"]))
        lits = _literals(text) or tuple(h.removesuffix(".*").lower() for h in k.get("hosts", []))
        for lit in lits:
            keep_needing.setdefault(lit, []).append(i)
        if not lits:
            keep_always.add(i)
    for lit, ids in keep_needing.items():
        keep_finder.add_word(lit, ids)
    keep_finder.make_automaton()
    untouched = re.compile("|".join(f"(?:{x})" for x in ours.get("untouched", {}).get("patterns", [])) or "(?!)", re.I)
    return _Table(providers, always, finder, names - never, except_hosts, unless, exempt, scoped, keep, keep_finder,
                  keep_always, {}, untouched)


def unquote_plus_name(piece: str) -> str:
    """The name of a query piece as parse_qsl gives it (`+` is a space, percent-escapes decoded)."""
    return unquote(piece.split("=", 1)[0].replace("+", " "))


def check_link(url: str) -> list[str]:
    """Tracking parameters, redirect wrappers and unsafe schemes in a link target."""
    url = CONTROL.sub("", url)
    low = url.lower()
    if low.startswith(("javascript:", "vbscript:", "data:")):
        return [f"link with an unsafe scheme: {url[:80]}"]
    if low.startswith(("mailto:", "file:", "tel:", "smb:")):
        return [f"link to a personal address or file: {url[:80]}"]
    if not low.startswith(("http://", "https://", "//")):
        return []
    if url.startswith("//"):
        url, low = "https:" + url, "https:" + low
    t = _table()
    if t.untouched.match(url):
        return []
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if "=" in parts.fragment:
        pairs += parse_qsl(parts.fragment, keep_blank_values=True)
    names = [n for n, _ in pairs]
    raw_pieces = [x for x in (parts.query.split("&") + (parts.fragment.split("&") if "=" in parts.fragment else []))
                  if x]
    near = set(t.keep_always)
    for _end, ids in t.keep_finder.iter(low):
        near.update(ids)
    kept = [names_rx for rx, names_rx in (t.kept(i) for i in sorted(near)) if rx.match(url)]
    problems: list[str] = []
    bad: set[str] = set()
    candidates = set(t.always)
    for _end, ids in t.finder.iter(low):
        candidates.update(ids)
    for p in (t.providers[i] for i in sorted(candidates)):
        if not p.get("pattern").match(url) or any(test(url) for test in p.get("exceptions")):
            continue
        s = p.spec
        wrapped = any(n in s.get("redirect_params", []) and (s.get("gateway") or LOOKS_LIKE_URL.search(v))
                      for n, v in pairs)
        wrapped = wrapped or any((m := r.search(url)) and m.group(1) for r in p.get("redirects"))
        if s.get("opaque") or s.get("complete") or wrapped:
            problems.append(f"redirect wrapper ({p.name}): {url[:100]}")
        params = p.get("params")
        if params is not None:
            bad |= {n for n in names if params.fullmatch(n) or params.fullmatch(unquote(n))}
        if s.get("all"):
            bad |= set(names)
        if s.get("keep_only"):
            bad |= {n for n in names if unquote(n).lower() not in {x.lower() for x in s["keep_only"]}}
        for key, hit in (("pairs", True), ("keep_only_pairs", False)):
            if s.get(key):
                rx = re.compile(s[key])
                bad |= {unquote_plus_name(piece) for piece in raw_pieces if bool(rx.search(unquote(piece))) == hit}
        for raw in p.get("raw"):
            if raw.search(url):
                problems.append(f"tracking in the path ({p.name}): {url[:100]}")
    labels = host.split(".")
    above = {".".join(labels[i:]) for i in range(len(labels))}  # the host and every domain it is under
    above |= {".".join(labels[i:j]) + ".*" for i in range(len(labels)) for j in range(i + 1, len(labels))}
    on_host = set().union(*(t.scoped.get(x, set()) for x in above))
    for n in names:
        ln = unquote(n).lower()
        if ln in on_host:
            bad.add(n)
        elif (ln in t.names and host not in t.exempt and not above & t.except_hosts.get(ln, set())
              and not (ln in t.unless and t.unless[ln].search(url))):
            bad.add(n)
    bad = {n for n in bad if not any(k.fullmatch(unquote(n)) for k in kept)}
    if bad:
        problems.append(f"tracking parameter {', '.join(sorted(bad))}: {url[:100]}")
    return problems
