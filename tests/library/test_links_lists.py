"""Coverage of the public tracking lists, measured on links generated from the lists themselves.

ClearURLs' providers are read from the pinned package (unalix-rev: the same file, by SHA-256, that
rules/urls_lists.toml was made from); AdGuard's, Firefox's and Brave's names from the generated table
(urls_convert.py checked their hashes when it wrote it). For every rule a link is built from the
provider's own URL pattern with one legitimate parameter (`unsigned_keep=1`) that must survive:

- a parameter rule is covered when the parameter is gone and `unsigned_keep=1` is still there;
- a raw rule when its match is gone and the host survives;
- a redirection when the link comes out as the wrapped target, exactly.

The per-list table is printed (pytest -s not needed) and each list has a floor.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from re import _parser as sre  # type: ignore[attr-defined]
from urllib.parse import parse_qsl, quote

import pytest
from anonymize.scrub.links import clean_url, rules
from anonymize.scrub.rules import load
from anonymize.scrub.rules.urls_convert import clearurls_file

KEEP = "unsigned_keep=1"
TARGET = "https://example.org/landing?" + KEEP
HOLE = "\x00"  # where a redirection's group 1 (the wrapped target) goes


def example(pattern: str, one_or_more: bool = False, hole: bool = True) -> str | None:
    """A short string that `pattern` matches (its first branch, fewest repeats), or None; with `hole`,
    group 1 (a redirection's wrapped target) is written as HOLE."""
    try:
        tree = sre.parse(pattern, re.I)
    except re.error:
        return None
    groups: dict[int, str] = {}

    def pick(items: list, negate: bool) -> str:
        allowed = set()
        for op, av in items:
            if op is sre.LITERAL:
                allowed.add(chr(av).lower())
            elif op is sre.RANGE:
                allowed |= {chr(c).lower() for c in range(av[0], av[1] + 1)}
            elif op is sre.CATEGORY:
                allowed |= {_category(av)}
        for ch in "abcdefghijklmnopqrstuvwxyz0123456789_-." if not negate else "a_x1-.q":
            if (ch in allowed) != negate:
                return ch
        return "" if negate else sorted(allowed)[0]

    def walk(items) -> str:
        out = ""
        for op, av in items:
            if op is sre.LITERAL:
                out += chr(av)
            elif op is sre.NOT_LITERAL:
                out += "a" if chr(av).lower() != "a" else "b"
            elif op is sre.ANY:
                out += "a"
            elif op is sre.IN:
                negate = bool(av) and av[0][0] is sre.NEGATE
                out += pick(av[1:] if negate else av, negate)
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
                lo, _hi, body = av
                out += walk(body) * max(lo, 1 if one_or_more else lo)
            elif op is sre.SUBPATTERN:
                text = HOLE if av[0] == 1 and hole else walk(av[-1])
                if av[0]:
                    groups[av[0]] = text
                out += text
            elif op is sre.BRANCH:
                out += walk(av[1][0])
            elif op is sre.GROUPREF:
                out += groups.get(av, "")
            elif op is sre.CATEGORY:
                out += _category(av)
            # AT, ASSERT, ASSERT_NOT: nothing to write
        return out

    return walk(list(tree))


def _category(code) -> str:
    name = str(code)
    if "NOT" in name:
        return "-" if "WORD" in name else "a"
    return "1" if "DIGIT" in name else " " if "SPACE" in name else "a"


def base_url(pattern: str) -> str | None:
    """A URL the provider pattern matches, with a path, ready for a query."""
    text = example(pattern, one_or_more=True, hole=False) or ""
    if not text.lower().startswith("http"):
        text = "https://example.org/" if pattern in (".*", "") else None
    if text is None:
        return None
    if text.count("/") < 3:
        text += "/page"
    return text


def with_query(url: str, query: str) -> str:
    return url + ("&" if "?" in url else "?") + query


def cleaned_names(url: str | None) -> list[str]:
    if url is None:
        return []
    return [n for n, _ in parse_qsl(url.partition("#")[0].partition("?")[2], keep_blank_values=True)]


def clearurls_data() -> dict:
    data = clearurls_file().read_bytes()
    pinned = load("urls_lists")["sources"]["clearurls"]["sha256"]
    assert hashlib.sha256(data).hexdigest() == pinned, "the installed list is not the one the table was made from"
    return json.loads(data)["providers"]


GENERATED: list[tuple[str, str | None]] = []  # every (generated link, cleaned link), for the audit's check


def _clean(url: str) -> str | None:
    out, _ = clean_url(url)
    GENERATED.append((url, out))
    return out


def clearurls_results() -> tuple[Counter, Counter, list[str]]:
    covered, total, misses = Counter(), Counter(), []
    for name, p in clearurls_data().items():
        pattern = p["urlPattern"]
        base = base_url(pattern)
        excepted = [re.compile(x, re.I) for x in p.get("exceptions", [])]
        for kind, field in (("parameters", "rules"), ("parameters", "referralMarketing")):
            for rule in p.get(field, []):
                total[kind] += 1
                param = example(rule)
                if base is None or not param or not re.fullmatch(rule, param, re.I):
                    misses.append(f"{name}: {kind} {rule}: no link could be generated")
                    continue
                url = with_query(base, f"{param}=v1&{KEEP}")
                if not re.match(pattern, url, re.I) or any(e.search(url) for e in excepted):
                    misses.append(f"{name}: {kind} {rule}: generated link {url} is outside the provider")
                    continue
                out = _clean(url)
                names = cleaned_names(out)
                if param not in names and KEEP.split("=")[0] in names:
                    covered[kind] += 1
                else:
                    misses.append(f"{name}: {kind} {rule}: {url} -> {out}")
        for rule in p.get("rawRules", []):
            total["raw rules"] += 1
            piece = example(rule, one_or_more=True)
            url = (base or "").rstrip("/") + "/item" + (piece or "").replace("$", "")
            url = url if rule.endswith("$") else with_query(url, KEEP)
            out = _clean(url)
            if base and piece and re.search(rule, url, re.I) and out and not re.search(rule, out, re.I) \
                    and out.startswith(base.rstrip("/")):
                covered["raw rules"] += 1
            else:
                misses.append(f"{name}: raw rule {rule}: {url} -> {out}")
        for rule in p.get("redirections", []):
            total["redirections"] += 1
            shape = example(rule)
            done = False
            shapes = []
            if shape and HOLE in shape:
                shapes.append(shape)  # the rule's own host, then the provider's host with the rule's path
                path = re.sub(r"^https?://[^/]*", "", shape) if shape.lower().startswith("http") else shape
                host = re.sub(r"^(https?://[^/]*).*", r"\1", base or "https://example.org")
                shapes.append(host + "/" + path.lstrip("/"))
            # a rule outside its own provider's pattern (ClearURLs never applies it) is judged on its own shape
            shapes.sort(key=lambda u: not re.match(pattern, u, re.I))
            for url in (u.replace(HOLE, enc) for u in shapes for enc in (quote(TARGET, safe=""), TARGET)):
                m = re.search(rule, url, re.I)
                if not m or any(e.search(url) for e in excepted):
                    continue
                out = _clean(url)
                if out == TARGET:
                    covered["redirections"] += 1
                    done = True
                    break
                misses.append(f"{name}: redirection {rule}: {url} -> {out}")
                done = True
                break
            if not done:
                misses.append(f"{name}: redirection {rule}: no link could be generated")
    return covered, total, misses


def list_results() -> dict[str, tuple[int, int, list[str]]]:
    """Global and site-scoped names of AdGuard, Firefox and Brave: removed on a link built for each."""
    table = load("urls_lists")
    out: dict[str, tuple[int, int, list[str]]] = {}
    for source, g in table["global"].items():
        hit, miss = 0, []
        for name in g["names"]:
            url = f"https://www.example.org/article?{quote(name, safe='')}=1&{KEEP}"
            cleaned = _clean(url)
            names = cleaned_names(cleaned)
            if name not in names and KEEP.split("=")[0] in names:
                hit += 1
            else:
                miss.append(name)
        out[f"{source} global names"] = (hit, len(g["names"]), miss)
    for source, hosts in table.get("scoped", {}).items():
        hit, n, miss = 0, 0, []
        for host, params in hosts.items():
            for name in params:
                cleaned = _clean(f"https://www.{host}/item/1?{quote(name, safe='')}=1&{KEEP}")
                names = cleaned_names(cleaned)
                n += 1
                if name not in names and KEEP.split("=")[0] in names:
                    hit += 1
                else:
                    miss.append(f"{host} {name}")
        out[f"{source} site-scoped names"] = (hit, n, miss)
    return out


@pytest.fixture(scope="module")
def clearurls():
    return clearurls_results()


@pytest.fixture(scope="module")
def lists():
    return list_results()


def test_print_coverage(clearurls, lists, capsys):
    covered, total, misses = clearurls
    with capsys.disabled():
        print("\nlink rules: coverage of the public lists (links generated from each rule)")
        for kind in ("parameters", "raw rules", "redirections"):
            print(f"  ClearURLs {kind:<24} {covered[kind]:>4} / {total[kind]:<4} {covered[kind] / total[kind]:6.1%}")
        all_c, all_t = sum(covered.values()), sum(total.values())
        print(f"  ClearURLs {'all provider rules':<24} {all_c:>4} / {all_t:<4} {all_c / all_t:6.1%}")
        for name, (hit, n, _miss) in lists.items():
            if n:
                print(f"  {name:<34} {hit:>4} / {n:<4} {hit / n:6.1%}")
        from anonymize.audit.links import check_link

        changed = [url for url, out in GENERATED if out != url]
        caught = sum(1 for url in changed if check_link(url))
        print(f"  the audit flags {caught} / {len(changed)} of these links before cleaning "
              f"({caught / len(changed):.1%}); {sum(1 for _u, o in GENERATED if o and check_link(o))} after")
        for line in misses:
            print("    not covered:", line)
        for name, (_hit, _n, miss) in lists.items():
            if miss:
                print(f"    not covered ({name}):", ", ".join(miss))


def test_clearurls_provider_rules_are_covered(clearurls):
    covered, total, misses = clearurls
    assert sum(total.values()) >= 700, "the pinned ClearURLs list has ~737 provider rules"
    assert sum(covered.values()) / sum(total.values()) >= 0.95, misses
    for kind in ("parameters", "raw rules", "redirections"):
        assert covered[kind] / total[kind] >= 0.90, (kind, [m for m in misses if kind.split()[0][:5] in m])


def test_global_parameter_names_of_adguard_firefox_brave_are_covered(lists):
    for name in ("adguard global names", "firefox global names", "brave global names", "firefox-qs global names"):
        hit, n, miss = lists[name]
        assert n >= 30 and hit / n >= 0.90, (name, miss)


def test_every_provider_of_the_lists_is_in_the_table():
    ours = {p.name.removesuffix(" (ClearURLs)") for p in rules().providers if p.source == "clearurls"}
    assert ours == set(clearurls_data())


def test_the_audit_passes_what_the_scrubber_made_of_every_generated_link(clearurls, lists):
    """No false alarm (a build would fail on a clean link), and the audit sees the tracking the scrubber removed."""
    from anonymize.audit.links import check_link

    assert len(GENERATED) > 1000
    false_alarms = [(url, out, check_link(out)) for url, out in GENERATED if out and check_link(out)]
    assert false_alarms == []
    caught = sum(1 for url, out in GENERATED if out != url and check_link(url))
    changed = sum(1 for url, out in GENERATED if out != url)
    assert caught / changed >= 0.95, (caught, changed)
    again = [(out, clean_url(out)) for _url, out in GENERATED if out]
    again = [(out, res) for out, res in again if res[0] != out or any(not c.finding for c in res[1])]
    assert again == [], "a cleaned link is clean: a second pass changes nothing (a private document stays a finding)"
