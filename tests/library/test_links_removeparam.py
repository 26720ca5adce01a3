"""Coverage of uBlock Origin's and AdGuard's `$removeparam` rules, and their exceptions as over-cleaning cases.

rules/urls_lists.toml holds, per list, what urls_convert.py (through urls_abp.py) took from the pinned
list: global names, names per site, rules for a URL pattern (`[[param_rules]]`), exceptions
(`[[list_keep]]`), and under `[left.<list>]` how many removeparam rules the list has and which it left
(not for links: they act on scripts or XHR; not expressible: why). For every rule taken a link is built
from its own pattern, sites and parameter, with one legitimate parameter (`unsigned_keep=1`) that must
survive; every exception becomes a link whose parameter must survive. The table is printed; floors below.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from anonymize.scrub.links import clean_url, rules
from anonymize.scrub.rules import load
from anonymize.scrub.rules.urls_abp import SEP
from test_links_lists import KEEP, cleaned_names, example

LISTS = ("ublock", "ublock-privacy", "ublock-unbreak", "ubo-urltp", "adguard-text")
ABP_PREFIX = r"^[a-z][a-z0-9+.-]*://(?:[^/?#]*@)?(?:[^/?#:]*\.)?"
FIXED = "unsigned_track"  # the parameter a rule with no name of its own (all, keep_only) must remove


def _host(hosts: list[str]) -> str:
    h = hosts[0]
    return h[:-2] + ".com" if h.endswith(".*") else h


def rule_url(entry: dict) -> str | None:
    """A URL inside the rule's pattern and sites (with a path and no query of its own), or None."""
    pattern = entry.get("pattern")
    host = _host(entry["hosts"]) if entry.get("hosts") else "example.org"
    if not pattern:
        return f"https://www.{host}/page"
    shape = pattern.replace(ABP_PREFIX, r"https://www\.").replace("^.*?", "").replace(SEP, "/")
    text = example(shape, hole=False) or ""
    if not text.lower().startswith("http"):
        text = f"https://www.{host}/" + text.lstrip("/")
    elif entry.get("hosts") and not any(h.removesuffix(".*") in text.split("/")[2] for h in entry["hosts"]):
        text = f"https://www.{host}/" + text.split("://", 1)[1].partition("/")[2]  # `||com/...`: a path only
    text = re.sub(r"^(https?://[^/]*?)\.(/|$)", r"\1.com\2", text)  # `||amazon.*/`: any top-level domain
    if text.count("/") < 3:
        text += "/"
    return text


def param_of(entry: dict) -> tuple[str, str] | None:
    """(name, value) the rule removes."""
    if entry.get("names"):
        return entry["names"][0], "1"
    if entry.get("pairs"):
        piece = example(entry["pairs"].removeprefix("(?i)"), hole=False)
        if not piece:
            return None
        name, eq, value = piece.lstrip("^").partition("=")
        if not eq and entry["pairs"].endswith("$"):
            return name, ""  # `/^name\d+$/` is a name written without a value (`?name`)
        return (name or "x"), (value if eq else "1") or "1"
    return FIXED, "1"


GENERATED: list[tuple[str, str | None]] = []  # (generated link, cleaned link), for the audit's check


def removed(url: str, name: str, keep: bool) -> tuple[bool, str | None]:
    out, _ = clean_url(url)
    GENERATED.append((url, out))
    names = cleaned_names(out)
    gone = name not in names and (not keep or KEEP.split("=")[0] in names)
    return gone, out


def list_coverage() -> dict[str, dict]:
    table = load("urls_lists")
    result: dict[str, dict] = {}
    for source in LISTS:
        hit = n = 0
        misses: list[str] = []
        g = table["global"].get(source, {})
        for name in g.get("names", []):
            n += 1
            ok, out = removed(f"https://www.example.org/article?{quote(name, safe='')}=1&{KEEP}", name, True)
            hit += ok
            if not ok:
                misses.append(f"global {name} -> {out}")
        for host, names in table["scoped"].get(source, {}).items():
            site = host[:-2] + ".com" if host.endswith(".*") else host
            for name in names:
                n += 1
                ok, out = removed(f"https://www.{site}/item/1?{quote(name, safe='')}=1&{KEEP}", name, True)
                hit += ok
                if not ok:
                    misses.append(f"{host} {name} -> {out}")
        for entry in (e for e in table.get("param_rules", []) if e["source"] == source):
            n += 1
            base, param = rule_url(entry), param_of(entry)
            if base is None or param is None:
                misses.append(f"{entry['rule']}: no link could be generated")
                continue
            name, value = param
            keep = not (entry.get("all") or entry.get("keep_only") or entry.get("keep_only_pairs"))
            piece = quote(name, safe="") + (f"={quote(value, safe='')}" if value else "")
            url = base + ("&" if "?" in base else "?") + f"{piece}&{KEEP}"
            ok, out = removed(url, name, keep)
            hit += ok
            if not ok:
                misses.append(f"{entry['rule']}: {url} -> {out}")
        left = table.get("left", {}).get(source, {})
        result[source] = {"hit": hit, "n": n, "misses": misses, "rules": left.get("rules", 0),
                          "taken": left.get("taken", 0), "not_for_links": len(left.get("not_for_links", [])),
                          "not_expressible": left.get("not_expressible", []), "exceptions": left.get("exceptions", 0),
                          "shared": left.get("shared_items", 0), "limits": left.get("site_limits", 0)}
    return result


