"""Derive `rules/urls_lists.toml` from pinned copies of the public tracking lists.

    python -m anonymize.scrub.rules.urls_convert [--adguard FILE] [--firefox FILE] [--firefox-qs FILE]
                                                 [--brave FILE] [--ublock DIR]

Why: our link rules should be as good as the lists privacy tools ship, and an update should be one
command and a reviewable diff, not hand-picked names. Each list is pinned here (version and hash) and
recorded in the generated file with its licence:

- ClearURLs' `data.min.json` (LGPL-3.0) comes from the PyPI package `unalix-rev` (pinned in
  requirements.lock with its hash); the file's own SHA-256 is checked below.
- AdGuard's URL Tracking filter (filter 17, GPL-3.0) comes from the npm package `@adguard/dnr-rulesets`
  (its declarative form). Without `--adguard`, `npm pack` fetches the pinned version and its sha512
  integrity is checked; with `--adguard FILE` the given `ruleset_17.json` is read and its SHA-256 checked.
- Firefox's strip-on-share list (`StripOnShare.json`, MPL-2.0) and Brave's query filter
  (`components/query_filter/utils.cc`, MPL-2.0) ship in no package: give a local copy with `--firefox` /
  `--brave`; without one, that list's section of the current file is carried over unchanged.
- Firefox's query-stripping list (the remote-settings collection `query-stripping`, its `stripList`;
  MPL-2.0) ships in no package either: `--firefox-qs` reads the records' JSON or the names written
  as the pref `privacy.query_stripping.strip_list` is (whitespace between names); the pin is the
  SHA-256 of the sorted names joined by one space, so either form of the same list passes.
- uBlock Origin's lists (uBlockOrigin/uAssets, GPL-3.0): `--ublock DIR` reads `filters.txt` (with the
  files it `!#include`s), `privacy.txt`, `unbreak.txt` and `privacy-removeparam.txt` ("AdGuard/uBO - URL
  Tracking Protection"); each list's pin is the SHA-256 of its files' bytes in include order. Their
  `$removeparam` rules, and those of AdGuard's filter text (in the same pinned npm package, the
  `rawFilterList` the declarative form was made from), are sorted by `urls_abp.py`.

Nothing downloaded is kept or committed: only the generated TOML. Our own rules, additions and
exceptions live in `urls.toml`, never here.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import importlib.util
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from anonymize.scrub.rules import urls_abp

HERE = Path(__file__).parent
OUT = HERE / "urls_lists.toml"

SOURCES: dict[str, dict[str, str]] = {
    "clearurls": {
        "what": "ClearURLs rules, data.min.json (providers: parameters, raw rules, redirections, exceptions)",
        "upstream": "ClearURLs/Rules",
        "package": "pypi unalix-rev==0.9.1",
        "file": "unalix/package_data/rulesets/data.min.json",
        "sha256": "d812dfdb09214132b4b70bf7a02db828d5d13ba0036ce17756ed619188c8942e",
        "licence": "LGPL-3.0",
    },
    "adguard": {
        "what": "AdGuard URL Tracking filter (filter 17), declarative form: $removeparam names, global and per host",
        "upstream": "AdguardTeam/AdguardFilters (TrackParamFilter)",
        "package": "npm @adguard/dnr-rulesets@3.3.20260320140136",
        "integrity": "sha512-n0DqlWWlDYs4P6UdG1H5HQR/nVCMMxq6B6JMj6gvcP4uMvjmLKQw6rPg07vy5+Mn0ty9Q/3OYQldiHsqNSPzuQ==",
        "file": "package/dist/filters/declarative/ruleset_17/ruleset_17.json",
        "sha256": "0c1ea13aed88d4fe8019ef3f3a31a4f87a01999350f05a99eebf8ba7212e01c4",
        "licence": "GPL-3.0-only",
    },
    "firefox": {
        "what": "Firefox strip-on-share list, toolkit/components/antitracking/data/StripOnShare.json",
        "upstream": "mozilla-central, as in the Floorp-Projects/Floorp copy at "
                    "d9174da0c2e30b45b6381c6c298c0db3b31f54a5",
        "file": "StripOnShare.json",
        "sha256": "9f37c0d9638d2accd304eb1b3c37253905f33e8afc295cb6d229f1da719a4b34",
        "licence": "MPL-2.0",
    },
    "brave": {
        "what": "Brave query filter tables, components/query_filter/utils.cc (simple, conditional, scoped, exempted)",
        "upstream": "brave/brave-core at 0c7f00e55270713337549a38a127f7e441383c23",
        "file": "utils.cc (its tables)",
        "sha256": "69228ad06521e91160b739db84df44da262d69656abc21d87bcc076cf752f386",
        "licence": "MPL-2.0",
    },
}

# uBlock Origin's lists: our name -> (what, the list's first file)
UBLOCK_LISTS = {
    "ublock": ("uBlock filters", "filters.txt"),
    "ublock-privacy": ("uBlock filters - Privacy", "privacy.txt"),
    "ublock-unbreak": ("uBlock filters - Unbreak", "unbreak.txt"),
    "ubo-urltp": ("AdGuard/uBO - URL Tracking Protection", "privacy-removeparam.txt"),
}
UBLOCK_UPSTREAM = ("uBlockOrigin/uAssets, as published in uBlockOrigin/uAssetsCDN at "
                   "14217dadf6e39872bc234498fb83567d47853188")
UBLOCK_PINS = {
    "ublock": "e65c1a61ceb3da9c22267ce67364e56372b3bdf9f23f397ed32bcefe67dfaa19",
    "ublock-privacy": "fe54d189aac1f661ee00691f4184d3b5ae9e51fac32aa243ea81a9fd73496f00",
    "ublock-unbreak": "9019acc1d309113d6824fbd8460818137c633aa456ed60f7fa0d4d0f1a58305a",
    "ubo-urltp": "788d2d6c8f0ee98885a06eca0edcae0d791dafec481c82ae8a1ea65fecabf48d",
}
for _name, (_what, _first) in UBLOCK_LISTS.items():
    SOURCES[_name] = {"what": f"{_what} ({_first} and what it includes): $removeparam rules",
                      "upstream": UBLOCK_UPSTREAM, "file": _first, "sha256": UBLOCK_PINS[_name],
                      "licence": "GPL-3.0"}
SOURCES["adguard-text"] = {
    "what": "AdGuard URL Tracking filter (filter 17) as text: the $removeparam rules its declarative form "
            "did not carry (URL patterns, domain=, regex values, exceptions)",
    "upstream": "AdguardTeam/AdguardFilters (TrackParamFilter)",
    "package": SOURCES["adguard"]["package"],
    "file": SOURCES["adguard"]["file"] + " (metadata.rawFilterList)",
    "sha256": "df06fb60344096d64bbc32c774bf111db3adfe253e701246f0b1e274838e33e7",
    "licence": "GPL-3.0-only",
}
SOURCES["firefox-qs"] = {
    "what": "Firefox query-stripping list (remote settings main/query-stripping, stripList)",
    "upstream": "Mozilla remote settings, as quoted with the pref privacy.query_stripping.strip_list "
                "in yokoffing/Betterfox Securefox.js at 00acc684f6970abe7be5d3c09f523d22377ea74c",
    "file": "the names (records JSON or the pref's text)",
    "sha256": "8db2e9c52015eb4d5e7e265dd64b29047bf665862119a60063ba5f3f898bf5bd",
    "licence": "MPL-2.0",
}

HEADER = """\
# GENERATED by `python -m anonymize.scrub.rules.urls_convert` from the pinned public lists below.
# Do not edit: our own rules, additions and exceptions are in urls.toml. An update is: change a pin
# in urls_convert.py, run the command, review this file's diff.
#
# Licences: this file derives from ClearURLs' rules (LGPL-3.0), AdGuard's URL Tracking filter
# (GPL-3.0-only), uBlock Origin's filter lists (GPL-3.0), Firefox's StripOnShare.json and
# query-stripping list and Brave's query filter (MPL-2.0, GPL-compatible);
# it is distributed under GPL-3.0, as the project is (LICENSE, README "Licence").
"""


class ConvertError(Exception):
    """A pinned list is missing or is not the version we pinned."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _checked(name: str, data: bytes, where: str) -> bytes:
    got = _sha256(data)
    if got != SOURCES[name]["sha256"]:
        raise ConvertError(f"{where}: SHA-256 {got} is not the pinned {SOURCES[name]['sha256']}: "
                           f"pass the pinned version, or update the pin in urls_convert.py and review the diff")
    return data


