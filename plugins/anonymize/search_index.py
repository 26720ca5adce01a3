"""The search index: Pagefind, fed the essays as soon as the last one is written.

Pagefind indexes only elements marked `data-pagefind-body` (essays and
pages), writes its bundle into `pagefind/` inside the output, and its UI is
loaded only by the search page. Search then runs offline in the reader's
browser; nothing leaves the site. A failed index fails the build.

Pagefind runs as a service (`pagefind --service`, the protocol its own
Python and Node clients speak) started when the content has been read. Once
Pelican has written the last essay, Pagefind reads the essay folder on its own
threads while Pelican goes on writing tag, category and index pages; the
pages and the bundle follow at the end. The index is the one the `pagefind`
command would write over the finished site (tests/test_search_index.py
compares them byte for byte). If anything is written into the essay folder
after Pagefind read it, the index is made again from the finished site.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import subprocess
import sys
import tempfile

logger = logging.getLogger("anonymize")
UNUSED = ("pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-modular-ui.js",
          "pagefind-modular-ui.css", "pagefind-highlight.js")


class SearchIndexError(RuntimeError):
    pass


def _pagefind() -> list[str]:
    """The pagefind binary from the pagefind[bin] wheel; its Python launcher only when that is missing."""
    try:
        from pagefind_bin import get_executable

        return [str(get_executable())]
    except (ImportError, FileNotFoundError, OSError):
        return [sys.executable, "-m", "pagefind"]


def _glob(items: list[str]) -> str:
    items = sorted({g.replace(os.sep, "/") for g in items if g})
    if len(items) == 1 and not any(c in items[0] for c in ",{}"):
        return items[0]
    if not items or any(c in g for g in items for c in ",{}"):
        return "**/*.{html}"  # Pagefind's default: every HTML file
    return "{" + ",".join(items) + "}"


class _Service:
    """A `pagefind --service` process: base64 JSON messages, each ended by a comma, answered by message id."""

    def __init__(self) -> None:
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([*_pagefind(), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr)
        self.next_id = 0
        self.buffer = b""
        self.answers: dict[int, dict] = {}

    def send(self, payload: dict) -> int:
        self.next_id += 1
        message = {"message_id": self.next_id, "payload": payload}
        try:
            self.proc.stdin.write(base64.b64encode(json.dumps(message).encode()) + b",")
            self.proc.stdin.flush()
        except OSError as exc:
            raise SearchIndexError(f"pagefind stopped: {exc}; {self._stderr()}") from None
        return self.next_id

    def answer(self, message_id: int) -> dict:
        """Wait for the answer to one message; an error answer raises."""
        while message_id not in self.answers:
            while b"," not in self.buffer:
                chunk = os.read(self.proc.stdout.fileno(), 1 << 16)
                if not chunk:
                    raise SearchIndexError(f"pagefind stopped before answering; {self._stderr()}")
                self.buffer += chunk
            raw, self.buffer = self.buffer.split(b",", 1)
            reply = json.loads(base64.b64decode(raw))
            self.answers[reply.get("message_id") or -1] = reply["payload"]
            if reply.get("message_id") is None:
                raise SearchIndexError(f"pagefind refused a message: {reply['payload'].get('message')}")
        payload = self.answers.pop(message_id)
        if payload.get("type") == "Error":
            raise SearchIndexError(f"pagefind failed: {payload.get('message')}")
        return payload

    def close(self) -> None:
        """Stop the service. Not by closing its input alone: a worker forked since (audit_ahead) holds that pipe
        open too, so Pagefind would never see the end of it."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.stderr.close()

    def _stderr(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace").strip()[-2000:] or "no message"


class _Build:
    """The search index of one build."""

    def __init__(self, output: str, essay_glob: str | None, essays: set[str], rest: list[str]) -> None:
        self.output = output
        self.essay_glob = essay_glob  # "essays/**/*.html", read as soon as every essay in `essays` is written
        self.waiting = set(essays) if essay_glob else set()
        self.rest = rest
        self.early = False  # the essay folder was handed to Pagefind before the build ended
        self.late = False  # and something was written into it afterwards
        self._open()
        if essay_glob and not self.waiting:
            self._add(essay_glob)

    def _open(self) -> None:
        self.sent: list[int] = []
        self.service = _Service()
        self.index_id = self.service.answer(self.service.send({"type": "NewIndex", "config": None}))["index_id"]

    def written(self, rel: str) -> None:
        if self.early:
            prefix = self.essay_glob.split("/**", 1)[0] + "/"
            self.late = self.late or (rel.startswith(prefix) and rel.endswith(".html"))
        elif self.waiting:
            self.waiting.discard(rel)
            if not self.waiting:
                self._add(self.essay_glob)

    def _add(self, glob: str) -> None:
        self.sent.append(self.service.send({"type": "AddDir", "index_id": self.index_id, "path": self.output,
                                            "glob": glob}))
        self.early = self.early or glob == self.essay_glob

    def finish(self) -> int:
        """Hand over what is left, write the bundle, and return how many pages were indexed."""
        if self.late:  # start again from the finished site
            self.service.close()
            self._open()
        if self.essay_glob and (self.late or not self.early):
            self.rest = [*self.rest, self.essay_glob]
        if self.rest:
            self._add(_glob(self.rest))
        if not self.sent:
            self._add("**/*.{html}")  # what the command reads when told nothing
        pages = sum(self.service.answer(i).get("page_count", 0) for i in self.sent)
        self.service.answer(self.service.send({"type": "WriteFiles", "index_id": self.index_id,
                                               "output_path": os.path.join(self.output, "pagefind")}))
        self.service.close()
        for unused in UNUSED:  # other UI flavours the search page does not load
            path = os.path.join(self.output, "pagefind", unused)
            if os.path.exists(path):
                os.remove(path)
        return pages


_build: _Build | None = None


def _stop() -> None:
    global _build
    if _build is not None:
        _build.service.close()
        _build = None


def on_generators(generators) -> None:
    """Start Pagefind and note which files carry data-pagefind-body.

    Listing pages (index, tags, categories, archives) carry no indexed content;
    on a large site they are a third of the HTML Pagefind would otherwise parse.
    """
    global _build
    _stop()
    if not generators or not generators[0].settings.get("ANONYMIZE_SEARCH_INDEX", True):
        return
    settings = generators[0].settings
    essay_glob, essays, rest = None, set(), []
    for generator in generators:
        if hasattr(generator, "articles"):
            written = [*generator.translations, *generator.articles, *getattr(generator, "hidden_translations", []),
                       *getattr(generator, "hidden_articles", [])]
            prefix = settings.get("ARTICLE_SAVE_AS", "").split("{", 1)[0]
            if "/" in prefix and not any(c in prefix for c in ",{}*?["):
                essay_glob = prefix.rsplit("/", 1)[0] + "/**/*.html"
                essays = {a.save_as.replace(os.sep, "/") for a in written}
            else:  # no folder of their own: every article by name, at the end
                rest.extend(a.save_as for a in generator.articles)
        if hasattr(generator, "pages"):
            rest.extend(p.save_as for p in generator.pages)
    _build = _Build(os.path.abspath(settings["OUTPUT_PATH"]), essay_glob, essays, rest)


def on_written(path, context=None) -> None:
    if _build is not None:
        rel = os.path.relpath(os.path.abspath(path), _build.output)
        _build.written(rel.replace(os.sep, "/"))


def on_finalized(pelican) -> None:
    global _build
    if _build is None:
        return
    build, _build = _build, None
    output = pelican.settings["OUTPUT_PATH"]
    try:
        pages = build.finish()
    finally:
        build.service.close()
    logger.info("anonymize: search index of %d pages written to %s/pagefind", pages, output)