def exception_cases() -> list[tuple[str, str, str]]:
    """(rule, link, parameter that must survive) for every exception the lists make."""
    cases = []
    for entry in load("urls_lists").get("list_keep", []):
        pattern = entry["params"][0]
        name = "unsigned_any" if pattern == ".*" else (example(pattern, hole=False) or "")
        if not name or not re.fullmatch(pattern, name, re.I):
            continue
        for host in entry.get("hosts") or [None]:  # every site an exception names
            base = rule_url({**entry, "hosts": [host]} if host else entry)
            if base is not None:
                cases.append((entry["rule"], base + ("&" if "?" in base else "?") + f"{quote(name, safe='')}=1", name))
    return cases


@pytest.fixture(scope="module")
def coverage():
    return list_coverage()


def test_print_removeparam_coverage(coverage, capsys):
    with capsys.disabled():
        print("\nlink rules: $removeparam lists (links generated from each rule, site and pattern)")
        for source, c in coverage.items():
            rate = c["hit"] / c["n"] if c["n"] else 1.0
            print(f"  {source:<16} {c['rules']:>5} removeparam rules: {c['taken']:>5} taken, "
                  f"{c['not_for_links']:>3} not for links, {len(c['not_expressible']):>3} not expressible; "
                  f"{c['exceptions']:>3} @@ exceptions and {c['limits']:>2} domain=~ limits kept; "
                  f"its own table items covered {c['hit']:>5} / {c['n']:<5} "
                  f"{rate:6.1%} (+{c['shared']} items an earlier list has, covered there)")
        for source, c in coverage.items():
            for line in c["not_expressible"]:
                print(f"    not expressible ({source}): {line}")
            for line in c["misses"]:
                print(f"    not covered ({source}): {line}")


def test_removeparam_lists_are_covered(coverage):
    for source, c in coverage.items():
        assert c["hit"] >= 0.95 * c["n"], (source, c["misses"][:20])
        if c["rules"] >= 100:  # the two big lists; the small ones' few rules are mostly for scripts and ads
            assert c["taken"] >= 0.95 * (c["rules"] - c["not_for_links"]), (source, c["not_expressible"])


def test_every_exception_of_the_lists_is_kept(capsys):
    """Over-cleaning cases from the lists themselves: what an exception (`@@...$removeparam`, or a rule's
    `domain=~site`) keeps, cleaning keeps, whichever other list would remove it."""
    cases = exception_cases()
    with capsys.disabled():
        print(f"\n  over-cleaning cases from the lists' exceptions: {len(cases)}")
    assert len(cases) >= 300  # 80 distinct @@ exceptions and the sites of 25 domain=~site limits
    over = [(rule, url, clean_url(url)[0]) for rule, url, name in cases if name not in cleaned_names(clean_url(url)[0])]
    assert over == []


def test_the_audit_agrees_on_the_removeparam_links(coverage):
    """The audit (its own reading of the tables) sees what was removed, passes what is left, and passes
    every link a list's exception keeps: a false alarm would fail a build over a clean link."""
    from anonymize.audit.links import check_link

    changed = [url for url, out in GENERATED if out != url]
    caught = [url for url in changed if check_link(url)]
    assert len(caught) >= 0.95 * len(changed), [u for u in changed if u not in caught][:20]
    assert [(url, out, check_link(out)) for url, out in GENERATED if out and check_link(out)] == []
    assert [(rule, url, check_link(url)) for rule, url, _name in exception_cases() if check_link(url)] == []


def test_legitimate_links_are_untouched_with_the_new_lists():
    changed = [(u, clean_url(u)) for u in rules().legitimate if clean_url(u) != (u, [])]
    assert changed == []
