"""Which of Pagefind's files the index just written uses.

Pagefind names its fragments, index chunks, filter chunks and meta file by a
hash of their content, and does not write a file whose name is already there:
on a rebuild into the same folder, an unchanged essay's fragment is kept from
the build before. So "written by this build" cannot tell a live fragment from
a withdrawn essay's; the index itself can. `pagefind-entry.json` names each
language's meta file, and the meta file (CBOR, after Pagefind's signature,
gzipped) names every fragment and chunk the index reads. Everything else
under `pagefind/` with a hashed name is left from an earlier index.
"""

from __future__ import annotations

import gzip
import json
import os
import struct

BUNDLE = "pagefind"  # Pagefind's folder inside the output

SIGNATURE = b"pagefind_dcd"
HASHED_DIRS = ("fragment", "index", "filter")


class BundleError(ValueError):
    """The index could not be read; nothing may be assumed about its files."""


def _cbor(data: bytes, pos: int) -> tuple[object, int]:
    """One CBOR item (RFC 8949: the definite-length subset serde writes) and the position after it."""
    head = data[pos]
    major, info = head >> 5, head & 31
    pos += 1
    if info < 24:
        arg = info
    elif info <= 27:
        size = 1 << (info - 24)
        raw = data[pos:pos + size]
        pos += size
        if major == 7 and info >= 25:  # half, single and double floats: only their size matters here
            return (struct.unpack(">e" if size == 2 else ">f" if size == 4 else ">d", raw)[0]), pos
        arg = int.from_bytes(raw, "big")
    else:
        raise BundleError(f"unsupported CBOR item (0x{head:02x}) at byte {pos - 1}")
    if major == 0:
        return arg, pos
    if major == 1:
        return -1 - arg, pos
    if major in (2, 3):
        chunk = data[pos:pos + arg]
        if len(chunk) != arg:
            raise BundleError("CBOR string runs past the end")
        return (chunk.decode("utf-8") if major == 3 else chunk), pos + arg
    if major in (4, 5):
        items = []
        for _ in range(arg * (2 if major == 5 else 1)):
            item, pos = _cbor(data, pos)
            items.append(item)
        return items, pos
    if major == 6:
        return _cbor(data, pos)
    return {20: False, 21: True, 22: None, 23: None}.get(arg), pos


def read_meta(path: str) -> object:
    try:
        raw = open(path, "rb").read()
    except OSError as exc:
        raise BundleError(f"{path}: unreadable ({exc.strerror})") from None
    try:
        data = gzip.decompress(raw)
    except OSError:
        data = raw
    if not data.startswith(SIGNATURE):
        raise BundleError(f"{path}: no Pagefind signature")
    try:
        item, end = _cbor(data, len(SIGNATURE))
    except (IndexError, UnicodeDecodeError, struct.error) as exc:
        raise BundleError(f"{path}: unreadable ({exc})") from None
    if end != len(data):
        raise BundleError(f"{path}: {len(data) - end} bytes after the index")
    return item


def hashed_files(bundle: str) -> set[str]:
    """Every file under `bundle` named by a content hash: fragments, index and filter chunks, meta files."""
    found = {os.path.join(bundle, name) for name in _listdir(bundle) if name.endswith(".pf_meta")}
    for folder in HASHED_DIRS:
        found.update(os.path.join(bundle, folder, name) for name in _listdir(os.path.join(bundle, folder)))
    return found


def _listdir(folder: str) -> list[str]:
    try:
        return os.listdir(folder)
    except FileNotFoundError:
        return []


def used_files(bundle: str) -> set[str]:
    """Paths of the hashed files under `bundle` (the `pagefind/` folder) that its current index reads."""
    try:
        entry = json.loads(open(os.path.join(bundle, "pagefind-entry.json"), encoding="utf-8").read())
        languages = entry["languages"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BundleError(f"{bundle}/pagefind-entry.json: unreadable ({exc})") from None
    present: dict[str, list[str]] = {}
    for folder in HASHED_DIRS:
        for name in _listdir(os.path.join(bundle, folder)):
            present.setdefault(name.split(".", 1)[0], []).append(os.path.join(bundle, folder, name))
    used: set[str] = set()
    for lang, info in languages.items():
        if not isinstance(info, dict) or not isinstance(info.get("hash"), str):
            raise BundleError(f"{bundle}/pagefind-entry.json: language {lang} names no meta index")
        meta = os.path.join(bundle, f"pagefind.{info['hash']}.pf_meta")
        fragments, chunks = _hashes(read_meta(meta), meta)
        if len(fragments) != info.get("page_count"):
            raise BundleError(f"{meta}: names {len(fragments)} fragments for {info.get('page_count')} pages "
                              f"of language {lang}")
        used.add(meta)
        for name in fragments + chunks:
            if name not in present:
                raise BundleError(f"{meta}: names {name}, which is not in {bundle}")
            used.update(present[name])
    return used


def _hashes(meta: object, path: str) -> tuple[list[str], list[str]]:
    """(fragment names, index and filter chunk names) from a meta index:
    [version, pages [[hash, words]], index chunks [[from, to, hash]], filters [[name, hash]], ...]."""
    try:
        version, pages, chunks, filters = meta[:4]
        if not isinstance(version, str):
            raise TypeError("no version")
        fragments = [page[0] for page in pages]
        chunk_names = [chunk[2] for chunk in chunks] + [item[-1] for item in filters]
    except (TypeError, ValueError, IndexError, KeyError) as exc:
        raise BundleError(f"{path}: not the meta index layout this build knows ({exc})") from None
    if not all(isinstance(n, str) for n in fragments + chunk_names):
        raise BundleError(f"{path}: not the meta index layout this build knows (a name is not text)")
    return fragments, chunk_names
