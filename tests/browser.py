"""Browser harness: serve a built site on 127.0.0.1 and load it in Debian's chromium.

Every request the page makes is recorded, so tests can fail on any request
to a host other than the local server, and on any console error.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from conftest import require_tool

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output readable
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 on a free port; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """Launch Debian's chromium through Playwright (never a downloaded browser)."""
    require_tool("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """What loading one page did."""

    url: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def visit(context, base: str, path: str, *, settle_ms: int = 150) -> Visit:
    """Load `base/path` in a new page of `context` and record what it did."""
    local = urlsplit(base).netloc
    url = f"{base}/{path.lstrip('/')}"
    record = Visit(url)
    page = context.new_page()

    def on_request(request) -> None:
        record.requests.append(request.url)
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.netloc != local:
            record.foreign.append(request.url)

    def block_foreign(route) -> None:
        # Record it (above) but never let it leave the machine.
        if urlsplit(route.request.url).netloc == local:
            route.continue_()
        else:
            route.abort()

    page.on("request", on_request)
    page.on("console", lambda msg: record.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: record.page_errors.append(str(exc)))
    page.on("requestfailed", lambda req: record.failed.append(req.url))
    page.route("**/*", block_foreign)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(settle_ms)
    page.close()
    return record


def site_pages(output: Path) -> list[str]:
    """Every HTML page of a built site, as paths relative to its root."""
    return sorted(str(p.relative_to(output)) for p in output.rglob("*.html"))
