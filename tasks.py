"""Invoke tasks for Unsigned. Run them as `.venv/bin/invoke TASK` from the repo root."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

PY = sys.executable  # the venv's Python when run as .venv/bin/invoke


def pelican(content: str, output: str, settings: str, *extra: str) -> None:
    """Run Pelican in a child process; a failed build raises Exit with its code."""
    cmd = [PY, "-m", "pelican", content, "-o", output, "-s", settings, *extra]
    result = subprocess.run(cmd, cwd=ROOT, check=False)
    if result.returncode != 0:
        raise Exit(f"build failed (pelican exited {result.returncode}); nothing was published", code=1)


@task(help={"content": "content folder (default: content)", "output": "output folder (default: output)"})
def build(c, content="content", output="output", settings="pelicanconf.py", cache_path=None):
    """Build the site with the anonymizing plugin."""
    extra = ["--cache-path", cache_path] if cache_path else []
    pelican(content, output, settings, "--delete-output-directory", *extra)


@task
def publish(c, content="content", output="output"):
    """Build the site for the public with publishconf.py."""
    pelican(content, output, "publishconf.py", "--delete-output-directory")


@task(help={"port": "port on 127.0.0.1 (default 8000)"})
def serve(c, output="output", port=8000):
    """Serve the built site on 127.0.0.1 only."""
    subprocess.run(
        [PY, "-m", "pelican", "--listen", "-o", output, "-b", "127.0.0.1", "-p", str(port), "-s", "pelicanconf.py"],
        cwd=ROOT,
        check=False,
    )


@task(help={"port": "port on 127.0.0.1 (default 8000)"})
def livereload(c, content="content", output="output", port=8000):
    """Rebuild on every change and serve the result on 127.0.0.1."""
    subprocess.run(
        [PY, "-m", "pelican", content, "-o", output, "-s", "pelicanconf.py", "--autoreload",
         "--listen", "-b", "127.0.0.1", "-p", str(port)],
        cwd=ROOT,
        check=False,
    )


@task
def clean(c, output="output"):
    """Remove the built site, the build report and caches."""
    for path in (ROOT / output, ROOT / ".unsigned", ROOT / "cache"):
        if path.exists():
            shutil.rmtree(path)


# --- Image scrubbing tasks (images issue) -------------------------------------

# --- Editorial workflow tasks (workflow issue) -------------------------------

# --- Audit and atomic publish (audit issue) -----------------------------------

# --- Benchmarks (bench issue) -------------------------------------------------


@task(help={
    "essays": "essays in the main corpus (default 1000)",
    "images": "photos referenced by the essays of the site corpus (default 0)",
    "runs": "runs per measurement; medians are reported (default 3)",
    "large": "essays in the scaling corpus (default 10000; 0 skips it)",
    "photos": "12-megapixel photos for the image scrub comparison (default 12; 0 skips it)",
})
def bench(c, essays=1000, images=0, runs=3, large=10000, photos=12):
    """Measure the pipeline against bare Pelican, rebuilds, image scrubbing and scale; write bench/results.md."""
    sys.path.insert(0, str(ROOT))
    from bench.run import run

    run(essays=int(essays), images=int(images), runs=int(runs), large=int(large), photos=int(photos))
