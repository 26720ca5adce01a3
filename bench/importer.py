"""Time `invoke import` on a large WordPress export (the issue's target: 2,000 posts in under two minutes).

The export is generated (`tests/desk/importgen.wordpress_bulk`: ~600-word posts,
three comments each, post meta, a click-to-tweet box each, a photo with EXIF
every 20 posts); the import runs as an editor runs it, through invoke, into a
fresh git repository holding the project. Wall time, CPU seconds (the import
and every process it waited for: the scrubbing workers, git fast-import, git
update-ref) and peak memory come from `bench.run.measure`. A second run over
the same export measures the re-run, which skips every post already imported.
`invoke bench` runs it (`--imports 2000`, 0 skips it) and writes its row in
bench/results.md.

    .venv/bin/python -m bench.importer [--posts 2000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 120.0


def _repo(work: Path) -> Path:
    """A git repository holding the project, as an editor's site is (invoke finds tasks.py there)."""
    repo = work / "site"
    repo.mkdir()
    for name in ("pelicanconf.py", "publishconf.py", "tasks.py"):
        shutil.copy2(ROOT / name, repo / name)
    for folder in ("plugins", "theme", "content"):
        shutil.copytree(ROOT / folder, repo / folder, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@invalid",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@invalid"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "site"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True)
    return repo


def bench_import(work: Path, posts: int = 2000, log=print) -> dict:
    """Import a `posts`-post WordPress export with `invoke import`, then again (all skipped); return the samples."""
    sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "desk")]
    from bench.run import INVOKE, measure
    from tests.desk.importgen import wordpress_bulk

    media = work / "uploads"
    export = wordpress_bulk(work / "big.WordPress.xml", media, posts)
    repo = _repo(work)
    cmd = [INVOKE, "import", "wordpress", str(export), "--media", str(media)]
    first = measure(cmd, cwd=repo)
    branches = subprocess.run(["git", "for-each-ref", "--format=x", "refs/heads/submission/"], cwd=repo,
                              capture_output=True, text=True, check=True).stdout.count("x")
    if branches != posts:
        raise RuntimeError(f"expected {posts} submission branches, found {branches}")
    again = measure(cmd, cwd=repo)
    size = export.stat().st_size / 1024 / 1024
    log(f"  import of {posts} WordPress posts ({size:.0f} MB export, {posts // 20} photos): "
        f"{first.seconds:.1f}s wall, {first.cpu:.1f}s CPU, {first.peak_mb:.0f} MB peak "
        f"(target under {TARGET_SECONDS:.0f}s: {'met' if first.seconds < TARGET_SECONDS else 'NOT met'}); "
        f"re-run skipping all: {again.seconds:.1f}s")
    return {"posts": posts, "megabytes": size, "import": first, "rerun": again, "target": TARGET_SECONDS,
            "met": first.seconds < TARGET_SECONDS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=2000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        result = bench_import(Path(tmp), args.posts)
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
