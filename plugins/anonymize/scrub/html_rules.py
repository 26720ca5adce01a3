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
    )


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
