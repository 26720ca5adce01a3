"""Pelican settings the plugin enforces, whatever a configuration says.

The safe choice never needs configuring: these values are forced at start-up
and any different value in a configuration is overridden with a warning.
"""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from typing import Any

from pelican.settings import DEFAULT_CONFIG

from anonymize.scrub.limits import DEFAULT_MAX_ESSAY_BYTES

logger = logging.getLogger("anonymize")

# Setting -> the only value a build may run with.
ENFORCED: dict[str, Any] = {
    # no author pages, author lists or author feeds
    "AUTHOR_SAVE_AS": "",
    "AUTHOR_URL": "",
    "AUTHORS_SAVE_AS": "",
    "AUTHOR_FEED_ATOM": None,
    "AUTHOR_FEED_RSS": None,
    # dates never come from file-system times, nor from file names
    "DEFAULT_DATE": None,
    "FILENAME_METADATA": "",
    "PATH_METADATA": "",
    # dates are days; times in feeds are midnight UTC, never a local zone
    "TIMEZONE": "UTC",
    # slugs come from the title or an explicit Slug:, never the file name
    "SLUGIFY_SOURCE": "title",
    # no draft or source files published next to the site
    "OUTPUT_SOURCES": False,
    # no header is Markdown: a Summary is text as a title is (header_policy.TEXT_KEYS), shown as written on the
    # page, the index, in the description, the feeds and the search index; markup in it is never live
    "FORMATTED_FIELDS": [],
}

# Our own settings and their safe defaults.
DEFAULTS: dict[str, Any] = {
    "ANONYMIZE_PSEUDONYM": "Anonymous",
    "ANONYMIZE_PEN_NAMES": [],
    "ANONYMIZE_REPORT_PATH": None,
    # Reuse scrub results for unchanged essays (keyed by content and code; see scrub_cache.py).
    "ANONYMIZE_SCRUB_CACHE": True,
    "ANONYMIZE_SCRUB_CACHE_PATH": None,
    # What a video or audio player becomes: "link" (a plain link to its page) or "drop".
    # Keeping a player is not an option: it would load another host in the reader's browser.
    "ANONYMIZE_EMBED_POLICY": "link",
    # Build a Pagefind search index after every build.
    "ANONYMIZE_SEARCH_INDEX": True,
    # Processes that scrub changed sources before Pelican reads them (None: one per CPU).
    "ANONYMIZE_WORKERS": None,
    # The audit's result cache; when set (invoke build sets it), pages are checked as they are written.
    "ANONYMIZE_AUDIT_CACHE_PATH": None,
    # The ways a writer can send an essay (any subset; the submit page lists those set, a build with none warns).
    "ANONYMIZE_SUBMIT_EMAIL": "",
    "ANONYMIZE_SUBMIT_SIGNAL": "",
    "ANONYMIZE_SUBMIT_SECUREDROP": "",
    "ANONYMIZE_SUBMIT_POSTAL": "",
    # The desk's age public key (`invoke keygen` prints it): the prepare page seals essays to it.
    "ANONYMIZE_DESK_RECIPIENT": "",
    # Where `invoke intake` finds the desk's secret key; never inside the repository.
    "ANONYMIZE_DESK_IDENTITY": "~/.config/unsigned/desk-identity.txt",
    # Where a sealed essay's reply channel goes: None prints it once to the editor and writes it nowhere;
    # a path outside the repository gets one line per submission ("<id>\t<kind>\t<address>").
    "ANONYMIZE_REPLY_CHANNELS_PATH": None,
    # How many days the desk keeps a sealed file and the message it came in after intake (said on the submit page).
    "ANONYMIZE_SUBMIT_KEEP_DAYS": 14,
    # Speed machinery, each piece optional; off gives byte-identical output (tests/plugin/test_speed_settings.py).
    "ANONYMIZE_AUDIT_AHEAD": True,  # the audit's checks on each page as it is written (speed/audit_ahead.py)
    "ANONYMIZE_REWRITE_IN_PLACE": True,  # Pelican's wipe done after the build (speed/stale_output.py)
    "ANONYMIZE_FIXED_URLS": True,  # essay URLs formatted once (speed/fixed_urls.py)
    "ANONYMIZE_FAST_TAXONOMY": True,  # tag, category and author lists answer `in` at once (speed/taxonomy_lists.py)
    "ANONYMIZE_TEMPLATE_CACHE": True,  # Jinja's compiled templates kept in CACHE_PATH/templates
    # The largest essay (in bytes of its source) a build takes; a bigger one is refused naming it.
    "ANONYMIZE_MAX_ESSAY_BYTES": DEFAULT_MAX_ESSAY_BYTES,
}

EMBED_POLICIES = ("link", "drop")


def enforce(settings: MutableMapping[str, Any]) -> list[str]:
    """Force the safe values into `settings`; return the names overridden."""
    overridden = []
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    for key, value in ENFORCED.items():
        configured = settings.get(key, value)
        if configured != value and configured != DEFAULT_CONFIG.get(key) and configured not in ("", None):
            overridden.append(key)
            logger.warning("anonymize: setting %s=%r overridden with %r", key, settings[key], value)
        settings[key] = value
    if settings["ANONYMIZE_EMBED_POLICY"] not in EMBED_POLICIES:
        logger.warning("anonymize: ANONYMIZE_EMBED_POLICY=%r is not one of %s; using 'link'",
                       settings["ANONYMIZE_EMBED_POLICY"], EMBED_POLICIES)
        settings["ANONYMIZE_EMBED_POLICY"] = "link"
    pseudonym = settings["ANONYMIZE_PSEUDONYM"] or "Anonymous"
    settings["ANONYMIZE_PSEUDONYM"] = pseudonym
    settings["AUTHOR"] = pseudonym
    _text_is_text(settings)
    return overridden


def _text_is_text(settings: MutableMapping[str, Any]) -> None:
    """Templates escape every value they print (Jinja's autoescape); `text_of` makes text of scrubbed HTML.

    A header value is text wherever it goes: printed into a page it is escaped
    for element content or an attribute, unless it is scrubbed HTML the theme
    marks `|safe` (an essay's body, its summary). Descriptions are the text of
    the scrubbed summary (`|text_of`), never its tags stripped by a pattern.
    """
    from anonymize.scrub.html_tree import text_of

    settings["JINJA_ENVIRONMENT"] = {**(settings.get("JINJA_ENVIRONMENT") or {}), "autoescape": True}
    settings["JINJA_FILTERS"] = {**(settings.get("JINJA_FILTERS") or {}), "text_of": text_of}