def clearurls_file() -> Path:
    """The pinned data.min.json inside the installed unalix-rev package (found without importing it)."""
    spec = importlib.util.find_spec("unalix")
    if spec is None or not spec.submodule_search_locations:
        raise ConvertError("unalix-rev is not installed: run `make .venv/.installed` (it is in requirements.lock)")
    return Path(list(spec.submodule_search_locations)[0]) / "package_data" / "rulesets" / "data.min.json"


def read_clearurls(path: Path | None = None) -> dict[str, Any]:
    path = path or clearurls_file()
    return json.loads(_checked("clearurls", path.read_bytes(), str(path)))


def read_adguard(path: Path | None) -> list[dict[str, Any]]:
    if path is not None:
        return json.loads(_checked("adguard", path.read_bytes(), str(path)))
    spec = SOURCES["adguard"]["package"].split(" ", 1)[1]
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(["npm", "pack", spec, "--json", "--pack-destination", tmp],
                             capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise ConvertError(f"npm pack {spec}: {out.stderr.strip()[:200]}: check the npm registry is reachable")
        tgz = Path(tmp) / json.loads(out.stdout)[0]["filename"]
        digest = "sha512-" + base64.b64encode(hashlib.sha512(tgz.read_bytes()).digest()).decode()
        if digest != SOURCES["adguard"]["integrity"]:
            raise ConvertError(f"{tgz.name}: integrity {digest} is not the pinned one: update the pin and review")
        with tarfile.open(tgz) as tar:
            member = tar.extractfile(SOURCES["adguard"]["file"])
            if member is None:
                raise ConvertError(f"{tgz.name}: no {SOURCES['adguard']['file']}")
            return json.loads(_checked("adguard", member.read(), tgz.name))


def convert_clearurls(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One table per ClearURLs provider; a rule Python cannot compile is kept under `dropped`."""
    providers = []
    for name, p in data["providers"].items():
        entry: dict[str, Any] = {"name": name, "pattern": p["urlPattern"]}
        dropped = []
        for key, field in (("params", "rules"), ("referral", "referralMarketing"), ("raw", "rawRules"),
                           ("redirects", "redirections"), ("exceptions", "exceptions")):
            good = []
            for rule in p.get(field, []):
                try:
                    re.compile(rule)
                except re.error as exc:
                    dropped.append(f"{field}: {rule} ({exc})")
                    continue
                good.append(rule)
            if good:
                entry[key] = good
        if p.get("completeProvider"):
            entry["complete"] = True
        if dropped:
            entry["dropped"] = dropped
        providers.append(entry)
    return providers


Scoped = dict[str, list[str]]  # host (and its sub-domains) -> names removed there


def _merged(pairs) -> Scoped:
    by_host: dict[str, set[str]] = {}
    for host, names in pairs:
        by_host.setdefault(host, set()).update(names)
    return {h: sorted(n) for h, n in sorted(by_host.items())}


def convert_adguard(rules: list[dict[str, Any]]) -> tuple[dict[str, Any], Scoped]:
    """Names AdGuard removes on every site (with the hosts each is kept on), and names it removes on one
    site (rules `||host^`; rules for a path, a pattern or links from some sites are not taken)."""
    names: dict[str, set[str]] = {}
    by_host: dict[str, set[str]] = {}
    for rule in rules:
        transform = rule.get("action", {}).get("redirect", {}).get("transform", {}).get("queryTransform", {})
        if not transform.get("removeParams"):
            continue
        cond = rule.get("condition", {})
        host = re.fullmatch(r"\|\|([a-z0-9.-]+)\^", cond.get("urlFilter", ""))
        if host and not set(cond) - {"resourceTypes", "urlFilter"}:
            by_host.setdefault(host.group(1), set()).update(transform["removeParams"])
        if set(cond) - {"resourceTypes", "excludedRequestDomains"}:
            continue  # scoped to some sites: not a global name
        for name in transform["removeParams"]:
            names.setdefault(name, set()).update(cond.get("excludedRequestDomains", []))
    glob = {"names": sorted(names), "except_hosts": {n: sorted(h) for n, h in sorted(names.items()) if h}}
    return glob, _merged(by_host.items())


def convert_firefox(data: dict[str, Any]) -> tuple[dict[str, Any], Scoped]:
    glob: set[str] = set()
    scoped = []
    for entry in data.values():
        sites = entry.get("topLevelSites", [])
        if "*" in sites:
            glob.update(entry["queryParams"])
        else:
            scoped += [(site.removeprefix("www."), entry["queryParams"]) for site in sites]
    return {"names": sorted(glob)}, _merged(scoped)


def _cc_block(text: str, name: str) -> str:
    m = re.search(rf"{name}\s*=.*?\{{(.*?)\}}\);", text, re.S)
    if not m:
        raise ConvertError(f"brave: no table {name}: is this components/query_filter/utils.cc?")
    return re.sub(r"//[^\n]*", "", m.group(1))


def convert_brave(text: str) -> tuple[dict[str, Any], Scoped]:
    simple = re.findall(r'"([^"]+)"', _cc_block(text, "kSimpleQueryStringTrackers"))
    conditional = dict(re.findall(r'\{"([^"]+)",\s*"([^"]+)"\}', _cc_block(text, "kConditionalQueryStringTrackers")))
    scoped_table = re.findall(r'\{"([^"]+)",\s*\{([^}]*)\}\}', _cc_block(text, "kScopedQueryStringTrackers"))
    exempt = re.findall(r'"([^"]+)"', _cc_block(text, "kExemptedHostnames"))
    scoped = _merged((host, [name]) for name, hosts in scoped_table for host in re.findall(r'"([^"]+)"', hosts))
    glob = {"names": sorted(simple), "unless_url": dict(sorted(conditional.items())), "exempt_hosts": exempt}
    return glob, scoped


def read_firefox_qs(path: Path) -> dict[str, Any]:
    """The query-stripping names from the records' JSON or the pref's text; pinned by the sorted names."""
    text = path.read_text("utf-8")
    try:
        records = json.loads(text)
        records = records.get("data", records) if isinstance(records, dict) else records
        names = {n for rec in records for n in rec.get("stripList", [])}
    except ValueError:
        names = set(text.split())
    _checked("firefox-qs", " ".join(sorted(names)).encode(), str(path))
    return {"names": sorted(names)}


def read_ublock(directory: Path, name: str) -> list[str]:
    """A uBlock list's lines with its `!#include`d files in place (pinned: their bytes in that order)."""
    data: list[bytes] = []
    lines: list[str] = []

    def take(fname: str, depth: int) -> None:
        raw = (directory / fname).read_bytes()
        data.append(raw)
        for line in raw.decode("utf-8").splitlines():
            inc = re.match(r"!#include\s+(\S+)", line)
            if inc and depth < 3:
                take(inc.group(1), depth + 1)
            else:
                lines.append(line)

    take(UBLOCK_LISTS[name][1], 0)
    _checked(name, b"".join(data), f"{directory}/{UBLOCK_LISTS[name][1]}")
    return lines


def adguard_text(rules: list[dict[str, Any]]) -> list[str]:
    """The filter's own text, kept by the declarative package in its first rule's metadata."""
    raw = rules[0].get("metadata", {}).get("metadata", {}) and rules[0]["metadata"].get("rawFilterList", "")
    if not raw:
        raise ConvertError("adguard: the ruleset has no rawFilterList: is this @adguard/dnr-rulesets?")
    return _checked("adguard-text", raw.encode("utf-8"), "ruleset_17.json rawFilterList").decode().splitlines()


class Seen:
    """What earlier lists already put in the table: a later list's identical item is not written twice
    (uBO's URL Tracking Protection is a fork of AdGuard's filter), only counted as shared."""

    def __init__(self) -> None:
        self.names: dict[str, set[str]] = {}
        self.scoped: dict[str, set[str]] = {}
        self.entries: set[str] = set()

    def add_global(self, g: dict[str, Any]) -> None:
        for n in g.get("names", []):
            self.names.setdefault(n, set()).update(g.get("except_hosts", {}).get(n, []))

    def add_scoped(self, scoped: Scoped) -> None:
        for h, names in scoped.items():
            self.scoped.setdefault(h, set()).update(names)

    def new_entry(self, kind: str, entry: dict[str, Any]) -> bool:
        key = kind + json.dumps({k: v for k, v in entry.items() if k not in ("rule", "source", "find")},
                                sort_keys=True)
        if key in self.entries:
            return False
        self.entries.add(key)
        return True


def _find(entry: dict[str, Any]) -> list[str]:
    """Strings one of which a URL the rule applies to contains (links.py finds them in one pass)."""
    from anonymize.scrub.links import required_literals

    found = required_literals(entry["pattern"]) if entry.get("pattern") else ()
    if not found and entry.get("hosts"):
        found = tuple(h.removesuffix(".*").lower() for h in entry["hosts"])
    if not found and entry.get("pairs") and not entry.get("keep_only_pairs"):
        found = required_literals(entry["pairs"])
    return list(found)


def _site_limits(c: urls_abp.Converted, source: str) -> list[dict[str, Any]]:
    """A rule's `domain=~site` (the sites its list does not remove the parameter on, because removing it
    broke them) as an exception: no other list's rule removes it there either."""
    out: list[dict[str, Any]] = []
    for name, hosts in sorted(c.names.items()):
        if hosts:
            out.append({"rule": f"{source}: {name} is not removed on these sites", "hosts": sorted(hosts),
                        "params": [re.escape(name)]})
    for r in c.rules:
        if r.get("except_hosts"):
            where = {k: r[k] for k in ("pattern",) if k in r}
            names = [re.escape(n) for n in r.get("names", [])] or [".*"]
            out.append({"rule": r["rule"], **where, "hosts": r["except_hosts"], "params": names})
    return out


def convert_abp(lines: list[str], source: str, seen: Seen) -> dict[str, Any]:
    """One list's removeparam rules as our tables, less what earlier lists already wrote (`seen`);
    what is left, and why, is recorded too."""
    c = urls_abp.convert_lines(lines)
    shared = 0
    names: dict[str, set[str]] = {}
    for n, hosts in c.names.items():
        if n in seen.names and hosts <= seen.names[n]:  # the union of the lists' exceptions is the same
            shared += 1
        else:
            names[n] = hosts
    scoped: dict[str, list[str]] = {}
    for h, ns in c.scoped.items():
        fresh = ns - seen.scoped.get(h, set())
        shared += len(ns) - len(fresh)
        if fresh:
            scoped[h] = sorted(fresh)
    rules = [r for r in c.rules if seen.new_entry("rule", r)]
    limits = _site_limits(c, source)
    keep = [k for k in c.keep + limits if seen.new_entry("keep", k)]
    shared += len(c.rules) - len(rules)
    out = {
        "global": {"names": sorted(names), "except_hosts": {n: sorted(h) for n, h in sorted(names.items()) if h}},
        "scoped": dict(sorted(scoped.items())),
        "rules": [{"source": source, **r, "find": _find(r)} for r in rules],
        "keep": [{"source": source, **k, "find": _find(k)} for k in keep],
        "left": {"rules": len(c.taken) + len(c.not_for_links) + len(c.not_expressible),
                 "taken": len(c.taken), "exceptions": len(c.exceptions),
                 "site_limits": len(limits), "shared_items": shared,
                 "shared_exceptions": len(c.keep) + len(limits) - len(keep),
                 "not_for_links": [r.line for r in c.not_for_links],
                 "not_expressible": [f"{r.line}  <- {why}" for r, why in c.not_expressible]},
    }
    seen.add_global(out["global"])
    seen.add_scoped(out["scoped"])
    return out


# -- writing TOML (values as JSON strings, which are valid TOML basic strings) --------------------------

def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        if not v:
            return "[]"
        if sum(len(_value(x)) for x in v) < 80:
            return "[" + ", ".join(_value(x) for x in v) + "]"
        return "[\n" + "".join(f"  {_value(x)},\n" for x in v) + "]"
    raise TypeError(type(v))


def _inline(entry: dict[str, Any]) -> str:
    """One rule as a TOML inline table on one line (the table has ~1,000 of them: parsing stays short)."""
    return "{" + ", ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in entry.items()) + "}"


def _table(header: str, values: dict[str, Any]) -> str:
    lines = [header] if header else []
    subtables = []
    for key, v in values.items():
        if isinstance(v, dict):
            subtables.append((key, v))
            continue
        lines.append(f"{json.dumps(key)} = {_value(v)}" if not re.fullmatch(r"[A-Za-z0-9_-]+", key)
                     else f"{key} = {_value(v)}")
    out = "\n".join(lines) + "\n"
    for key, sub in subtables:
        name = header.strip("[]") + "." + key
        out += "\n" + _table(f"[{name}]", sub)
    return out


def render(sources: dict[str, dict[str, str]], glob: dict[str, dict[str, Any]], scoped: dict[str, Scoped],
           providers: list[dict[str, Any]], abp: dict[str, dict[str, Any]] | None = None) -> str:
    parts = [HEADER]
    for key, field in (("param_rules", "rules"), ("list_keep", "keep")):  # top-level keys: before any table
        entries = [e for a in (abp or {}).values() for e in a[field]]
        parts.append(f"{key} = [\n" + "".join(f"  {_inline(e)},\n" for e in entries) + "]\n")
    for name, src in sources.items():
        parts.append(_table(f"[sources.{name}]", src))
    for name, g in glob.items():
        parts.append(_table(f"[global.{name}]", g))
    for name, hosts in scoped.items():
        parts.append(_table(f"[scoped.{name}]", hosts))
    for name, a in (abp or {}).items():
        parts.append(_table(f"[left.{name}]", a["left"]))
    for p in providers:
        parts.append(_table("[[providers]]", {"source": "clearurls", **p}))
    return "\n".join(parts)


def _carried(old: dict[str, Any], name: str, option: str) -> dict[str, Any]:
    """A list's sections of the current file, when no copy was given and the pin has not moved."""
    if name not in old.get("global", {}):
        raise ConvertError(f"no {name} section yet: pass --{option} (a local copy)")
    if old["sources"][name]["sha256"] != SOURCES[name]["sha256"]:
        raise ConvertError(f"{name} was made from another version: pass --{option}")
    if name in UBLOCK_LISTS and old["sources"]["adguard-text"]["sha256"] != SOURCES["adguard-text"]["sha256"]:
        raise ConvertError(f"{name} left out what AdGuard's older filter had: pass --{option} to write it anew")
    return {"global": old["global"][name], "scoped": old.get("scoped", {}).get(name, {}),
            "left": old.get("left", {}).get(name, {}),
            "rules": [r for r in old.get("param_rules", []) if r["source"] == name],
            "keep": [k for k in old.get("list_keep", []) if k["source"] == name]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clearurls", type=Path, help="a data.min.json (default: the installed unalix-rev package's)")
    ap.add_argument("--adguard", type=Path, help="ruleset_17.json of @adguard/dnr-rulesets (default: npm pack the pin)")
    ap.add_argument("--firefox", type=Path, help="a copy of StripOnShare.json")
    ap.add_argument("--brave", type=Path, help="a copy of brave-core components/query_filter/utils.cc")
    ap.add_argument("--firefox-qs", type=Path, help="Firefox's query-stripping names (records JSON or pref text)")
    ap.add_argument("--ublock", type=Path, help="a folder with uBlock's filters.txt, privacy.txt, unbreak.txt, "
                                                "privacy-removeparam.txt and the files they include")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--debug", action="store_true")
    args = ap.parse_args(argv)
    try:
        old = tomllib.loads(args.out.read_text("utf-8")) if args.out.exists() else {}
        glob: dict[str, dict[str, Any]] = {}
        scoped: dict[str, Scoped] = {}
        adguard_rules = read_adguard(args.adguard)
        glob["adguard"], scoped["adguard"] = convert_adguard(adguard_rules)
        for name, path, convert in (("firefox", args.firefox, lambda b: convert_firefox(json.loads(b))),
                                    ("brave", args.brave, lambda b: convert_brave(b.decode("utf-8")))):
            if path is not None:
                g, s = convert(_checked(name, path.read_bytes(), str(path)))
            elif name in old.get("global", {}):
                g, s = old["global"][name], old.get("scoped", {}).get(name, {})
                if old["sources"][name]["sha256"] != SOURCES[name]["sha256"]:
                    raise ConvertError(f"{args.out}: {name} was made from another version: pass --{name} FILE")
            else:
                raise ConvertError(f"{args.out}: no {name} section yet: pass --{name} FILE (a local copy)")
            glob[name] = g
            scoped[name] = s
        if args.firefox_qs is not None:
            glob["firefox-qs"] = read_firefox_qs(args.firefox_qs)
        else:
            glob["firefox-qs"] = _carried(old, "firefox-qs", "firefox-qs")["global"]
        abp: dict[str, dict[str, Any]] = {}
        seen = Seen()
        seen.add_global(glob["adguard"])
        seen.add_scoped(scoped["adguard"])
        abp["adguard-text"] = convert_abp(adguard_text(adguard_rules), "adguard-text", seen)
        for name in UBLOCK_LISTS:
            abp[name] = (convert_abp(read_ublock(args.ublock, name), name, seen) if args.ublock is not None
                         else _carried(old, name, "ublock"))
        for name, a in abp.items():
            glob[name], scoped[name] = a["global"], a["scoped"]
        providers = convert_clearurls(read_clearurls(args.clearurls))
    except (ConvertError, OSError, ValueError) as exc:
        if args.debug:
            raise
        print(f"urls_convert: {exc}", file=sys.stderr)
        return 1
    text = render(SOURCES, glob, scoped, providers, abp)
    tomllib.loads(text)  # what we write must read back
    args.out.write_text(text, "utf-8")
    print(f"{args.out}: {len(providers)} ClearURLs providers, "
          + ", ".join(f"{len(g['names'])} {n} names" for n, g in glob.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
