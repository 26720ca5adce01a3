"""What every format's scrubber shares: its result, its error, and the two verbs.

In the shape of mat2: one parser per format, each able to *show* what it
would remove and to *clean*. Parsers work on bytes and never touch files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import BinaryIO

from blake3 import blake3

Buffer = bytes | bytearray | memoryview


class ImageError(Exception):
    """A file that cannot be published: the message says what is wrong with it."""


@dataclass(eq=False)
class Cleaned:
    """A cleaned image, kept as the pieces it was cut into.

    A JPEG's clean form is its kept segments and its scan, byte for byte: the
    multi-megabyte scan is hashed and written straight from the source's
    buffer, never copied into a joined one first (`data` joins on demand).
    """

    parts: tuple[Buffer, ...] | list[Buffer] | Buffer
    ext: str  # extension of the published file, with the dot
    removed: list[str] = field(default_factory=list)
    method: str = "lossless"  # lossless | re-encoded | converted

    def __post_init__(self) -> None:
        if isinstance(self.parts, (bytes, bytearray, memoryview)):
            self.parts = (self.parts,)
        else:
            self.parts = tuple(self.parts)

    @cached_property
    def data(self) -> bytes:
        """The whole file as one bytes object."""
        only = self.parts[0] if len(self.parts) == 1 else None
        return only if isinstance(only, bytes) else b"".join(self.parts)

    def content_hash(self) -> str:
        """Hex BLAKE3 of the whole file, piece by piece.

        BLAKE3, not SHA-256: a 256-bit cryptographic hash as strong for this use,
        and about a third of the time on a 12-megapixel photo (1.3 ms against
        4.6 ms here), which was half of the per-photo work.
        """
        digest = blake3()
        for part in self.parts:
            digest.update(part)
        return digest.hexdigest()

    def write_to(self, fh: BinaryIO) -> None:
        """Write the whole file to an open binary file."""
        for part in self.parts:
            fh.write(part)


class Parser:
    """One format. `show` lists what `clean` would remove; `clean` removes it."""

    name = "?"
    ext = ""

    def show(self, data: bytes) -> list[str]:
        return self.clean(data).removed

    def clean(self, data: bytes) -> Cleaned:  # pragma: no cover - every format overrides it
        raise NotImplementedError
