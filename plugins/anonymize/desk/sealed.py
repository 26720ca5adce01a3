"""Sealed essays: the desk's age key, and taking in a file the "Prepare your essay" page sealed to it.

The page encrypts one JSON document to the desk's public key (age, X25519):

    {"format": "unsigned-sealed-essay", "version": 1, "title": str, "text": Markdown,
     "reply": null | {"kind": "email" | "signal" | "other", "address": str},
     "photos": [{"name": "photo-1.jpg", "type": "image/jpeg", "data": base64}, ...]}

`open_sealed` decrypts and checks it; `intake_sealed` writes the essay and its
photos into a private temporary folder under neutral names and hands them to
the ordinary intake (`Desk.intake`), so a sealed essay is scrubbed, checked and
committed like any other. The writer's reply channel never enters git: it is
returned for the editor to read once, or appended to a file the desk names
outside the repository (ANONYMIZE_REPLY_CHANNELS_PATH).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from anonymize.desk.formats import IntakeError

FORMAT = "unsigned-sealed-essay"
MAX_SEALED_BYTES = 64 * 1024 * 1024
REPLY_KINDS = ("email", "signal", "other")
PHOTO_NAME = re.compile(r"photo-[1-9][0-9]{0,3}\.(?:jpg|png)")
DEFAULT_IDENTITY = "~/.config/unsigned/desk-identity.txt"


@dataclass
class Sealed:
    """What a sealed file holds, checked."""

    title: str
    text: str
    reply: dict[str, str] | None
    photos: dict[str, bytes] = field(default_factory=dict)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def identity_path(settings: dict, given: str | os.PathLike | None = None) -> Path:
    """The desk identity's path: the argument, else ANONYMIZE_DESK_IDENTITY, else the default outside any repo."""
    return Path(os.path.expanduser(str(given or settings.get("ANONYMIZE_DESK_IDENTITY") or DEFAULT_IDENTITY)))


def keygen(path: Path, repo: Path) -> str:
    """Create the desk's age identity at `path` (mode 0600, never inside `repo`); return its public recipient."""
    import pyrage

    if _inside(path, repo):
        raise IntakeError(f"{path}: inside the repository; the desk's secret key must live outside it (--identity)")
    if path.exists():
        raise IntakeError(f"{path}: already exists; it is the desk's key and is never overwritten (move it away "
                          "first, or choose another --identity)")
    identity = pyrage.x25519.Identity.generate()
    recipient = str(identity.to_public())
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(f"# Unsigned desk identity, created {date.today().isoformat()}\n# public key: {recipient}\n"
                 f"{identity}\n")
    return recipient


def _load_identity(path: Path):
    import pyrage

    try:
        lines = [ln.strip() for ln in path.read_text("utf-8").splitlines()]
    except OSError as exc:
        raise IntakeError(f"{path}: cannot read the desk identity ({exc.strerror}): run `invoke keygen` or pass "
                          "--identity") from None
    keys = [ln for ln in lines if ln.startswith("AGE-SECRET-KEY-")]
    if not keys:
        raise IntakeError(f"{path}: holds no AGE-SECRET-KEY line: is it the desk identity `invoke keygen` wrote?")
    try:
        return [pyrage.x25519.Identity.from_str(k) for k in keys]
    except Exception as exc:  # pyrage raises its own error types
        raise IntakeError(f"{path}: not a valid age identity ({exc})") from None


def open_sealed(source: Path, identity: Path) -> Sealed:
    """Decrypt and check a sealed essay; every problem is an IntakeError naming the file."""
    import pyrage

    if not source.is_file():
        raise IntakeError(f"{source}: no such file")
    if source.stat().st_size > MAX_SEALED_BYTES:
        raise IntakeError(f"{source}: larger than {MAX_SEALED_BYTES // 2**20} MB; ask the writer for fewer photos")
    data = source.read_bytes()
    identities = _load_identity(identity)
    try:
        plain = pyrage.decrypt(data, identities)
    except Exception as exc:  # pyrage.DecryptError and friends
        raise IntakeError(f"{source}: cannot be opened with {identity} ({exc}): was it sealed to this desk's key "
                          "(ANONYMIZE_DESK_RECIPIENT)?") from None
    try:
        doc = json.loads(plain.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise IntakeError(f"{source}: opened, but does not hold a sealed essay (not JSON)") from None
    return _checked(source, doc)


def _checked(source: Path, doc) -> Sealed:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("version") != 1:
        raise IntakeError(f"{source}: not a sealed essay of a version this desk reads (format {FORMAT}, version 1)")
    title, text = doc.get("title", ""), doc.get("text")
    if not isinstance(title, str) or not isinstance(text, str) or not text.strip():
        raise IntakeError(f"{source}: the sealed essay has no text")
    reply = doc.get("reply")
    if reply is not None:
        if not (isinstance(reply, dict) and reply.get("kind") in REPLY_KINDS and isinstance(reply.get("address"), str)
                and 0 < len(reply["address"].strip()) <= 300):
            raise IntakeError(f"{source}: the reply channel is malformed (kind one of {', '.join(REPLY_KINDS)}, "
                              "an address of at most 300 characters)")
        reply = {"kind": reply["kind"], "address": " ".join(reply["address"].split())}
    photos: dict[str, bytes] = {}
    for item in doc.get("photos") or []:
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str) or not PHOTO_NAME.fullmatch(name) or name in photos:
            raise IntakeError(f"{source}: a photo has a name the page never gives ({str(name)[:40]!r})")
        try:
            photos[name] = base64.b64decode(item.get("data") or "", validate=True)
        except (binascii.Error, TypeError):
            raise IntakeError(f"{source}: photo {name} is not valid base64") from None
    return Sealed(" ".join(title.split()), text.replace("\r\n", "\n"), reply, photos)


def intake_sealed(desk, source: Path, identity: Path, reply_path: str | os.PathLike | None = None):
    """Open `source` and take it in like any submission: (id, branch, removed, reply to show or None)."""
    sealed = open_sealed(source, identity)
    if reply_path and _inside(Path(os.path.expanduser(str(reply_path))), desk.repo):
        raise IntakeError(f"{reply_path}: inside the repository; a reply channel is never kept where git can see it "
                          "(ANONYMIZE_REPLY_CHANNELS_PATH)")
    with tempfile.TemporaryDirectory(prefix="unsigned-sealed-") as tmp:
        folder = Path(tmp)
        essay = folder / "essay.md"
        # A Title: header always comes first, so a first line such as "Ward 4: nights" stays text.
        essay.write_text(f"Title: {sealed.title or 'Untitled'}\n\n{sealed.text}", "utf-8")
        photos = folder / "photos"
        photos.mkdir()
        for name, data in sealed.photos.items():
            (photos / name).write_bytes(data)
        sid, branch, removed = desk.intake(essay, photos if sealed.photos else None, sealed.title or None)
    shown = sealed.reply
    if sealed.reply and reply_path:
        target = Path(os.path.expanduser(str(reply_path)))
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(f"{sid}\t{sealed.reply['kind']}\t{sealed.reply['address']}\n")
        shown = None
    return sid, branch, removed, shown


# --- what `invoke keygen` and `invoke intake FILE.age` tell the editor ------------------------------------------------
def _project(root: Path, settings_file: str = "pelicanconf.py"):
    from pelican.settings import read_settings

    from anonymize.desk.desk import for_project

    return for_project(root, settings_file), read_settings(str(root / settings_file))


def keygen_report(root: Path, identity: str | None = None) -> str:
    """Create the desk identity for the project at `root`; the lines to print."""
    desk, settings = _project(root)
    path = identity_path(settings, identity)
    recipient = keygen(path, desk.repo)
    return (f"desk identity written to {path} (keep it secret, keep a backup offline, never commit it)\n"
            f'put this in pelicanconf.py:\nANONYMIZE_DESK_RECIPIENT = "{recipient}"')


def intake_report(root: Path, source: Path, identity: str | None = None) -> str:
    """Take in a sealed essay for the project at `root`; the lines to print (the reply channel at most once)."""
    desk, settings = _project(root)
    replies = settings.get("ANONYMIZE_REPLY_CHANNELS_PATH")
    sid, branch, removed, reply = intake_sealed(desk, source, identity_path(settings, identity), replies)
    lines = [f"sealed submission {sid} is on branch {branch} ({len(removed)} thing(s) removed)"]
    lines += [f"  {entry.action} {entry.kind}: {entry.what}" for entry in removed]
    if reply:
        lines += [f"the writer asked for replies by {reply['kind']}: {reply['address']}",
                  "  (shown this once and written nowhere: note it where the desk keeps replies, outside git)"]
    elif replies:
        lines.append(f"any reply channel the writer gave was added to {replies}")
    else:
        lines.append("the writer asked for no reply")
    keep = settings.get("ANONYMIZE_SUBMIT_KEEP_DAYS", 14)
    lines.append(f"delete {source} and the message it came in within {keep} days (the submit page promises it); "
                 f"review it: .venv/bin/invoke review --id {sid}")
    return "\n".join(lines)
