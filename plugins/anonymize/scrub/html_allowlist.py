"""The last word on an essay's HTML: nh3 (ammonia) with our allowlist.

The BeautifulSoup stage before it transforms and reports; this gate only
enforces. Whatever that stage missed, nothing outside the allowlist, no
non-http(s) URL and no image from another host can pass here.
"""

from __future__ import annotations

from functools import lru_cache

import nh3

from anonymize.scrub.html_rules import html_rules, is_local


@lru_cache(maxsize=1)
def _config():
    r = html_rules()
    attributes = {tag: set(r.allowed_attributes(tag)) for tag in r.tags}
    attributes["*"] = set(r.generic_attributes)
    # nh3 refuses a tag that is both allowed and dropped with its content.
    clean_content = set(r.drop_with_content) - set(r.tags)
    clean_content &= {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math",
                      "title", "textarea", "select", "applet", "frame", "frameset", "audio", "video", "canvas"}
    return r.tags, attributes, r.url_schemes, clean_content


def gate(html: str, hosts: frozenset[str]) -> str:
    """Return `html` reduced to the allowlist."""
    return _cleaner(frozenset(hosts)).clean(html)


@lru_cache(maxsize=16)
def _cleaner(hosts: frozenset[str]) -> nh3.Cleaner:
    """Built once per set of our own hosts: `nh3.clean` converts the whole allowlist on every call."""
    tags, attributes, schemes, clean_content = _config()

    def attribute_filter(tag: str, attr: str, value: str) -> str | None:
        if tag == "img" and attr == "src" and not is_local(value, hosts):
            return None
        if attr in ("href", "src", "cite") and value.strip().startswith("//") and not is_local(value, hosts):
            return None
        return value

    return nh3.Cleaner(
        tags=set(tags),
        attributes=attributes,
        url_schemes=set(schemes),
        strip_comments=True,
        link_rel=None,  # the page-wide referrer policy is no-referrer; rel on every link adds bytes only
        clean_content_tags=clean_content,
        attribute_filter=attribute_filter,
    )
