"""What the build hands to the audit: allowed author names, acknowledged findings, our own hosts.

Written next to the build report (never into the output). The audit reads
it with `--policy`; without it the audit assumes the strictest policy.
"""

from __future__ import annotations

import json
import os
from urllib.parse import urlsplit

_articles: list = []
SUBMIT_CHANNELS = ("ANONYMIZE_SUBMIT_EMAIL", "ANONYMIZE_SUBMIT_SIGNAL", "ANONYMIZE_SUBMIT_SECUREDROP",
                   "ANONYMIZE_SUBMIT_POSTAL")


def on_articles(generator) -> None:
    _articles[:] = list(generator.articles) + list(getattr(generator, "hidden_articles", []))


def articles() -> list:
    return list(_articles)


def policy_for(settings, articles) -> dict:
    names = {settings.get("ANONYMIZE_PSEUDONYM") or "Anonymous", *(settings.get("ANONYMIZE_PEN_NAMES") or [])}
    acknowledged: set[str] = set()
    for article in articles:
        value = article.metadata.get("acknowledged")
        if isinstance(value, str):
            value = [value]
        for item in value or []:
            for part in str(item).split(";"):
                text = part.split(":", 1)[1] if ":" in part and part.split(":", 1)[0].strip().isidentifier() else part
                if text.strip():
                    acknowledged.add(text.strip())
    # The addresses the submit page gives for sending essays are the desk's own, published on purpose.
    acknowledged |= {str(settings.get(key) or "").strip() for key in SUBMIT_CHANNELS} - {""}
    hosts = {urlsplit(settings.get(k) or "").hostname for k in ("SITEURL", "FEED_DOMAIN")}
    return {"pseudonyms": sorted(names), "acknowledged": sorted(acknowledged),
            "site_hosts": sorted(h for h in hosts if h)}


def path_for(settings) -> str:
    report = settings.get("ANONYMIZE_REPORT_PATH")
    if report:
        return os.path.join(os.path.dirname(report), "audit-policy.json")
    output = os.path.abspath(settings["OUTPUT_PATH"])
    return os.path.join(os.path.dirname(output), ".unsigned", "audit-policy.json")


def on_finalized(pelican) -> None:
    path = path_for(pelican.settings)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(policy_for(pelican.settings, _articles), fh, indent=2)
    os.replace(tmp, path)
