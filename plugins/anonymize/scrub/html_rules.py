"""The HTML rule table (`rules/html.toml`) compiled once for the scrubber and the gate."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from anonymize.scrub.rules import load


@dataclass(frozen=True)
class Widget:
    name: str
    classes: frozenset[str]
    kind: str  # post | drop | quote
    permalink_attribute: str


@dataclass(frozen=True)
class Player:
    name: str
    pattern: re.Pattern
    link: str


@dataclass(frozen=True)
class Shortcode:
    kind: str  # unwrap | link | quote | drop
    url_attributes: tuple[str, ...]
    text_attributes: tuple[str, ...]


@dataclass(frozen=True)
class HtmlRules:
    tags: frozenset[str]
    generic_attributes: frozenset[str]
    attributes: dict[str, frozenset[str]]
    url_attributes: frozenset[str]
    url_schemes: frozenset[str]
    drop_with_content: frozenset[str]
    tracking_attributes: frozenset[str]
    widgets: tuple[Widget, ...]
    share_intents: tuple[re.Pattern, ...]
    widget_labels: frozenset[str]
    players: tuple[Player, ...]
    pixel_max: int
    pixel_hosts: re.Pattern
    shown_raw_text: frozenset[str]
    markup_text: re.Pattern
    markup_text_kept_inside: frozenset[str]
    source_ids: re.Pattern
    shortcodes: dict[str, Shortcode]
    shortcode_tag: re.Pattern

    def allowed_attributes(self, tag: str) -> frozenset[str]:
        return self.generic_attributes | self.attributes.get(tag, frozenset())


@lru_cache(maxsize=1)
def html_rules() -> HtmlRules:
    t = load("html")
    return HtmlRules(
        tags=frozenset(t["tags"]),
        generic_attributes=frozenset(t["generic_attributes"]),
        attributes={k: frozenset(v) for k, v in t["attributes"].items()},
        url_attributes=frozenset(t["url_attributes"]),
        url_schemes=frozenset(t["url_schemes"]),
        drop_with_content=frozenset(t["drop_with_content"]),
        tracking_attributes=frozenset(t["tracking_attributes"]),
        widgets=tuple(
            Widget(w["name"], frozenset(w["classes"]), w["kind"], w.get("permalink_attribute", ""))
            for w in t["widgets"]
        ),
        share_intents=tuple(re.compile(p, re.I) for p in t["share_intents"]),
        widget_labels=frozenset(t["widget_labels"]),
        players=tuple(Player(p["name"], re.compile(p["pattern"], re.I), p["link"]) for p in t["players"]),
        pixel_max=int(t["pixels"]["max_size"]),
        pixel_hosts=re.compile("|".join(t["pixels"]["hosts"]), re.I),
        shown_raw_text=frozenset(t["shown_raw_text"]),
        markup_text=re.compile(t["markup_text"]["pattern"], re.S),
        markup_text_kept_inside=frozenset(t["markup_text"]["keep_inside"]),
        source_ids=re.compile("|".join(f"(?:{p})" for p in t["source_ids"]["patterns"]), re.I),
        shortcodes=(codes := {
            name.lower(): Shortcode(s["kind"], tuple(s.get("url_attributes", ())), tuple(s.get("text_attributes", ())))
            for s in t["shortcodes"] for name in s["names"]
        }),
        shortcode_tag=_shortcode_pattern(codes),
    )


def _shortcode_pattern(codes: dict[str, Shortcode]) -> re.Pattern:
    """`[name attrs]`, `[/name]` and, for link shortcodes, `[name attrs]content[/name]` (WordPress's syntax)."""
    names = "|".join(re.escape(n) for n in sorted(codes, key=len, reverse=True))
    return re.compile(
        rf"\[(?P<close>/)?(?P<name>{names})(?![\w-])(?P<attrs>(?:[^\]\[\"'“”″]|\"[^\"]*\"|'[^']*'|[“”″][^“”″]*[“”″])*?)"
        rf"/?\](?:(?P<content>[^\[]*?)\[/(?P=name)\])?",
        re.I,
    )


# WordPress's shortcode_parse_atts, with the curly quotes its texturizer puts into exported content.
SHORTCODE_ATTR = re.compile(
    r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|[“”″]([^“”″]*)[“”″]|([^\s'"“”″]+))|"([^"]*)"|'([^']*)'|(\S+)"""
)


def shortcode_attributes(text: str) -> tuple[dict[str, str], list[str]]:
    """Named and bare values of a shortcode's attribute text."""
    named: dict[str, str] = {}
    bare: list[str] = []
    for m in SHORTCODE_ATTR.finditer(text or ""):
        if m.group(1):
            named[m.group(1).lower()] = next((g for g in m.groups()[1:5] if g is not None), "")
        else:
            bare.append(next(g for g in m.groups()[5:] if g is not None))
    return named, bare


def is_local(url: str, site_hosts: frozenset[str] = frozenset()) -> bool:
    """A URL that a browser would fetch from our own site (or a Pelican placeholder for one)."""
    url = (url or "").strip()
    if url.startswith(("{static}", "{filename}", "{attach}", "{index}", "{tag}", "{category}", "|static|",
                       "|filename|")):
        return True
    if url.startswith("//"):
        return urlsplit("https:" + url).hostname in site_hosts
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return ":" not in url.split("/", 1)[0]
    return parts.scheme in ("http", "https") and (parts.hostname or "") in site_hosts


def site_hosts(settings) -> frozenset[str]:
    hosts = set()
    for key in ("SITEURL", "FEED_DOMAIN"):
        value = (settings or {}).get(key) or ""
        host = urlsplit(value).hostname
        if host:
            hosts.add(host.lower())
    return frozenset(hosts)
