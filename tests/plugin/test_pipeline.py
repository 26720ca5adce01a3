"""The plugin's pipeline: steps declared in one place, state in one object, and none of the glue failing open.

Each test of a fail-open place was written against the code before the change (issue 14) and failed there.
"""

from __future__ import annotations

import ast
import builtins
import os
import subprocess
import sys
from pathlib import Path

import pytest
from anonymize import paths
from conftest import ROOT, output_files, run_build, settings_with

INVOKE = str(Path(sys.executable).parent / "invoke")
PLUGIN = ROOT / "plugins" / "anonymize"

NAME_ESSAY = """Title: A night on the ward
Date: 2025-03-04
Category: Burnout

I worked the night with Dr. Miriam Okafor, who called me on 555-867-5309 before the handover.
"""


def _essay(folder: Path, name: str, text: str = NAME_ESSAY) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def _minimal_content(tmp_path: Path) -> Path:
    """A content folder of our own: the tests do not depend on which sample essays exist."""
    content = tmp_path / "content"
    _essay(content / "essays", "plain.md", "Title: Plain\nDate: 2025-01-02\nCategory: Notes\n\nA plain essay.\n")
    _essay(content / "pages", "about.md", "Title: About\n\nAbout this site.\n")
    return content


# --- steps in one place ----------------------------------------------------------------------------------------


def test_steps_are_declared_in_order_and_connected_once():
    from anonymize.pelican_plugin import plugin
    from anonymize.pelican_plugin.output import audit_handover, mtimes, search_index
    from anonymize.pelican_plugin.speed import stale_output
    from pelican import signals

    final = plugin.STEPS["finalized"]
    assert final[-1] is plugin.tell_written and final[-2] is mtimes.on_finalized
    order = [stale_output.before_search, audit_handover.write, search_index.on_finalized,
             search_index.on_finalized_wait, stale_output.on_finalized]
    assert [final.index(step) for step in order] == sorted(final.index(step) for step in order)
    gen = plugin.STEPS["all_generators_finalized"]
    assert gen[-1] is plugin.fix_urls and gen.index(plugin.refuse_if_errors) < gen.index(plugin.fix_urls)
    plugin.register()
    try:
        for name, receiver in plugin.RECEIVERS.items():
            if name == "finalized":
                continue
            ours = [r for r in getattr(signals, name).receivers_for(None) if r.__module__ == plugin.__name__]
            assert ours == [receiver], name
    finally:
        for name, receiver in plugin.RECEIVERS.items():
            getattr(signals, name).disconnect(receiver)


def test_written_is_said_only_when_nothing_can_change_the_output_after_it(tmp_path):
    from anonymize.pelican_plugin import plugin
    from pelican import signals

    class Pelican:
        settings = {"OUTPUT_PATH": str(tmp_path / "site"), "ANONYMIZE_REPORT_PATH": str(tmp_path / "r.json")}

    def said(*receivers) -> bytes:
        for r in receivers:
            signals.finalized.connect(r)
        read, write = os.pipe()
        os.environ["UNSIGNED_WRITTEN_FD"] = str(write)
        try:
            plugin.tell_written(Pelican())
            return os.read(read, 4096)
        finally:
            os.environ.pop("UNSIGNED_WRITTEN_FD", None)
            os.close(read)
            for r in receivers:
                signals.finalized.disconnect(r)

    def another_plugin(sender):  # connected after ours: it could still write into the output
        return None

    # with the audit hand-over's path, which `invoke build` then need not work out from the settings
    handover = paths.policy_path(Pelican.settings, Pelican.settings["OUTPUT_PATH"])
    assert said(plugin.on_finalized) == b"written " + handover.encode() + b"\n"
    assert said(plugin.on_finalized, another_plugin) == b""  # invoke build then waits for Pelican's exit


def test_invoke_build_reads_the_hand_over_path_pelican_says():
    """`invoke build` audits with the hand-over path Pelican names; an old-style "written" names none; a Pelican
    that exits without a word is waited for (None)."""
    import subprocess
    import sys

    from anonymize.desk.build import _said_written

    for message, expected in [(b"written /tmp/x y/h\xc3\xa9.json\n", "/tmp/x y/h\u00e9.json"), (b"written\n", ""),
                              (b"", None), (b"half", None)]:
        read, write = os.pipe()
        proc = subprocess.Popen([sys.executable, "-c", f"import os; os.write({write}, {message!r})"],
                                pass_fds=(write,))
        os.close(write)
        assert _said_written(proc, read) == expected, message
        proc.wait()


# --- one state object ------------------------------------------------------------------------------------------

WORKER_GLOBALS = {("prescrub.py", "_reader"), ("prescrub.py", "_settings"), ("audit_ahead.py", "_known")}


