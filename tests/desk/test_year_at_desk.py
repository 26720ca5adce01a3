"""A year at the desk (issue 15): the twelve things that hurt a new editor and a hostile contributor, one test each,
and the whole path from intake to purge in a temporary repository."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import imagegen as gen
import pytest
from conftest import ROOT, run_build, settings_with
from deskrepo import INVOKE, docx_with_picture, git, inv, make_repo

pytestmark = pytest.mark.desk

TRACEBACK = "Traceback (most recent call last)"


@pytest.fixture
def repo(tmp_path) -> Path:
    return make_repo(tmp_path)


def intake(repo: Path, path: Path, *extra: str) -> str:
    got = inv(repo, "intake", str(path), *extra)
    assert got.returncode == 0, got.stdout + got.stderr
    return re.search(r"submission ([0-9a-f]+) is on branch", got.stdout).group(1)


def essay(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def one_line_each(result, *expected: str) -> None:
    """Exit 1, no traceback, and each expected text on a line of its own (`file: problem: what to do`)."""
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert TRACEBACK not in out and "CRITICAL" not in out, out
    lines = out.splitlines()
    for text in expected:
        hits = [line for line in lines if text in line]
        assert len(hits) == 1, (text, out)
        assert hits[0].count(": ") >= 2, hits[0]  # file: problem: what to do


# 1. Confinement --------------------------------------------------------------------------------------------------


def test_links_slugs_and_symlinks_that_leave_content_stop_the_build(content_copy, tmp_path):
    outside = tmp_path / "x.jpg"
    outside.write_bytes(gen.jpeg_everything())
    essays = content_copy / "essays"
    essay(essays, "zz-escape.md", "Title: Escape\nDate: 2025-01-01\n\n![x]({static}/../../x.jpg)\n")
    essay(essays, "zz-slug.md", f"Title: Vanish\nDate: 2025-01-01\nSlug: ../../../..{tmp_path}/gone\n\nBody.\n")
    out = tmp_path / "out"
    built = run_build(content_copy, out)
    one_line_each(built, "essays/zz-escape.md: the link {static}/../../x.jpg leaves the content folder",
                  "essays/zz-slug.md: slug")
    written = sorted(p.name for p in tmp_path.iterdir() if p.name != ".out.lock")
    assert written in (["content", "x.jpg"], ["content", "out", "x.jpg"])  # nothing written beside
    (essays / "zz-escape.md").unlink()
    (essays / "zz-slug.md").unlink()
    (content_copy / "images" / "etc").symlink_to("/etc")
    linked = run_build(content_copy, out)
    one_line_each(linked, "images/etc: a symbolic link (to /etc)")
    assert len((linked.stdout + linked.stderr).splitlines()) < 20


def test_a_page_pelican_would_skip_is_a_build_error(content_copy, tmp_path):
    skipping = settings_with(tmp_path, ARTICLE_SAVE_AS="../../{slug}.html")
    built = run_build(content_copy, tmp_path / "out", settings=skipping)
    assert built.returncode == 1, built.log
    assert "Pelican skipped it" in built.log and TRACEBACK not in built.log
    assert not list(tmp_path.glob("*.html")) and not list(tmp_path.parent.glob("*.html"))


def test_a_refused_accept_records_nothing_and_writes_nothing(repo, tmp_path):
    sid = intake(repo, essay(tmp_path, "note.txt", "A short note\n\nIt says very little.\n"))
    before = git(repo, "status", "--porcelain", "--ignored")
    refused = inv(repo, "accept", sid, "--slug", "../../../x")
    one_line_each(refused, "--slug ../../../x: is not one safe path segment")
    assert git(repo, "status", "--porcelain", "--ignored") == before
    assert not (repo / "submissions" / "decisions.tsv").exists()
    assert not list(tmp_path.glob("*.md")) and not (tmp_path.parent / "x.md").exists()
    accepted = inv(repo, "accept", sid, "--slug", "a-short-note")
    assert accepted.returncode == 0, accepted.stderr
    assert (repo / "content" / "essays" / "a-short-note.md").is_file()


# 2. Originals ----------------------------------------------------------------------------------------------------


def test_decisions_leave_no_ref_reaching_the_original(repo, tmp_path):
    kept = intake(repo, essay(tmp_path, "a.txt", "Kept\n\nWritten by Marguerite Oyelaran-Whitcombe.\n"))
    dropped = intake(repo, essay(tmp_path, "b.txt", "Dropped\n\nWritten by Marguerite Oyelaran-Whitcombe.\n"))
    intake_commits = [git(repo, "rev-parse", f"submission/{sid}").strip() for sid in (kept, dropped)]
    assert inv(repo, "accept", kept).returncode == 0
    assert inv(repo, "reject", dropped, "--reason", "identifies the writer").returncode == 0
    assert git(repo, "for-each-ref", "refs/heads/submission/") == ""
    for commit in intake_commits:
        assert git(repo, "for-each-ref", "--contains", commit) == ""
    assert len(git(repo, "log", "--format=%s", "main").splitlines()) == 3  # the site, one commit per decision


# 3. Publishing beside daily work -----------------------------------------------------------------------------------


def test_after_a_publish_make_site_build_and_clean_keep_working(repo):
    published = inv(repo, "publish")
    assert published.returncode == 0, published.stdout + published.stderr[-3000:]
    live = repo / "published"
    assert live.is_symlink() and (live / "index.html").is_file()
    site = subprocess.run(["make", "site"], cwd=repo, capture_output=True, text=True)
    assert site.returncode == 0, site.stdout[-2000:] + site.stderr[-2000:]
    assert (repo / "output" / "index.html").is_file() and not (repo / "output").is_symlink()
    assert inv(repo, "clean").returncode == 0
    assert not (repo / "output").exists() and (live / "index.html").is_file()
    assert subprocess.run(["make", "clean"], cwd=repo, capture_output=True).returncode == 0
    assert (live / "index.html").is_file()
    ignored = git(repo, "status", "--porcelain", "--ignored")
    assert "?? published" not in ignored and "?? .sites" not in ignored


# 4. A number inside a generated name is not an identifier -----------------------------------------------------------


def test_the_audit_reads_pagefind_text_but_not_its_hashes(tmp_path):
    import gzip

    from anonymize.audit import audit_site

    site = tmp_path / "site"
    (site / "pagefind" / "fragment").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>x</title><p>Hello</p>", "utf-8")
    entry = {"version": "1.5.2", "languages": {"en": {"hash": "en_6963177830", "wasm": "en", "page_count": 1}}}
    (site / "pagefind" / "pagefind-entry.json").write_text(json.dumps(entry), "utf-8")
    (site / "pagefind" / "pagefind.en_6963177830.pf_meta").write_bytes(
        gzip.compress(b"pagefind_dcd\x86e1.5.2\x90\x82jen_6963177\x18\xe9"))
    fragment = {"url": "/essays/x/", "content": "Call the ward on 617-555-0142 tonight."}
    (site / "pagefind" / "fragment" / "en_7130028.pf_fragment").write_bytes(
        gzip.compress(b"pagefind_dcd" + json.dumps(fragment).encode()))
    for path in site.rglob("*"):
        os.utime(path, (86400 * 20000, 86400 * 20000))
    problems = [str(p) for p in audit_site(site)]
    assert not [p for p in problems if "6963177" in p], problems
    assert [p for p in problems if p.startswith("pagefind/fragment/en_7130028.pf_fragment: phone number")], problems


# 5. Preview: ignored by git, audited like any build ----------------------------------------------------------------


def test_preview_is_ignored_and_audited(repo, tmp_path):
    sid = intake(repo, essay(tmp_path, "p.txt", "Night call\n\nPage me at +1 617 555 0142 when it happens.\n"))
    got = inv(repo, "preview", sid)
    assert "audit: essays/preview-" in got.stderr and "phone number" in got.stderr, got.stdout + got.stderr
    assert got.returncode == 1 and TRACEBACK not in got.stderr
    assert (repo / "output-preview" / "essays" / f"preview-{sid}" / "index.html").is_file()
    assert git(repo, "status", "--porcelain") == ""  # output-preview/ (and its lock) are git-ignored


# 6. Pictures inside a .docx -----------------------------------------------------------------------------------------


def test_a_picture_inside_a_docx_is_kept_scrubbed_and_linked(repo, tmp_path):
    doc = docx_with_picture(tmp_path / "board.docx", gen.jpeg_everything())
    got = inv(repo, "intake", str(doc))
    assert got.returncode == 0, got.stderr
    assert "without a usable source" not in got.stdout
    sid = re.search(r"submission ([0-9a-f]+)", got.stdout).group(1)
    files = git(repo, "ls-tree", "-r", "--name-only", f"submission/{sid}").split()
    pictures = [f for f in files if re.fullmatch(rf"submissions/{sid}/[0-9a-f]{{20}}\.jpg", f)]
    assert len(pictures) == 1, files
    data = subprocess.run(["git", "show", f"submission/{sid}:{pictures[0]}"], cwd=repo, capture_output=True).stdout
    assert data[:3] == b"\xff\xd8\xff" and gen.CAMERA_OWNER.encode() not in data and b"Exif" not in data[:4096]
    text = git(repo, "show", f"submission/{sid}:submissions/{sid}/index.md")
    assert f"]({pictures[0].rsplit('/', 1)[1]})" in text and "The rota board" in text


# 7. Errors: one line per problem, every wrong field named ----------------------------------------------------------


def test_build_errors_are_one_line_each_naming_every_field(content_copy, tmp_path):
    essays = content_copy / "essays"
    (essays / "zz-latin.md").write_bytes(b"Title: Caf\xe9\nDate: 2025-01-01\n\nText.\n")
    essay(essays, "zz-empty.md", "")
    essay(essays, "zz-title-only.md", "Title:\n")
    essay(essays, "zz-feb.md", "Title: Leap\nDate: 2025-02-30\n\nText.\n")
    essay(essays, "zz-no-date.md", "Title: \nCategory: Burnout\n\nText.\n")
    built = run_build(content_copy, tmp_path / "out")
    one_line_each(built, "essays/zz-latin.md: not UTF-8", "essays/zz-empty.md: the file is empty",
                  "essays/zz-title-only.md: empty header 'Title:'", "essays/zz-title-only.md: missing header 'Date:'",
                  "essays/zz-feb.md: date '2025-02-30' does not parse as a day",
                  "essays/zz-no-date.md: empty header 'Title:'", "essays/zz-no-date.md: missing header 'Date:'")


def test_wrong_arguments_are_named_in_one_line_each(tmp_path):
    def run(*args: str):
        return subprocess.run([INVOKE, *args], cwd=ROOT, capture_output=True, text=True)

    one_line_each(run("build", "--settings", "nope.py", "--content", "nope", "--output", str(tmp_path / "o")),
                  "nope.py: no such settings file", "nope: no such content folder")
    one_line_each(run("serve", "--port", "x"), "--port x: not a port number")
    one_line_each(run("audit", "nope"), "nope: no such folder")
    flat = tmp_path / "flat"
    flat.mkdir()
    essay(flat, "one.md", "Title: One\nDate: 2025-01-01\n\nText.\n")
    built = run("build", "--content", str(flat), "--output", str(tmp_path / "o"))
    one_line_each(built, "no essays/ folder")
    assert "pagefind" not in built.stderr.lower()


# 8. ack: only a finding the essay has ------------------------------------------------------------------------------


def test_ack_refuses_a_finding_the_essay_does_not_have(repo, tmp_path):
    sid = intake(repo, essay(tmp_path, "n.txt", "Rounds\n\nDr. Atul Gawande wrote about checklists.\n"))
    wrong = inv(repo, "ack", sid, "name: Nobody Here")
    one_line_each(wrong, f"{sid}: has no finding 'name: Nobody Here'")
    close = inv(repo, "ack", sid, "name: Atul Gawand")
    assert close.returncode == 1 and "Atul Gawande" in close.stderr
    assert "Acknowledged" not in git(repo, "show", f"submission/{sid}:submissions/{sid}/index.md")
    right = inv(repo, "ack", sid, "name: Atul Gawande")
    assert right.returncode == 0, right.stderr


# 9. serve and livereload stop everything; one report per change ----------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _wait(condition, seconds: float = 60) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _group_alive(pid: int) -> bool:
    out = subprocess.run(["ps", "-eo", "pgid="], capture_output=True, text=True).stdout.split()
    return str(pid) in out


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_serve_stops_every_child_when_stopped(site, tmp_path, stop):
    port = _free_port()
    proc = subprocess.Popen([INVOKE, "serve", "--output", str(site.output), "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        assert _wait(lambda: _listening(port)), "serve never listened"
        os.kill(proc.pid, stop)
        proc.wait(timeout=20)
        assert _wait(lambda: not _listening(port), 10), "Pelican still serves the port"
        assert not _group_alive(proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGKILL) if _group_alive(proc.pid) else None


def test_livereload_reports_a_bad_file_once_per_change_and_stops_on_sigterm(content_copy, tmp_path):
    port = _free_port()
    bad = essay(content_copy / "essays", "zz-bad.md", "Title: Bad\n\nNo date.\n")
    log = tmp_path / "log"
    with open(log, "w") as fh:
        proc = subprocess.Popen([INVOKE, "livereload", "--content", str(content_copy), "--output",
                                 str(tmp_path / "out"), "--port", str(port)], cwd=ROOT, stdout=fh, stderr=fh,
                                start_new_session=True)
    try:
        def reports() -> int:
            return log.read_text("utf-8").count("essays/zz-bad.md: missing header 'Date:'")

        assert _wait(lambda: reports() == 1 and "waiting for a change" in log.read_text("utf-8"), 120), log.read_text()
        time.sleep(3)
        assert reports() == 1, log.read_text()
        bad.write_text("Title: Bad\n\nStill no date.\n", "utf-8")
        assert _wait(lambda: reports() == 2, 120), log.read_text()
        assert _listening(port)
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        assert _wait(lambda: not _listening(port), 10)
        assert not _group_alive(proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGKILL) if _group_alive(proc.pid) else None


# 10. Progress, and a size limit per essay ---------------------------------------------------------------------------


def test_long_work_shows_progress_and_a_huge_essay_is_refused(content_copy, tmp_path, repo):
    photos = tmp_path / "photos"
    photos.mkdir()
    for i in range(3):
        (photos / f"p{i}.jpg").write_bytes(gen.jpeg_with_metadata(gen.corridor(64 + i, 48)))
    scrub = subprocess.run([INVOKE, "scrub", "--path", str(photos), "--out", str(tmp_path / "clean")], cwd=ROOT,
                           capture_output=True, text=True, env={**os.environ, "TTY_COMPATIBLE": "1"})
    assert scrub.returncode == 0 and "Scrubbing images" in scrub.stderr, scrub.stderr
    huge = "Title: Huge\nDate: 2025-01-01\n\n" + ("All work and no play. " * 60_000) + "\n"
    essay(content_copy / "essays", "zz-huge.md", huge)
    built = run_build(content_copy, tmp_path / "out")
    one_line_each(built, "essays/zz-huge.md: is 1.3 MB, over the limit")
    refused = inv(repo, "intake", str(essay(tmp_path, "huge.md", huge)))
    one_line_each(refused, "huge.md: is 1.3 MB, over the limit")


# 11. One build per output folder -------------------------------------------------------------------------------------


def test_a_second_build_names_the_holder_and_a_stale_lock_is_recovered(content_copy, tmp_path):
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; sys.path.insert(0, 'plugins'); from anonymize.desk import lock\n"
        f"with lock.held(__import__('pathlib').Path({str(out)!r}), 'invoke build'):\n"
        "    print('held', flush=True); time.sleep(120)")], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        busy = run_build(content_copy, out)
        one_line_each(busy, f"in use by pid {holder.pid} (invoke build)")
    finally:
        holder.kill()
        holder.wait()
    assert (tmp_path / ".out.lock").exists()  # left behind by a killed holder: stale
    built = run_build(content_copy, out)
    assert built.returncode == 0, built.log


# 12. Review: header findings on their own lines; the desk's own image names are not findings ------------------------


def test_review_gives_header_lines_and_ignores_hashed_image_names(repo, tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "board.jpg").write_bytes(gen.jpeg_everything())
    src = essay(tmp_path, "e.md", "Title: Nights with Dr. Priya Raman\nCategory: Burnout\n"
                                  "Summary: A shift at St. Elsewhere, call 617-555-0142\n\n"
                                  "The ward was quiet.\n\n![board](board.jpg)\n")
    sid = intake(repo, src, "--images", str(photos))
    report = json.loads(inv(repo, "review", "--id", sid, "--json").stdout)
    findings = report["submissions"][0]["findings"]
    text = git(repo, "show", f"submission/{sid}:submissions/{sid}/index.md").split("\n")
    by_text = {f["text"]: f["line"] for f in findings}
    phone = next(line for text_, line in by_text.items() if "555" in text_)
    assert text[phone - 1].startswith("Summary:"), (findings, text)
    name = next(line for text_, line in by_text.items() if "Priya" in text_ or "Raman" in text_)
    assert text[name - 1].startswith("Title:"), (findings, text)
    image = next(line for line in text if re.search(r"\]\([0-9a-f]{20}\.jpg\)", line))
    assert image and not [f for f in findings if re.fullmatch(r"[0-9a-f]{6,}(\.jpg)?", f["text"])], findings


# The whole path ------------------------------------------------------------------------------------------------------


def test_intake_edit_accept_purge_leaves_no_trace_of_the_name(repo, tmp_path):
    name = "Marguerite Oyelaran-Whitcombe"
    src = essay(tmp_path, "essay.md", f"Title: The Handover\nCategory: Burnout\n\n"
                                      f"My consultant, {name}, stayed until the last patient was seen.\n\n"
                                      "The night went on without her.\n")
    sid = intake(repo, src)
    assert name in git(repo, "show", f"submission/{sid}:submissions/{sid}/index.md")
    # The editor edits the name out on the submission branch, as the README says.
    git(repo, "switch", "-q", f"submission/{sid}")
    index = repo / "submissions" / sid / "index.md"
    index.write_text(index.read_text("utf-8").replace(name, "my consultant"), "utf-8")
    git(repo, "commit", "-qam", "Edit out a name")
    git(repo, "switch", "-q", "main")
    accepted = inv(repo, "accept", sid, "--slug", "the-handover")
    assert accepted.returncode == 0, accepted.stderr
    assert "invoke purge" in accepted.stdout
    purged = inv(repo, "purge")
    assert purged.returncode == 0, purged.stdout + purged.stderr
    objects = subprocess.run(["git", "cat-file", "--batch-all-objects", "--batch"], cwd=repo,
                             capture_output=True).stdout
    assert b"Marguerite" not in objects and b"Oyelaran" not in objects
    assert b"stayed until the last patient" in objects  # the edited essay is there
    assert sid not in git(repo, "branch", "--all")
    published = inv(repo, "publish")
    assert published.returncode == 0, published.stdout + published.stderr[-3000:]
    site = subprocess.run(["make", "site"], cwd=repo, capture_output=True, text=True)
    assert site.returncode == 0, site.stdout[-2000:] + site.stderr[-2000:]
    assert (repo / "output" / "essays" / "the-handover" / "index.html").is_file()
    shutil.rmtree(repo / "output")


def test_every_task_describes_every_option():
    import inspect

    from invoke import Collection

    import tasks

    undocumented = []
    for name, task in Collection.from_module(tasks).tasks.items():
        params = list(inspect.signature(task.body).parameters)[1:]
        assert task.__doc__ or task.body.__doc__, name
        undocumented += [f"{name} --{p}" for p in params if not (task.help or {}).get(p)]
    assert undocumented == []
    assert len(Path(tasks.__file__).read_text("utf-8").splitlines()) < 200
    assert "_getframe" not in Path(tasks.__file__).read_text("utf-8")
