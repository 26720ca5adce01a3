"""Clean one URL: unwrap redirect wrappers, drop tracking and share-attribution parameters.

The rules are data (`rules/urls.toml`, in the spirit of ClearURLs); this
module only knows how to apply them. Every change is returned so the caller
can report it, and `None` means the link must lose its target.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from anonymize.scrub.rules import load

UNSAFE_SCHEMES = {"javascript", "data", "vbscript", "blob", "filesystem", "jar", "view-source"}
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


@dataclass(frozen=True)
class Change:
    """What cleaning did to a URL: kind is tracking-param, redirect-wrapper, link-target or private-document."""

    kind: str
    what: str
    finding: bool = False


@dataclass(frozen=True)
class Provider:
    name: str
    pattern: re.Pattern
    params: re.Pattern | None = None  # every tracking-parameter rule as one pattern: one match per name
    redirects: tuple[re.Pattern, ...] = ()
    redirect_params: tuple[str, ...] = ()
    redirect_encoding: str = ""
    redirect_scheme: str = ""
    exceptions: tuple[re.Pattern, ...] = ()
    opaque: bool = False
    examples: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Rules:
    providers: tuple[Provider, ...]
    private: tuple[re.Pattern, ...]
    private_examples: tuple[str, ...]
    strip_schemes: frozenset[str]
    tracking_names: re.Pattern = field(default=re.compile("(?!)"))


def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.I)


@lru_cache(maxsize=1)
def rules() -> Rules:
    data = load("urls")
    providers = []
    for p in data["providers"]:
        providers.append(
            Provider(
                name=p["name"],
                pattern=_rx(p["pattern"]),
                params=re.compile("|".join(f"(?:{x})" for x in p["params"]), re.I) if p.get("params") else None,
                redirects=tuple(_rx(x) for x in p.get("redirects", [])),
                redirect_params=tuple(p.get("redirect_params", [])),
                redirect_encoding=p.get("redirect_encoding", ""),
                redirect_scheme=p.get("redirect_scheme", ""),
                exceptions=tuple(_rx(x) for x in p.get("exceptions", [])),
                opaque=bool(p.get("opaque", False)),
                examples=tuple(tuple(e) for e in p.get("examples", [])),
            )
        )
    private = data.get("private", {})
    return Rules(
        providers=tuple(providers),
        private=tuple(_rx(x) for x in private.get("patterns", [])),
        private_examples=tuple(private.get("examples", [])),
        strip_schemes=frozenset(data.get("strip_target", {}).get("schemes", [])),
    )


def scheme_of(url: str) -> str:
    m = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return m.group(1).lower() if m else ""


def clean_url(url: str, depth: int = 0) -> tuple[str | None, list[Change]]:
    """Return the cleaned URL (or None: drop the target) and what changed."""
    r = rules()
    url = _CONTROL.sub("", url or "")
    changes: list[Change] = []
    scheme = scheme_of(url)
    if scheme in UNSAFE_SCHEMES:
        return None, [Change("unsafe-url", f"{scheme}: URL")]
    if scheme in r.strip_schemes:
        return None, [Change("link-target", f"{scheme}: link", finding=True)]
    if scheme and scheme not in {"http", "https"}:
        return None, [Change("link-target", f"{scheme}: link", finding=True)]
    if url.startswith("//"):
        url = "https:" + url
    for provider in r.providers:
        if not provider.pattern.match(url) or any(e.match(url) for e in provider.exceptions):
            continue
        if provider.opaque:
            return None, [Change("redirect-wrapper", f"{provider.name} (target cannot be recovered)", finding=True)]
        target = _unwrap(url, provider)
        if target:
            if depth > 5:
                return None, [Change("redirect-wrapper", "nested too deep", finding=True)]
            inner, more = clean_url(target, depth + 1)
            return inner, [Change("redirect-wrapper", provider.name), *more]
        url, removed = _strip_params(url, provider.params)
        changes += [Change("tracking-param", name) for name in removed]
    for pattern in r.private:
        if pattern.match(url):
            changes.append(Change("private-document", url, finding=True))
            break
    return url, changes


def _strip_params(url: str, params: re.Pattern | None) -> tuple[str, list[str]]:
    if params is None:
        return url, []
    parts = urlsplit(url)
    removed: list[str] = []

    def keep(piece: str) -> bool:
        name = unquote(piece.split("=", 1)[0])
        if params.fullmatch(name):
            removed.append(name)
            return False
        return True

    query = "&".join(p for p in parts.query.split("&") if p and keep(p)) if parts.query else ""
    fragment = parts.fragment
    if fragment and "=" in fragment:
        pieces = fragment.split("&")
        kept = [p for p in pieces if keep(p)]
        fragment = "&".join(kept)
    if not removed:
        return url, []
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, fragment)), removed


def _unwrap(url: str, provider: Provider) -> str | None:
    """The wrapped target, decoded, or None when this URL wraps nothing."""
    candidates: list[str] = []
    if provider.redirect_params:
        query = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
        candidates += [query[name] for name in provider.redirect_params if query.get(name)]
    for rx in provider.redirects:
        m = rx.search(url)
        if m:
            candidates.append(unquote(m.group(1)) if provider.redirect_encoding != "proofpoint-v3" else m.group(1))
    for value in candidates:
        target = _decode(value, provider, url)
        if target and re.match(r"https?://", target, re.I):
            return target
    return None


def _decode(value: str, provider: Provider, url: str) -> str | None:
    enc = provider.redirect_encoding
    if provider.redirect_scheme and not value.lower().startswith("http"):
        return provider.redirect_scheme + value
    if enc == "proofpoint-v2" and "/v2/" in url:
        value = re.sub(r"-([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), value.replace("_", "/"))
    elif enc == "proofpoint-v3":
        value = _proofpoint_v3(value, url)
    if value.lower().startswith(("http://", "https://")):
        return value
    return _base64_url(value)


def _proofpoint_v3(value: str, url: str) -> str | None:
    """v3 replaces some characters with '*' and lists them, base64-encoded, after the URL."""
    if "*" not in value:
        return value
    m = re.search(r"__;([A-Za-z0-9+/=_-]*)!!", url)
    if not m:
        return None
    try:
        chars = base64.urlsafe_b64decode(m.group(1) + "=" * (-len(m.group(1)) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    out, i = [], 0
    for ch in value:
        if ch == "*":
            if i >= len(chars):
                return None
            out.append(chars[i])
            i += 1
        else:
            out.append(ch)
    return "".join(out)


def _base64_url(value: str) -> str | None:
    for decoder in (base64.urlsafe_b64decode, base64.b64decode):
        try:
            text = decoder(value + "=" * (-len(value) % 4)).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
        if text.lower().startswith(("http://", "https://")):
            return text
    return None