def test_no_module_keeps_build_state_but_state_py():
    """Per-build state lives in `state.BuildState`; only worker processes keep their own (set in the worker)."""
    offenders = []
    for path in sorted((PLUGIN / "pelican_plugin").rglob("*.py")):
        if path.name == "state.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Global):
                offenders += [(path.name, n) for n in node.names if (path.name, n) not in WORKER_GLOBALS]
    assert offenders == []


def test_the_library_imports_neither_pelican_nor_git_nor_the_other_parts():
    script = """
import pkgutil, importlib, sys
import anonymize.scrub as lib
for m in pkgutil.walk_packages(lib.__path__, "anonymize.scrub."):
    importlib.import_module(m.name)
bad = sorted(n for n in sys.modules if n.split(".")[0] == "pelican"
             or n.startswith(("anonymize.desk", "anonymize.pelican_plugin", "anonymize.audit")))
print(" ".join(bad))
"""
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


# --- fail-open 1: the publish gate sees what the build read ---------------------------------------------------------


def test_publish_gate_refuses_essays_in_subfolders_and_other_markdown_extensions(tmp_path):
    content = _minimal_content(tmp_path)
    _essay(content / "essays" / "2025" / "march", "deep.md")
    _essay(content / "essays", "other.markdown", NAME_ESSAY.replace("A night", "Another night"))
    _essay(content / "essays", "draft.md", NAME_ESSAY.replace("A night", "A draft") + "\n").write_text(
        NAME_ESSAY.replace("Category: Burnout", "Category: Burnout\nStatus: draft").replace("A night", "A draft"),
        "utf-8")
    live = tmp_path / "public" / "output"
    live.parent.mkdir()
    proc = subprocess.run([INVOKE, "publish", "--content", str(content), "--output", str(live)], cwd=ROOT,
                          capture_output=True, text=True)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert "essays/2025/march/deep.md: line" in out and "essays/other.markdown: line" in out
    assert "essays/draft.md" not in out  # a draft is not published, by its parsed status
    assert not live.exists()  # nothing was published


def test_gate_fails_closed_on_a_report_without_findings(tmp_path):
    from anonymize.desk.publish_gate import GateError, refusals

    report = tmp_path / "report.json"
    report.write_text('{"sources": []}', "utf-8")  # an older build's report: no findings section
    with pytest.raises(GateError, match="report.json"):
        refusals(report)
    with pytest.raises(GateError):
        refusals(tmp_path / "missing.json")


# --- fail-open 2: one path per hand-over; a foreign or stale one grants nothing -------------------------------------


def test_audit_policy_is_where_the_build_put_it_and_a_foreign_one_grants_nothing(tmp_path):
    from anonymize.audit import Policy, audit_site

    content = _minimal_content(tmp_path)
    _essay(content / "essays", "press.md", "Title: Press\nDate: 2025-01-03\nCategory: Notes\n"
           "Acknowledged: email: press@board.example\n\nWrite to press@board.example for comment.\n")
    report = tmp_path / "elsewhere" / "report.json"
    settings = settings_with(tmp_path, ANONYMIZE_REPORT_PATH=str(report))
    a = run_build(content, tmp_path / "a", settings=settings)
    assert a.returncode == 0, a.log
    handover = Path(paths.policy_path({"ANONYMIZE_REPORT_PATH": str(report)}, tmp_path / "a"))
    assert handover.is_file()  # the one function the build and the tasks share
    policy, why = Policy.for_site(handover, tmp_path / "a")
    assert why is None and "press@board.example" in policy.acknowledged
    # another site (an essay more: other pages) audited with a's hand-over: the acknowledgement does not carry
    (content / "essays" / "press.md").write_text(
        "Title: Press two\nDate: 2025-01-03\nCategory: Notes\n\nWrite to press@board.example.\n", "utf-8")
    _essay(content / "essays", "more.md", "Title: More\nDate: 2025-01-04\nCategory: Notes\n\nMore.\n")
    b = run_build(content, tmp_path / "b", settings=settings_with(tmp_path, ANONYMIZE_REPORT_PATH=str(
        tmp_path / "b-report" / "r.json")))
    policy, why = Policy.for_site(handover, tmp_path / "b")
    assert why and "another build" in why and policy.acknowledged == frozenset()
    assert any("press@board.example" in str(p) for p in audit_site(tmp_path / "b", policy)), b.log


# --- fail-open 3: output hygiene never deletes what the build wrote; a failed build empties the folder ---------------


def test_a_page_written_in_the_second_the_build_began_is_not_deleted(tmp_path, monkeypatch):
    from anonymize.pelican_plugin import state
    from anonymize.pelican_plugin.speed import stale_output

    out = tmp_path / "out"
    page = out / "essays" / "x" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("old", "utf-8")
    current = state.begin()
    try:
        current.record = state.OutputRecord(str(out), (), stale_output.snapshot(str(out), ()))
        page.write_text("new", "utf-8")  # the writer rewrites it in place (same inode)...
        stale_output.on_written(str(page))
        st = os.lstat(page)  # ...and on a whole-second file system its change time has not moved
        current.record.before[str(page)] = (st.st_ino, st.st_ctime_ns)

        class P:
            output_path = str(out)

        stale_output.before_search(P())
        assert page.read_text("utf-8") == "new"
    finally:
        state.end()


