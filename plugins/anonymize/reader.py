"""A Markdown reader that applies the header policy and the HTML scrubber.

It replaces Pelican's own reader for Markdown, so no essay reaches Pelican
without passing through it.
"""

from __future__ import annotations

import os

from pelican.readers import MarkdownReader

from . import state
from .errors import AnonymizeError
from .html_scrub import scrub_html
from .metadata import apply_header_policy, check_header_block


class AnonymizingMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader with our checks around it."""

    def read(self, source_path: str):  # type: ignore[override]
        source = self._relative(source_path)
        try:
            return self._read_checked(source_path, source)
        except AnonymizeError as err:
            state.current().errors.append(err)
            raise

    def _read_checked(self, source_path: str, source: str):
        raw = open(source_path, "rb").read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise AnonymizeError(
                source,
                f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save it as UTF-8",
            ) from None
        check_header_block(text, source)
        self._anon_source = source
        content, metadata = super().read(source_path)
        report = state.current().report
        content = scrub_html(content, source=source, where="body", settings=self.settings, report=report)
        if isinstance(metadata.get("summary"), str):
            metadata["summary"] = scrub_html(
                metadata["summary"], source=source, where="summary", settings=self.settings, report=report
            )
        return content, metadata

    def _parse_metadata(self, meta):  # type: ignore[override]
        source = self._anon_source
        kept = apply_header_policy(
            meta,
            source=source,
            kind=self._kind(source),
            settings=self.settings,
            report=state.current().report,
        )
        return super()._parse_metadata(kept)

    def _relative(self, source_path: str) -> str:
        base = os.path.abspath(self.settings.get("PATH", "."))
        rel = os.path.relpath(os.path.abspath(source_path), base)
        return rel.replace(os.sep, "/")

    def _kind(self, source: str) -> str:
        for page_dir in self.settings.get("PAGE_PATHS", ["pages"]):
            prefix = page_dir.rstrip("/") + "/"
            if source.startswith(prefix):
                return "page"
        return "essay"
