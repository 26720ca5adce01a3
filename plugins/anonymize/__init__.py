"""Unsigned's anonymizing Pelican plugin.

Everything that leaves the build passes through here first: front matter is
cut down to an allowlist, dates lose their time of day and zone, HTML is
scrubbed, and every removal is reported per source file.

Pelican is imported only when the plugin is registered, so the command-line
tools that share these modules (`invoke scrub`, `invoke audit`) start fast.
"""

__all__ = ["register"]


def register() -> None:
    from anonymize.pelican_plugin.plugin import register as _register

    _register()