def test_whole_second_change_times_make_pelican_wipe_first(tmp_path, monkeypatch):
    from anonymize.pelican_plugin.speed import stale_output

    assert stale_output.ctime_is_change_time(str(tmp_path))  # this machine's file system: nanoseconds
    real = os.lstat

    class Coarse:
        def __init__(self, st):
            self.st_ctime_ns = st.st_ctime_ns // 1_000_000_000 * 1_000_000_000
            self.st_mtime_ns = st.st_mtime_ns

    monkeypatch.setattr(stale_output.os, "lstat", lambda p: Coarse(real(p)))
    assert not stale_output.ctime_is_change_time(str(tmp_path))


def test_a_failed_pelican_run_leaves_the_output_empty_whatever_started_it(tmp_path):
    content = _minimal_content(tmp_path)
    out = tmp_path / "out"
    first = run_build(content, out)
    assert first.returncode == 0, first.log
    assert (out / "essays" / "plain" / "index.html").is_file()
    _essay(content / "essays", "broken.md", "Date: 2025-01-01\n\nNo title.\n")
    # Pelican itself, not invoke build: the plugin's guard empties the folder as Pelican's wipe would have
    proc = subprocess.run([sys.executable, "-m", "pelican", str(content), "-o", str(out), "-s", "pelicanconf.py",
                           "--delete-output-directory"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode != 0
    assert not any(out.rglob("*.html")), sorted(out.rglob("*"))


# --- fail-open 4: a refused build leaves no cleaned images behind ----------------------------------------------------


def test_a_refused_build_leaves_no_staged_images(tmp_path):
    import imagegen as gen

    content = _minimal_content(tmp_path)
    (content / "images").mkdir()
    (content / "images" / "photo.jpg").write_bytes(gen.jpeg_with_metadata())
    _essay(content / "essays", "photo.md", "Title: Photo\nDate: 2025-01-05\nCategory: Notes\n\n"
           "![a ward]({static}/images/photo.jpg)\n")
    _essay(content / "essays", "broken.md", "Date: 2025-01-01\n\nNo title.\n")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    proc = subprocess.run([INVOKE, "build", "--content", str(content), "--output", str(tmp_path / "out")], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, "TMPDIR": str(tmp)})
    assert proc.returncode != 0
    assert not list(tmp.glob("unsigned-images-*"))


# --- fail-open 5: the reader opens a source once ---------------------------------------------------------------------


def test_the_reader_reads_a_source_once(tmp_path, monkeypatch):
    """The cache key, the header checks and the conversion all see the same bytes: one open, one read."""
    from anonymize.pelican_plugin import settings as plugin_settings
    from anonymize.pelican_plugin import state
    from anonymize.pelican_plugin.reader import AnonymizingMarkdownReader
    from pelican.settings import read_settings

    content = _minimal_content(tmp_path)
    source = content / "essays" / "plain.md"
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(content)})
    plugin_settings.enforce(settings)
    opened: list[str] = []
    real_open = builtins.open

    def counting_open(file, *args, **kwargs):
        if os.path.abspath(str(file)) == str(source):
            opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counting_open)
    state.begin(settings)
    try:
        body, meta = AnonymizingMarkdownReader(settings).read(str(source))
    finally:
        state.end()
    assert "A plain essay." in body and meta["title"] == "Plain"
    assert len(opened) == 1, opened


# --- speed machinery is optional --------------------------------------------------------------------------------


def test_speed_machinery_off_gives_byte_identical_output(tmp_path):
    content = _minimal_content(tmp_path)
    (content / "essays" / "second.md").write_text(
        "Title: Second\nDate: 2025-01-06\nCategory: Notes\nTags: one, two\n\nA [link](https://example.org/?utm_source=x).\n",
        "utf-8")
    fast = run_build(content, tmp_path / "fast")
    assert fast.returncode == 0, fast.log
    off = settings_with(tmp_path, ANONYMIZE_WORKERS=1, ANONYMIZE_SCRUB_CACHE=False, ANONYMIZE_AUDIT_AHEAD=False,
                        ANONYMIZE_REWRITE_IN_PLACE=False, ANONYMIZE_FIXED_URLS=False, ANONYMIZE_TEMPLATE_CACHE=False,
                        ANONYMIZE_FAST_TAXONOMY=False)
    slow = run_build(content, tmp_path / "slow", settings=off)
    assert slow.returncode == 0, slow.log

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in output_files(root)}

    a, b = files(tmp_path / "fast"), files(tmp_path / "slow")
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []
