"""What every format's scrubber shares: its result, its error, and the two verbs.

In the shape of mat2: one parser per format, each able to *show* what it
would remove and to *clean*. Parsers work on bytes and never touch files.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class ImageError(Exception):
    """A file that cannot be published: the message says what is wrong with it."""


@dataclass
class Cleaned:
    data: bytes
    ext: str  # extension of the published file, with the dot
    removed: list[str] = field(default_factory=list)
    method: str = "lossless"  # lossless | re-encoded | converted


class Parser:
    """One format. `show` lists what `clean` would remove; `clean` removes it."""

    name = "?"
    ext = ""

    def show(self, data: bytes) -> list[str]:
        return self.clean(data).removed

    def clean(self, data: bytes) -> Cleaned:  # pragma: no cover - every format overrides it
        raise NotImplementedError
