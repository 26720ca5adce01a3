"""Sealed essays at the desk: `invoke keygen`, then `invoke intake FILE.age` in a temporary git repository.

The sealed files here are made with pyrage in the page's format (tests/browser/test_prepare.py makes them with
the page itself in Chromium). Asserts that the essay and its photo are taken in like any submission, that the
reply channel is shown once and never reaches git, and that every refusal is one line naming the file.
"""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
from pathlib import Path

import imagegen as gen
import pyrage
import pytest
from conftest import require_tool
from test_desk import git, inv
from test_desk import site_repo as site_repo  # noqa: F401 (the fixture)

REPLY = "night.writer.reply@zq7731-replies.example"


def _keygen(repo: Path, home: Path) -> tuple[Path, str]:
    identity = home / "desk" / "identity.txt"
    got = inv(repo, "keygen", "--identity", str(identity))
    assert got.returncode == 0, got.stderr
    recipient = got.stdout.split('ANONYMIZE_DESK_RECIPIENT = "')[1].split('"')[0]
    return identity, recipient


def seal(recipient: str, doc: dict, path: Path) -> Path:
    path.write_bytes(pyrage.encrypt(json.dumps(doc).encode(), [pyrage.x25519.Recipient.from_str(recipient)]))
    return path


def essay(**extra) -> dict:
    photo = gen.jpeg_with_metadata(orientation=6)
    doc = {"format": "unsigned-sealed-essay", "version": 1, "title": "Ward 4: what the night knows",
           "text": "The corridor at four.\n\n![Photo 1](photo-1.jpg)\n\nNobody answers the pager.\n",
           "reply": {"kind": "email", "address": REPLY},
           "photos": [{"name": "photo-1.jpg", "type": "image/jpeg", "data": base64.b64encode(photo).decode()}]}
    return doc | extra


def test_keygen_writes_a_private_key_outside_the_repository_once(site_repo, tmp_path):
    identity, recipient = _keygen(site_repo, tmp_path)
    assert recipient.startswith("age1")
    assert stat.S_IMODE(identity.stat().st_mode) == 0o600
    assert pyrage.x25519.Identity.from_str(identity.read_text().split("\n")[-2]).to_public().__str__() == recipient
    again = inv(site_repo, "keygen", "--identity", str(identity))
    assert again.returncode == 1 and "never overwritten" in again.stderr and "Traceback" not in again.stderr
    inside = inv(site_repo, "keygen", "--identity", str(site_repo / "desk.key"))
    assert inside.returncode == 1 and "outside" in inside.stderr and not (site_repo / "desk.key").exists()


def test_sealed_essay_is_taken_in_and_the_reply_channel_never_reaches_git(site_repo, tmp_path):
    exiftool = require_tool("exiftool")
    identity, recipient = _keygen(site_repo, tmp_path)
    sealed = seal(recipient, essay(), tmp_path / "sealed-essay.age")
    before = sealed.read_bytes()
    got = inv(site_repo, "intake", str(sealed), "--identity", str(identity))
    assert got.returncode == 0, got.stderr
    assert got.stdout.count(REPLY) == 1  # shown once to the editor
    assert sealed.read_bytes() == before  # only read
    sid = got.stdout.split("sealed submission ")[1].split()[0]
    stored = git(site_repo, "show", f"submission/{sid}:submissions/{sid}/index.md")
    assert "Title: Ward 4: what the night knows" in stored and "Nobody answers the pager." in stored
    images = [p for p in git(site_repo, "ls-tree", "-r", "--name-only", f"submission/{sid}").split()
              if p.startswith(f"submissions/{sid}/") and p.endswith(".jpg")]
    assert len(images) == 1 and images[0].rsplit("/", 1)[1] in stored
    photo = tmp_path / "taken.jpg"
    photo.write_bytes(subprocess.run(["git", "show", f"submission/{sid}:{images[0]}"], cwd=site_repo,
                                     capture_output=True, check=True).stdout)
    tags = subprocess.run([exiftool, "-a", "-G1", "-s", str(photo)], capture_output=True, text=True).stdout
    for leak in ("GPS", gen.CAMERA_OWNER, gen.CAMERA_SERIAL, gen.CAMERA_MAKE, "DateTimeOriginal"):
        assert leak not in tags
    history = subprocess.run(["git", "log", "--all", "-p"], cwd=site_repo, capture_output=True, text=True).stdout
    assert REPLY not in history and "zq7731" not in history
    assert not any(REPLY.encode() in p.read_bytes() for p in site_repo.rglob("*") if p.is_file() and ".git" not in
                   p.parts)


def test_reply_channels_file_outside_the_repository(site_repo, tmp_path):
    identity, recipient = _keygen(site_repo, tmp_path)
    replies = tmp_path / "desk" / "replies.tsv"
    conf = site_repo / "pelicanconf.py"
    conf.write_text(conf.read_text() + f"\nANONYMIZE_REPLY_CHANNELS_PATH = {str(replies)!r}\n")
    got = inv(site_repo, "intake", str(seal(recipient, essay(), tmp_path / "a.age")), "--identity", str(identity))
    assert got.returncode == 0, got.stderr
    assert REPLY not in got.stdout
    sid = got.stdout.split("sealed submission ")[1].split()[0]
    assert replies.read_text() == f"{sid}\temail\t{REPLY}\n"
    assert stat.S_IMODE(replies.stat().st_mode) == 0o600
    conf.write_text(conf.read_text() + f"\nANONYMIZE_REPLY_CHANNELS_PATH = {str(site_repo / 'replies.tsv')!r}\n")
    inside = inv(site_repo, "intake", str(seal(recipient, essay(), tmp_path / "b.age")), "--identity", str(identity))
    assert inside.returncode == 1 and "inside the repository" in inside.stderr
    assert not (site_repo / "replies.tsv").exists()


@pytest.mark.parametrize("case, message", [
    ("other key", "cannot be opened"),
    ("not an essay", "not a sealed essay"),
    ("bad photo name", "a photo has a name"),
    ("no text", "has no text"),
])
def test_refusals_are_one_line_naming_the_file(site_repo, tmp_path, case, message):
    identity, recipient = _keygen(site_repo, tmp_path)
    other = str(pyrage.x25519.Identity.generate().to_public())
    doc = {"other key": essay(), "not an essay": {"format": "something-else"},
           "bad photo name": essay(photos=[{"name": "../../x.jpg", "type": "image/jpeg", "data": ""}]),
           "no text": essay(text="  ")}[case]
    sealed = seal(other if case == "other key" else recipient, doc, tmp_path / "x.age")
    got = inv(site_repo, "intake", str(sealed), "--identity", str(identity))
    assert got.returncode == 1
    lines = got.stderr.strip().splitlines()
    assert len(lines) == 1 and str(sealed) in lines[0] and message in lines[0] and "Traceback" not in got.stderr
    assert "submission/" not in git(site_repo, "branch", "--list", "submission/*")
    assert os.path.exists(sealed)
