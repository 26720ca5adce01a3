"""What the build hands to the audit: allowed author names, acknowledged findings, our own hosts.

Written beside the build report (never into the output), at `paths.policy_path`, one file per site folder.
It names the folder it was written for and a digest of that folder's pages, so the audit can tell a
hand-over that belongs to another site or to an earlier build, and then audits with the strictest policy.
"""

from __future__ import annotations

import json
import os
from urllib.parse import urlsplit

from anonymize import paths
from anonymize.audit import pages_digest
from anonymize.pelican_plugin import state

SUBMIT_CHANNELS = ("ANONYMIZE_SUBMIT_EMAIL", "ANONYMIZE_SUBMIT_SIGNAL", "ANONYMIZE_SUBMIT_SECUREDROP",
                   "ANONYMIZE_SUBMIT_POSTAL")


def on_articles(generator) -> None:
    current = state.current()
    current.articles = list(generator.articles)
    current.hidden_articles = list(getattr(generator, "hidden_articles", []))


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


def every_article() -> list:
    current = state.current()
    return current.articles + current.hidden_articles


def write(pelican) -> None:
    """Write the hand-over for this output folder, once its pages are final (after output hygiene)."""
    output = pelican.settings["OUTPUT_PATH"]
    path = paths.policy_path(pelican.settings, output)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = policy_for(pelican.settings, every_article())
    data["site"] = os.path.realpath(output)
    data["pages"] = pages_digest(output)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2)
    os.replace(tmp, path)
    _prune(os.path.dirname(path))


def _prune(folder: str) -> None:
    """Hand-overs of folders that no longer exist (old staging folders, removed test sites) go."""
    for name in os.listdir(folder):
        full = os.path.join(folder, name)
        try:
            with open(full, encoding="utf-8") as fh:
                site = json.load(fh).get("site")
        except (OSError, ValueError, AttributeError):
            continue
        if site and not os.path.isdir(site):
            os.remove(full)
