"""Unsigned's anonymizing Pelican plugin.

Everything that leaves the build passes through here first: front matter is
cut down to an allowlist, dates lose their time of day and zone, HTML is
scrubbed, and every removal is reported per source file.
"""

from .plugin import register

__all__ = ["register"]
