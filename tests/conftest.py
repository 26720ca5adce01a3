"""Shared fixtures: a built copy of the sample site, and helpers to build others."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
IN_CI = bool(os.environ.get("CI") or os.environ.get("UNSIGNED_CI"))


def _sample_content() -> Path:
    """The tests' own copy of the sample site (tests/corpus/sample-site), its photo made by code.

    Tests never read `content/`: an editor accepting or withdrawing a real essay must not break `make test`.
    """
    import imagegen

    dest = Path(tempfile.mkdtemp(prefix="unsigned-sample-")) / "content"
    shutil.copytree(ROOT / "tests" / "corpus" / "sample-site", dest)
    (dest / "images").mkdir(exist_ok=True)
    (dest / "images" / "corridor.jpg").write_bytes(imagegen.jpeg_with_metadata())
    return dest


CONTENT = _sample_content()


@dataclass
class BuildResult:
    returncode: int
    stdout: str
    stderr: str
    output: Path
    report: dict | None = None  # the build report this build wrote
    report_path: Path | None = None

    @property
    def log(self) -> str:
        return self.stdout + self.stderr


def run_build(content: Path, output: Path, *extra: str, settings: str = "pelicanconf.py") -> BuildResult:
    """Build `content` into `output` the way an editor does: through invoke.

    Each build writes its report (and so its audit hand-over, which lives beside it) in a folder of its own unless
    its settings name one: tests that build at the same time (pytest -n) never read each other's report.
    """
    invoke = Path(sys.executable).parent / "invoke"
    given = Path(settings) if Path(settings).is_absolute() else ROOT / settings
    own = re.search(r"^ANONYMIZE_REPORT_PATH = (['\"].*['\"])$", given.read_text("utf-8"), re.M)
    if own and given != ROOT / "pelicanconf.py":
        report_path = Path(ast.literal_eval(own.group(1)))
        wrapped = settings
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        report_path = Path(tempfile.mkdtemp(prefix="report-", dir=output.parent)) / "build-report.json"
        wrapped = str(report_path.with_name("settings.py"))
        load = ("from pelicanconf import *  # noqa: F403" if given == ROOT / "pelicanconf.py"
                else f"exec(compile(open({str(given)!r}).read(), {str(given)!r}, 'exec'))")
        Path(wrapped).write_text(f"{load}\nANONYMIZE_REPORT_PATH = {str(report_path)!r}\n", "utf-8")
    report_path.unlink(missing_ok=True)
    cmd = [str(invoke), "build", "--content", str(content), "--output", str(output), "--settings", wrapped]
    proc = subprocess.run(
        [*cmd, *extra], cwd=ROOT, capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"}
    )
    report = json.loads(report_path.read_text("utf-8")) if report_path.is_file() else None
    return BuildResult(proc.returncode, proc.stdout, proc.stderr, output, report, report_path)


def require_tool(name: str) -> str:
    """Return the path of an external judge; under CI a missing one fails the test."""
    path = shutil.which(name)
    if path:
        return path
    if IN_CI:
        pytest.fail(f"{name} is required under CI (.ci/run installs it)")
    pytest.skip(f"{name} is not installed (.ci/run installs it)")


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> BuildResult:
    """The sample site, built once per test session."""
    out = tmp_path_factory.mktemp("site") / "output"
    result = run_build(CONTENT, out)
    assert result.returncode == 0, result.log
    return result


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A writable copy of the sample content, for tests that break it."""
    dest = tmp_path / "content"
    shutil.copytree(CONTENT, dest)
    return dest


def settings_with(folder: Path, **values) -> str:
    """A settings file that is pelicanconf.py with `values` on top, for builds that need one setting changed."""
    path = folder / "settings.py"
    lines = ["from pelicanconf import *  # noqa: F403"] + [f"{k} = {v!r}" for k, v in values.items()]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return str(path)


def output_files(output: Path) -> list[Path]:
    return sorted(p for p in output.rglob("*") if p.is_file())


def text_files(output: Path) -> list[Path]:
    return [p for p in output_files(output) if p.suffix in {".html", ".xml", ".txt", ".json", ".css", ".js"}]


@pytest.fixture(scope="session")
def browser():
    """One headless Debian chromium for the whole session (see tests/browser.py)."""
    from browser import chromium

    with chromium() as b:
        yield b


LAYERS = ("library", "plugin", "desk", "audit", "browser")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each test carries the marker of its layer (its folder), so `pytest -m library` runs one layer."""
    for item in items:
        layer = Path(str(item.fspath)).parent.name
        if layer in LAYERS:
            item.add_marker(getattr(pytest.mark, layer))


@pytest.fixture(scope="session")
def vector_site(tmp_path_factory) -> tuple[BuildResult, list]:
    """Our XSS/mXSS corpus (tests/vectors.py) built once per session: one essay per vector, in every header key.

    Shared by the plugin tests (text is text, feeds parse), the audit tests and the browser test.
    """
    import vectors

    root = tmp_path_factory.mktemp("vectors")
    every = vectors.write_site(root / "content")
    vectors.write_forbidden_essay(root / "content")
    # Category feeds are left out: one per vector category would only repeat the main feeds.
    settings = settings_with(root, ANONYMIZE_PEN_NAMES=vectors.PEN_NAMES, CATEGORY_FEED_ATOM=None)
    result = run_build(root / "content", root / "output", settings=settings)
    return result, every
