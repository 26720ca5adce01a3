"""Read a large XML export as a stream: one record at a time, released once handled, errors with line and column.

Exports are routinely hundreds of megabytes. The pull parser is fed in
chunks and each record (a WordPress `<item>`, an Atom `<entry>`) is removed
from the tree once its end has been handled, so memory holds one record,
not the archive. Characters XML 1.0 forbids (WordPress exports often carry
control characters pasted from word processors) are removed and counted,
as no reader ever saw them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

from anonymize.desk.importers.core import ExportError

# C0 control characters other than tab, newline and carriage return; none is part of a multi-byte UTF-8 sequence.
FORBIDDEN = bytes([*range(0, 9), 11, 12, *range(14, 32)])
CHUNK = 1 << 16  # memory holds one chunk's elements and the record being handled


def stream(path: Path, record_depth: int, tally: Counter, what: str,
           progress: Callable[[int], None] | None = None) -> Iterator[tuple[str, ET.Element, int]]:
    """Yield (event, element, depth) for "start" and "end"; records at `record_depth` are released after their end."""
    parser = ET.XMLPullParser(events=("start", "end"))
    stack: list[ET.Element] = []
    done = 0
    started = False
    try:
        with open(path, "rb") as fh:
            while True:
                chunk = fh.read(CHUNK)
                if chunk:
                    cleaned = chunk.translate(None, FORBIDDEN)
                    if len(cleaned) != len(chunk):
                        tally["control characters invalid in XML (removed)"] += len(chunk) - len(cleaned)
                    parser.feed(cleaned)
                    done += len(chunk)
                else:
                    parser.close()
                for event, elem in parser.read_events():
                    if event == "start":
                        started = True
                        stack.append(elem)
                        yield event, elem, len(stack) - 1
                        continue
                    depth = len(stack) - 1
                    yield event, elem, depth
                    stack.pop()
                    if depth == record_depth and stack:
                        stack[-1].remove(elem)
                if progress:
                    progress(done)
                if not chunk:
                    break
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        reason = str(exc).split(":", 1)[0]
        where = f"{path}: line {line}, column {column + 1}: {reason}"
        if not started:
            raise ExportError(f"{where}: not XML, so not a {what}; give the export file itself (nothing was "
                              f"imported)") from None
        raise ExportError(f"{where}: not a complete {what}; export it again (nothing was imported)") from None
    except OSError as exc:
        raise ExportError(f"{path}: cannot be read ({exc.strerror or exc}); nothing was imported") from None


@lru_cache(maxsize=1024)
def local(tag: str) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag (an export has a few dozen, met millions of times)."""
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def text(elem: ET.Element | None) -> str:
    return (elem.text or "") if elem is not None else ""
