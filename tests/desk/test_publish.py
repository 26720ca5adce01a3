"""`invoke publish`: staged, audited, swapped atomically; a failure leaves the published site byte-for-byte alone."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, run_build

INVOKE = str(Path(sys.executable).parent / "invoke")


def publish(content: Path, output: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([INVOKE, "publish", "--content", str(content), "--output", str(output), *extra], cwd=ROOT,
                          capture_output=True, text=True)


def tree(root: Path) -> dict[str, tuple[str, float]]:
    """Every file's content hash and mtime, through the live link."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            out[str(path.relative_to(root))] = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime)
    return out


def test_publish_swaps_atomically_and_failures_change_nothing(content_copy, tmp_path):
    live = tmp_path / "public" / "output"
    live.parent.mkdir()
    first = publish(content_copy, live)
    assert first.returncode == 0, first.stdout + first.stderr
    assert live.is_symlink() and (live / "index.html").is_file()
    target = os.readlink(live)
    before = tree(live)
    assert any(name.startswith("essays/") for name in before)

    # 1. a build failure: a header without a title
    bad = content_copy / "essays" / "zz-broken.md"
    bad.write_text("Date: 2026-01-01\n\nNo title here.\n", "utf-8")
    failed = publish(content_copy, live)
    assert failed.returncode != 0
    assert "publish refused" in failed.stderr + failed.stdout
    assert "essays/zz-broken.md" in failed.stderr + failed.stdout
    assert os.readlink(live) == target and tree(live) == before
    bad.unlink()

    # 2. the publish gate: an unacknowledged identifier in an essay
    leak = content_copy / "essays" / "zz-leak.md"
    leak.write_text("Title: Leak\nDate: 2026-01-02\nCategory: Burnout\n\nWrite to j.doe@hospital.org.\n", "utf-8")
    refused = publish(content_copy, live)
    assert refused.returncode != 0
    assert "essays/zz-leak.md: line 5: email 'j.doe@hospital.org'" in refused.stderr
    assert os.readlink(live) == target and tree(live) == before
    leak.unlink()

    # 3. an audit failure the scrubber cannot see: a theme setting that hotlinks a tracker on every page
    settings = tmp_path / "leaky.py"
    # (Markup: the theme escapes every plain setting it prints; a configuration must mark HTML to get it in.)
    settings.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom publishconf import *  # noqa\n"
                        "from markupsafe import Markup\n"
                        "SITESUBTITLE = Markup('<img src=\"https://tracker.example/p.gif\" alt=\"\">')\n", "utf-8")
    audited = publish(content_copy, live, "--settings", str(settings))
    assert audited.returncode != 0
    assert "index.html: <img src> loads from another host: https://tracker.example/p.gif" in audited.stderr
    assert os.readlink(live) == target and tree(live) == before
    staged = [p.name for p in (live.parent / ".sites").iterdir()]
    assert staged == [Path(target).name], "failed stagings are removed"

    # 4. a good publish swaps the link to a new folder
    essay = content_copy / "essays" / "the-quiet-exit.md"
    essay.write_text(essay.read_text("utf-8") + "\nOne more paragraph.\n", "utf-8")
    again = publish(content_copy, live)
    assert again.returncode == 0, again.stderr
    assert os.readlink(live) != target
    assert "One more paragraph." in (live / "essays" / "the-quiet-exit" / "index.html").read_text("utf-8")

    # 5. a development build into the published folder is refused and changes nothing
    published, link = tree(live), os.readlink(live)
    dev = run_build(content_copy, live)
    assert dev.returncode != 0
    assert "is the published site" in dev.log and "nothing was changed" in dev.log
    assert os.readlink(live) == link and tree(live) == published
