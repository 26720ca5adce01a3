"""Every path the build derives from its settings, each in one function.

The build, the desk's tasks and the tests all call these, so the build report, the audit's hand-over and the
caches are always looked for where the build put them. Settings are a plain mapping: no Pelican needed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping


def source_name(source_path: str, content_root: str) -> str:
    """A source's name in reports and cache keys: its path under the content folder, with forward slashes."""
    full, base = os.path.abspath(source_path), os.path.abspath(content_root)
    rel = full[len(base) + 1:] if full.startswith(base + os.sep) else os.path.relpath(full, base)
    return rel.replace(os.sep, "/")


def report_path(settings: Mapping) -> str:
    """The JSON build report: `ANONYMIZE_REPORT_PATH`, else beside the output folder (never inside it)."""
    configured = settings.get("ANONYMIZE_REPORT_PATH")
    if configured:
        return os.path.abspath(configured)
    output = os.path.abspath(settings.get("OUTPUT_PATH") or "output")
    return os.path.join(os.path.dirname(output), ".unsigned", "build-report.json")


def policy_path(settings: Mapping, site: str | os.PathLike | None = None) -> str:
    """The audit hand-over of the build that wrote `site` (default: the settings' output folder).

    One file per site folder, named by its real path, beside the report: a build into another folder (a
    test, a preview, a publish's staging folder) never replaces the hand-over of this one.
    """
    folder = os.path.realpath(site if site is not None else settings.get("OUTPUT_PATH") or "output")
    name = hashlib.sha256(folder.encode()).hexdigest()[:16]
    return os.path.join(policy_folder(settings), f"{name}.json")


def policy_folder(settings: Mapping) -> str:
    return os.path.join(os.path.dirname(report_path(settings)), "audit-policies")


def cache_root(settings: Mapping) -> str:
    """Pelican's cache folder, where our caches live too."""
    return os.path.abspath(settings.get("CACHE_PATH") or "cache")


def scrub_cache_path(settings: Mapping) -> str:
    configured = settings.get("ANONYMIZE_SCRUB_CACHE_PATH")
    return os.path.abspath(configured or os.path.join(cache_root(settings), "anonymize"))


def template_cache_path(settings: Mapping) -> str:
    return os.path.join(cache_root(settings), "templates")
