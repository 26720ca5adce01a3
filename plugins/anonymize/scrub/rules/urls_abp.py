"""Read adblock-syntax `$removeparam` rules (uBlock Origin's and AdGuard's filter lists) into our link rules.

Why a module of its own: uBlock's lists and AdGuard's filter text say in one line what our tables say
in four shapes (a name removed everywhere, a name removed on one site, a rule for a URL pattern, a
name kept on a site). `convert_lines` sorts each rule into one of them, or says why it cannot be one,
so the converter writes tables and the coverage test can report every rule that is not covered.

What the rules mean for a link in an essay (a top-level navigation from our page to the target):
- `domain=`/`from=` on a document request name the target's site (uBO and AdGuard treat a page's own
  navigation that way; uBO's `to=` says it outright), so they scope the rule to those hosts;
- a rule limited to other request types (`$script`, `$xhr`, `$image`, `~doc` ...) never meets a link:
  it is counted as "not for links", not as a miss;
- `badfilter` cancels the rule it repeats; `@@` exceptions become names we keep.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# request types that include a top-level navigation, and those that do not
DOC_TYPES = {"document", "doc", "main_frame", "all", "popup"}
OTHER_TYPES = {"script", "xmlhttprequest", "xhr", "image", "stylesheet", "css", "subdocument", "frame",
               "media", "font", "object", "ping", "websocket", "webrtc", "other", "fetch", "beacon"}
IGNORED = {"important", "third-party", "3p", "~third-party", "1p", "first-party", "~first-party", "strict1p",
           "strict3p", "~3p", "~1p", "match-case", "stealth", "urlblock", "~urlblock", "generichide", "elemhide"}
NOT_EXPRESSIBLE = {"app": "app= (an application, not a URL)",
                   "method": "method= (an HTTP method, not a link)",
                   "header": "header= (a response header)",
                   "redirect": "redirect= (a resource, not a parameter)",
                   "redirect-rule": "redirect-rule= (a resource, not a parameter)",
                   "replace": "replace= (rewrites a response body)",
                   "uritransform": "uritransform= (rewrites the path)",
                   "urlskip": "urlskip= (a wrapper rule, not a parameter)"}
_HOST = re.compile(r"[a-z0-9*-]+(?:\.[a-z0-9*-]+)*\.?(?:\*)?", re.I)


@dataclass
class Rule:
    """One `$removeparam` line, parsed."""

    line: str
    exception: bool
    pattern: str  # the URL part before `$`: '' is any URL
    value: str | None  # removeparam's value; None: every parameter
    hosts: list[str] = field(default_factory=list)
    not_hosts: list[str] = field(default_factory=list)
    types: set[str] = field(default_factory=set)
    not_types: set[str] = field(default_factory=set)
    unsupported: list[str] = field(default_factory=list)
    badfilter: bool = False


def _split_options(text: str) -> list[str]:
    """Options split at commas, a regex value (`removeparam=/a,b/`) and `\\,` kept whole."""
    out, cur, i, in_rx = [], "", 0, False
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            cur += text[i:i + 2] if text[i + 1] != "," else ","
            i += 2
            continue
        if not in_rx and ch == "/" and re.fullmatch(r"removeparam=~?", cur):
            in_rx = True
        elif in_rx and ch == "/" and re.match(r"/[a-z]*(?:,|$)", text[i:]):
            in_rx = False
        if ch == "," and not in_rx:
            out.append(cur)
            cur = ""
        else:
            cur += ch
        i += 1
    out.append(cur)
    return [o for o in out if o]


def _options_start(body: str) -> int:
    """Where the options begin (the `$` before them), or -1; a regex pattern `/.../` ends with `/$`."""
    option = re.compile(r"\$~?[a-z0-9_-]+(?:=|,|$)")
    starts = [m.start() for m in re.finditer(r"\$", body) if option.match(body, m.start())]
    if body.startswith("/"):
        after_rx = [s for s in starts if s > 1 and body[s - 1] == "/"]
        if after_rx:
            return after_rx[0]
    return starts[0] if starts else -1


def parse_line(line: str) -> Rule | None:
    """The rule on this line when it is a `removeparam` rule, else None (comments, cosmetic rules ...)."""
    line = line.strip()
    if not line or line.startswith(("!", "[", "#")) or "removeparam" not in line or "##" in line or "#@#" in line:
        return None
    exception = line.startswith("@@")
    body = line[2:] if exception else line
    at = _options_start(body)
    if at < 0:
        return None
    pattern, opts = body[:at], _split_options(body[at + 1:])
    pattern = "" if pattern in ("*", "|", "||") else pattern
    rule = Rule(line=line, exception=exception, pattern=pattern, value=None)
    seen = False
    for opt in opts:
        name, _, val = opt.partition("=")
        if name == "removeparam":
            seen = True
            rule.value = val or None
        elif name in ("domain", "from", "to"):
            for h in val.split("|"):
                (rule.not_hosts if h.startswith("~") else rule.hosts).append(h.lstrip("~").lower())
        elif name == "denyallow":  # not when the request goes to these hosts: for a link, its target
            rule.not_hosts += [h.lower() for h in val.split("|")]
        elif name == "badfilter":
            rule.badfilter = True
        elif name.lstrip("~") in DOC_TYPES | OTHER_TYPES:
            (rule.not_types if name.startswith("~") else rule.types).add(name.lstrip("~"))
        elif name in IGNORED:
            continue
        else:
            rule.unsupported.append(NOT_EXPRESSIBLE.get(name, f"{name} (an option we do not model)"))
    return rule if seen else None


# -- ABP URL patterns as Python regexes --------------------------------------------------------------

SEP = r"(?:[^\w.%-]|$)"  # ABP's `^`


def pattern_regex(pattern: str) -> str | None:
    """A regex `re.match` can apply to a whole URL, or None for 'any URL'."""
    if pattern in ("", "*", "|", "||"):
        return None
    if len(pattern) > 2 and pattern.startswith("/") and pattern.endswith("/"):
        rx = pattern[1:-1].replace("(?<", "(?P<").replace("(?P<=", "(?<=").replace("(?P<!", "(?<!")
        return r"^.*?(?:" + rx + ")"
    out = r"^.*?"
    p = pattern
    if p.startswith("||"):
        out = r"^[a-z][a-z0-9+.-]*://(?:[^/?#]*@)?(?:[^/?#:]*\.)?"
        p = p[2:]
    elif p.startswith("|"):
        out = "^"
        p = p[1:]
    end = p.endswith("|")
    p = p.rstrip("|")
    for ch in p:
        out += ".*" if ch == "*" else SEP if ch == "^" else re.escape(ch)
    return out + ("$" if end else "")


def host_regex(hosts: list[str]) -> str:
    """A URL prefix for these hosts and their sub-domains; `name.*` is any top-level domain, as in uBO."""
    alts = []
    for h in hosts:
        if h.endswith(".*"):
            alts.append(re.escape(h[:-2]) + r"\.(?:[a-z0-9-]+\.)*[a-z0-9-]+")
        else:
            alts.append(re.escape(h))
    return r"^https?://(?:[^@/?#]*@)?(?:[a-z0-9-]+\.)*?(?:" + "|".join(alts) + r")\.?(?::\d+)?(?:[/?#]|$)"


def value_regex(value: str) -> tuple[str, bool] | None:
    """(regex searched in `name=value`, inverted) for a `/regex/` value, or None when it is a name."""
    inverted = value.startswith("~")
    v = value[1:] if inverted else value
    m = re.fullmatch(r"/(.*)/([a-z]*)", v, re.S)
    if not m:
        return None
    return ("(?i)" if "i" in m.group(2) else "") + m.group(1).replace("\\\\", "\\"), inverted


def _host_only(pattern: str) -> str | None:
    """The host of a pattern that is only `||host^` (`||name.` or `||name.*`: any top-level domain, `name.*`)."""
    m = re.fullmatch(r"\|\|([a-z0-9-]+(?:\.[a-z0-9-]+)*)(\.\*?)?\^?\|?", pattern, re.I)
    if not m:
        return None
    return m.group(1).lower() + (".*" if m.group(2) else "")


@dataclass
class Converted:
    """Every rule of one list, sorted: what our tables take, and why the others are left."""

    names: dict[str, set[str]] = field(default_factory=dict)  # global name -> hosts it is kept on
    scoped: dict[str, set[str]] = field(default_factory=dict)  # host -> names
    rules: list[dict[str, Any]] = field(default_factory=list)  # URL-pattern rules
    keep: list[dict[str, Any]] = field(default_factory=list)  # exceptions
    taken: list[Rule] = field(default_factory=list)  # blocking rules we express
    exceptions: list[Rule] = field(default_factory=list)  # exception rules we express
    not_for_links: list[Rule] = field(default_factory=list)
    not_expressible: list[tuple[Rule, str]] = field(default_factory=list)


def _why_not(rule: Rule) -> str | None:
    if rule.unsupported:
        return "; ".join(rule.unsupported)
    rx = pattern_regex(rule.pattern)
    for text in ([rx] if rx else []) + ([value_regex(rule.value)[0]] if rule.value and value_regex(rule.value)
                                         else []):
        try:
            re.compile(text)
        except re.error as exc:
            return f"a regex Python cannot read ({exc})"
    where = _pattern_host(rule.pattern)
    if rule.hosts and where and not any(_near(where, h) for h in rule.hosts):
        return "domain= names another site than the URL's: the rule depends on the page the link is on"
    return None


def _pattern_host(pattern: str) -> str | None:
    """The host a `||host/...` pattern names (with a dot, perhaps ending `.*`), else None."""
    m = re.match(r"\|\|([a-z0-9.-]+(?:\.\*)?)(?:[/^|*]|$)", pattern, re.I)
    return m.group(1).lower() if m and "." in m.group(1).strip(".*") else None


def _near(a: str, b: str) -> bool:
    """One names the other or a sub-domain of it (`name.*`: any top-level domain)."""
    a0, b0 = a.removesuffix(".*").rstrip("."), b.removesuffix(".*").rstrip(".")
    return a0 == b0 or a0.endswith("." + b0) or b0.endswith("." + a0) or \
        (a.endswith(".*") and (b0 + ".").find(a0 + ".") >= 0) or (b.endswith(".*") and (a0 + ".").find(b0 + ".") >= 0)


def _within(host: str, site: str) -> bool:
    if site.endswith(".*"):
        return bool(re.fullmatch(r"(?:.+\.)?" + re.escape(site[:-2]) + r"\.[a-z0-9.-]+", host))
    return host == site or host.endswith("." + site)


def _for_links(rule: Rule) -> bool:
    if rule.not_types & DOC_TYPES:
        return False
    return not rule.types or bool(rule.types & DOC_TYPES)


def convert_lines(lines: list[str]) -> Converted:
    """Sort every `removeparam` rule of a list into our tables (see the module's docstring)."""
    parsed = [r for r in (parse_line(x) for x in lines) if r]
    bad = {r.line.replace(",badfilter", "").replace("$badfilter,", "$") for r in parsed if r.badfilter}
    out = Converted()
    for rule in parsed:
        if rule.badfilter or rule.line in bad:
            continue
        if not _for_links(rule):
            if not rule.exception:
                out.not_for_links.append(rule)
            continue
        why = _why_not(rule)
        if why:
            if not rule.exception:
                out.not_expressible.append((rule, why))
            continue
        if rule.exception:
            out.keep.append(_keep(rule))
            out.exceptions.append(rule)
            continue
        out.taken.append(rule)
        host = _host_only(rule.pattern)
        plain = rule.value is not None and value_regex(rule.value) is None and not rule.value.startswith("~")
        if plain and not rule.pattern and not rule.hosts:
            out.names.setdefault(rule.value, set()).update(rule.not_hosts)  # type: ignore[arg-type]
        elif plain and not rule.not_hosts and (host or (not rule.pattern and rule.hosts)):
            for h in [host] if host else rule.hosts:
                out.scoped.setdefault(h, set()).add(rule.value)  # type: ignore[arg-type]
        else:
            out.rules.append(_rule(rule))
    return out


def _where(rule: Rule) -> dict[str, Any]:
    where: dict[str, Any] = {}
    rx = pattern_regex(rule.pattern)
    if rx:
        where["pattern"] = rx
    if rule.hosts and not _host_only(rule.pattern):
        where["hosts"] = sorted(set(rule.hosts))
    if rule.not_hosts:
        where["except_hosts"] = sorted(set(rule.not_hosts))
    return where


def _rule(rule: Rule) -> dict[str, Any]:
    entry: dict[str, Any] = {"rule": rule.line, **_where(rule)}
    if rule.value is None:
        entry["all"] = True
        return entry
    vr = value_regex(rule.value)
    if vr:
        entry["keep_only_pairs" if vr[1] else "pairs"] = vr[0]
    elif rule.value.startswith("~"):
        entry["keep_only"] = [rule.value[1:]]
    else:
        entry["names"] = [rule.value]
    return entry


def _keep(rule: Rule) -> dict[str, Any]:
    entry: dict[str, Any] = {"rule": rule.line, **_where(rule)}
    if rule.value is None:
        entry["params"] = [".*"]
    else:
        vr = value_regex(rule.value)
        entry["params"] = [f".*?(?:{vr[0]}).*" if vr else re.escape(rule.value.lstrip("~"))]
    return entry
