"""A Markdown reader that applies the header policy and the HTML scrubber.

It replaces Pelican's own reader for Markdown, so no essay reaches Pelican
without passing through it.
"""

from __future__ import annotations

import re

from markdown import Markdown
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader
from pelican.utils import SafeDatetime

from anonymize.paths import source_name
from anonymize.pelican_plugin import confine, state
from anonymize.pelican_plugin.speed import scrub_cache
from anonymize.scrub.errors import AnonymizeError
from anonymize.scrub.header_policy import apply_header_policy, check_header_block, page_value
from anonymize.scrub.report import Entry
from anonymize.scrub.text_scrub import clean_text, lookalikes, removal_kind

_PLAIN_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class AnonymizingMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader with our checks around it."""

    def process_metadata(self, name, value):
        """Pelican's, with a short way for the plain days the header policy leaves ("2025-01-02").

        Pelican parses every date with dateutil, ~0.1 ms each: 0.1 s of every
        1,000-essay build, cached essays included. A plain day gives the same
        value (tests/test_metadata.py); anything else, a day that does not
        exist included, goes to Pelican's parser and its error message.
        """
        if name in ("date", "modified") and isinstance(value, str):
            day = _PLAIN_DAY.fullmatch(value)
            if day:
                try:
                    return SafeDatetime(int(day[1]), int(day[2]), int(day[3]))
                except ValueError:
                    pass
        return page_value(name, super().process_metadata(name, value))

    def read(self, source_path: str):  # type: ignore[override]
        source = self._relative(source_path)
        try:
            return self._read_checked(source_path, source)
        except AnonymizeError as err:
            state.current().errors.append(err)
            raise

    def _read_checked(self, source_path: str, source: str):
        cache = scrub_cache.for_settings(self.settings)
        workers = state.current().prescrub  # speed/prescrub.py, when it runs
        key = workers.hashed_key(source_path, source) if cache and workers else None
        if key is not None:
            # Hashed moments ago by prescrub and unchanged since (same size and time): a cached essay is not
            # read a second time. Only essays that passed every check below are ever cached.
            workers.wait_for(key)  # a worker may be scrubbing this very source (prescrub.py)
            hit = cache.get(key)
            if hit is not None:
                return self._from_cache(hit, source)
        with open(source_path, "rb") as fh:  # read once: the key, the checks and the conversion see these bytes
            raw = fh.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise AnonymizeError(
                source,
                f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}): save it as UTF-8",
            ) from None
        check_header_block(text, source)
        problems = confine.source_problems(len(raw), text, source, self.settings)
        if problems:
            raise AnonymizeError(source, *problems)
        if cache and (fresh := cache.key(raw, source)) != key:
            key = fresh
            if workers:
                workers.wait_for(key)
            hit = cache.get(key)
            if hit is not None:
                return self._from_cache(hit, source)
        key = key or ""
        self._anon_source = source
        self._anon_kept: dict[str, list[str]] = {}
        errors_before = len(state.current().errors)
        # Imported here, not at the top: a build whose essays all come from the cache (or from the workers)
        # never loads BeautifulSoup in Pelican's own process, ~0.06 s of every rebuild's start.
        from anonymize.scrub.html_scrub import scrub_html

        content, metadata = self._convert(source_path, text)
        report = state.current().report
        content = scrub_html(content, source=source, where="body", settings=self.settings, report=report)
        identifiers = self._identifiers(text, metadata, source)
        if cache and len(state.current().errors) == errors_before:
            formatted = {
                name: metadata[name]
                for name in self.settings["FORMATTED_FIELDS"]
                if isinstance(metadata.get(name), str)
            }
            cache.put(key, {
                "content": content,
                "meta": self._anon_kept,
                "formatted": formatted,
                "entries": [[e.action, e.kind, e.what, e.where] for e in report.for_source(source)],
                "identifiers": identifiers,
            })
        self._note_identifiers(source, identifiers)
        return content, metadata

    def _convert(self, source_path: str, text: str) -> tuple[str, dict]:
        """Pelican's `MarkdownReader.read`, with one Markdown instance reset between files.

        Pelican builds a new Markdown (and every extension) for each file, which
        costs about as much as converting a short essay. `reset()` is Markdown's
        own way to reuse an instance (footnotes, abbreviations, the HTML stash and
        Meta all clear); tests/test_scrub_cache.py holds a reused reader to the
        output of a fresh one. Pelican's `_parse_metadata` takes the meta
        preprocessor out to convert the summary; it is put back for the next file.
        """
        md = self.__dict__.get("_reused_md")
        if md is None:
            md = Markdown(**self.settings["MARKDOWN"])
            priority = next(item.priority for item in md.preprocessors._priority if item.name == "meta")
            self._meta_step = (md.preprocessors["meta"], priority)
            self._reused_md = md
        elif "meta" not in md.preprocessors:
            md.preprocessors.register(self._meta_step[0], "meta", self._meta_step[1])
        md.reset()
        self._source_path = source_path
        self._md = md
        # As Pelican's pelican_open would give it: universal newlines, no byte-order mark.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        content = md.convert(text[1:] if text.startswith("\ufeff") else text)
        metadata = self._parse_metadata(md.Meta) if hasattr(md, "Meta") else {}
        return content, metadata

    def _identifiers(self, text: str, metadata: dict, source: str) -> list[str]:
        """The publish gate's findings for an essay, found while it is in hand (and cached with it)."""
        if self._kind(source) != "essay" or str(metadata.get("status", "")).lower() == "draft":
            return []
        from anonymize.scrub.findings.essay import unacknowledged

        return unacknowledged(text)

    @staticmethod
    def _note_identifiers(source: str, identifiers: list[str]) -> None:
        if identifiers:
            state.current().identifiers[source] = identifiers

    def _from_cache(self, hit: dict, source: str):
        """Rebuild the reader's result from a cache entry, replaying what it reported."""
        state.current().report.extend(source, [Entry(*e) for e in hit["entries"]])
        self._note_identifiers(source, hit.get("identifiers", []))
        formatted = hit["formatted"]
        metadata = {}
        for name, value in hit["meta"].items():
            if name in formatted:
                metadata[name] = self.process_metadata(name, formatted[name])
            elif name in self.settings["FORMATTED_FIELDS"]:
                continue  # an empty formatted field: Pelican would have dropped it too
            elif len(value) > 1 and DUPLICATES_DEFINITIONS_ALLOWED.get(name, True):
                metadata[name] = self.process_metadata(name, value)
            else:
                metadata[name] = self.process_metadata(name, value[0])
        return hit["content"], metadata

    def _parse_metadata(self, meta):  # type: ignore[override]
        source = self._anon_source
        kept = apply_header_policy(
            meta,
            source=source,
            kind=self._kind(source),
            settings=self.settings,
            report=state.current().report,
        )
        kept = self._clean_header_text(kept, source)
        self._anon_kept = {k.lower(): list(v) for k, v in kept.items()}
        return super()._parse_metadata(kept)

    def _clean_header_text(self, kept: dict[str, list[str]], source: str) -> dict[str, list[str]]:
        """Header values are text on the page too: the same invisible characters go, look-alikes are found."""
        report = state.current().report
        out: dict[str, list[str]] = {}
        for key, values in kept.items():
            cleaned_values = []
            for value in values:
                cleaned, gone = clean_text(value)
                for name in gone:
                    report.removed(source, removal_kind(name), name, f"header {key}")
                for word in lookalikes(cleaned):
                    report.finding(source, "lookalike", word, f"header {key}")
                cleaned_values.append(cleaned)
            out[key] = cleaned_values
        return out

    def _relative(self, source_path: str) -> str:
        return source_name(source_path, self.settings.get("PATH", "."))

    def _kind(self, source: str) -> str:
        for page_dir in self.settings.get("PAGE_PATHS", ["pages"]):
            prefix = page_dir.rstrip("/") + "/"
            if source.startswith(prefix):
                return "page"
        return "essay"
