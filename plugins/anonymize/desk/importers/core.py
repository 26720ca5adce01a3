"""The shared core of every importer: each post goes through the desk's own intake path, all or nothing.

A format module turns an export into `Post`s (title, raw HTML, category,
tags, status) and counts what it leaves behind. The core decides what is
imported (published and scheduled posts and pages; drafts only when asked;
private and password-protected posts never), takes images from the editor's
copy of the media folder, runs the desk's `clean()` (header allowlist, HTML
scrubber, links, image scrubbers, HTML to Markdown) and writes each
submission exactly as `invoke intake` would: `submissions/<id>/index.md` on
its own branch `submission/<id>`, one commit under the desk identity at
midnight UTC.

Why a branch per post rather than one import branch: it is what intake
makes, so `invoke review ID`, `ack`, `accept`, `reject` and `preview` work
on an imported post exactly as on a contributed one, without checking
anything out; each post is a small review that can be finished, accepted or
rejected on its own, so one problem post never holds back the archive, and
accepting a post never carries another post's unreviewed text into main.
The cost is one ref per post (cheap for git; `invoke review` reads each).

All commits of one run are written by a single `git fast-import` into a
staging ref, then every branch and the import record are created in one
`git update-ref` transaction: a failure anywhere (a damaged export, an image
the scrubbers refuse, git itself) leaves no branch and no record behind.

Each published post keeps the DAY it was first published, as `Date: YYYY-MM-DD`
in its submission (accept keeps it, so an archive keeps its chronology); never
the time of day or the zone. The day is the calendar date written in the
export's own timestamp, in the zone the export states it in, never converted:
WordPress's `wp:post_date` (the site's own timezone: the day its archive pages
and permalinks showed), Blogger's `<published>` (the blog's zone, given as an
offset), Medium's `dt-published` and Substack's `post_date` (UTC, the only
zone they export). Converting to UTC would move a post written in the evening
to the next day, and the difference from the day the old site showed (and web
archives still show) would tell a reader the hour it was posted; the day the
old site showed tells nothing new. Scheduled posts, drafts and pages keep no
day: they were never published (pages have no date).

The record of what was imported (`refs/unsigned/imported`) holds one keyed
hash per source post (HMAC-SHA256 of the post's GUID under a random key kept
in the git directory, never committed), so a re-run skips posts already
imported and the record names no post, blog or date.
"""

from __future__ import annotations

import hashlib
import hmac
import multiprocessing
import os
import re
import secrets
import subprocess
import tempfile
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol

from anonymize.desk import gitdesk
from anonymize.desk.clean import clean
from anonymize.desk.formats import Draft, IntakeError
from anonymize.desk.importers.media import Media, localise, unlink_own
from anonymize.desk.review import BRANCH_PREFIX
from anonymize.desk.submission import new_id, render
from anonymize.scrub.limits import size_problem

RECORD_REF = "refs/unsigned/imported"
STAGING_REF = "refs/unsigned/import-staging"
KEY_FILE = "unsigned-import.key"

# What the core does with each status a format reports.
IMPORTED = ("publish", "future")
DRAFTS = ("draft", "pending")
NOT_IMPORTED = {
    "draft": "drafts (not imported; --drafts takes them)",
    "pending": "posts pending review (not imported; --drafts takes them)",
    "private": "private posts (never imported)",
    "password": "password-protected posts (never imported)",
    "trash": "trashed posts (never imported)",
}


class ExportError(IntakeError):
    """An export that cannot be imported: the message names the file and, where there is one, the position."""


@dataclass
class Post:
    """One post or page of an export, as its format module read it (nothing here reaches git unscrubbed)."""

    guid: str  # the source's own identifier; only its keyed hash is kept
    title: str
    html: str | Callable[[], str]  # or a function making it, called only if the post is imported
    kind: str = "post"  # post | page
    status: str = "publish"  # publish | future | draft | pending | private | password | trash
    category: str = ""
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    base_url: str = ""  # where the old site lived, to read root-relative image addresses
    own: tuple[str, ...] = ()  # the old site's own addresses (host, or host/path prefix): links there are unlinked
    own_pages: frozenset[str] = frozenset()  # paths of the old site's own pages, whatever host a link gives them
    where: str = ""  # its place in the export, for error messages ("item 12")
    published: date | None = None  # the day it was first published, in the export's own zone (see day_of)


class Reader(Protocol):
    label: str  # "WordPress"
    fmt: str  # "wordpress"
    dropped: Counter  # kind -> how many, never the values

    def scan(self, progress: Callable[[str, int, int], None]) -> int:
        """Read the whole export once, refusing it whole if damaged; return how many records there are."""
        ...

    def posts(self) -> Iterator[Post]:
        ...


@dataclass
class Imported:
    sid: str
    branch: str
    kind: str
    notes: list[str]  # import findings for the editor (images missing from --media), never committed


@dataclass
class Result:
    export: Path
    label: str
    imported: list[Imported] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # why posts were not imported
    dropped: Counter = field(default_factory=Counter)  # what never reaches the repository, per kind
    markup: Counter = field(default_factory=Counter)  # WordPress markup turned into plain HTML
    removed: Counter = field(default_factory=Counter)  # the scrubber's removals and findings, per kind
    info: Counter = field(default_factory=Counter)  # how some imported posts were treated
    refused: list[str] = field(default_factory=list)  # posts not imported for a reason the editor can act on
    total: int = 0


def workers() -> int:
    """Processes that scrub posts side by side: the cores this process may use, at most MAX_WORKERS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


MAX_WORKERS = 4
WINDOW = 4  # posts in flight per worker: enough to keep each busy, few enough to hold memory to a few posts


def run(desk, reader: Reader, export: Path, media_dir: Path | None = None, drafts: bool = False,
        progress: Callable[[str, int, int], None] | None = None, processes: int | None = None) -> Result:
    """Import every post of `reader` as a submission; all branches and the record appear together or not at all.

    This process reads the export, decides what is imported and streams the commits into git fast-import, in
    the export's order; `processes` worker processes (default: one per core, `workers()`) scrub the posts
    meanwhile. Memory holds the few posts in flight (WINDOW per worker), never the archive. Scrubbing is
    nearly all of an import's CPU time, so on a machine whose cores are shared with other work, two workers
    also get twice the share of it. The workers are forked before git fast-import starts, so none holds its
    pipe, and they only compute: every ref is still set by this process in one transaction at the end.
    """
    progress = progress or (lambda stage, done, total: None)
    if media_dir is not None and not media_dir.is_dir():
        raise ExportError(f"{media_dir}: not a folder (--media is a copy of the site's uploads folder)")
    total = reader.scan(progress)
    _MEDIA.clear()  # the folder may have changed since an earlier run in this process
    record = Record(desk.repo)
    result = Result(export, reader.label, total=total)
    day = gitdesk.today()
    batch = Batch(desk.repo, desk.name, desk.email, day)
    branches: dict[str, int] = {}
    processes = workers() if processes is None else max(1, processes)
    flight: deque = deque()  # scrubbing, in the export's order

    def land(limit: int) -> None:
        """Commit the oldest posts in flight until at most `limit` remain."""
        while len(flight) > limit:
            pending = flight.popleft()
            try:
                made = pending.result() if isinstance(pending, Future) else pending
            except BrokenProcessPool:
                raise ExportError(f"{export}: a process scrubbing the posts stopped (out of memory, or killed); "
                                  "nothing was imported: run the import again") from None
            branch = f"{BRANCH_PREFIX}{made.sid}"
            branches[branch] = batch.commit(made.files, f"Intake submission {made.sid}")
            result.imported.append(Imported(made.sid, branch, made.kind, made.notes))
            result.removed.update(made.removed)
            result.markup.update(made.markup)

    try:
        with tempfile.TemporaryDirectory(prefix="unsigned-import-") as tmp, _pool(processes) as pool:
            for n, post in enumerate(reader.posts(), 1):
                progress("import", n, total)
                if post.status not in IMPORTED and not (drafts and post.status in DRAFTS):
                    result.skipped[NOT_IMPORTED.get(post.status, f"posts with status {post.status!r}")] += 1
                    continue
                key = record.key(reader.fmt, post.guid)
                if key in record.seen:
                    result.skipped["already imported (an earlier run)"] += 1
                    continue
                if callable(post.html):
                    post.html = post.html()
                too_large = size_problem(len(post.html.encode("utf-8")), getattr(desk, "max_essay_bytes", None))
                if too_large:  # intake refuses such a file; here the rest of the archive still comes over
                    result.skipped["posts over the essay size limit (named below)"] += 1
                    result.refused.append(f"{post.where}: {too_large}")
                    continue
                record.add(key)
                if post.status == "future":
                    result.info["scheduled posts (imported; their date and time are not kept)"] += 1
                if post.status in DRAFTS:
                    result.info["drafts (imported, as --drafts asked)"] += 1
                job = (post, reader.fmt, media_dir, Path(tmp), day, export)
                flight.append(pool.submit(_scrub, job) if pool else _scrub(job))
                land(WINDOW * processes)
            land(0)
            if branches:
                record_mark = batch.commit({"keys": record.contents()}, "Import record", parent=record.parent)
                batch.finish(branches, record_mark, record.parent)
            else:
                batch.abort()
    except BaseException:
        batch.abort()
        raise
    result.dropped.update(reader.dropped)
    result.markup.update(getattr(reader, "markup", Counter()))
    return result


@contextmanager
def _pool(processes: int) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes forked now (this process's modules and settings, no start-up), or None for one process.

    A worker that dies (killed, out of memory) fails the import (BrokenProcessPool) rather than losing a post;
    on the way out, whatever happened, posts not yet started are cancelled and the workers end.
    """
    if processes < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    clean(Draft("Warm-up", "", {}, body_html="<p>Warm-up.</p>"), "warm-up")  # rules loaded once, not per worker
    pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"))
    try:
        pool.submit(os.getpid).result()  # every worker is forked here, before git fast-import has a pipe to share
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _scrub(job: tuple) -> Made:
    """One post scrubbed, in a worker (or in this process); `submission` is looked up when called."""
    return submission(*job)


@dataclass
class Made:
    """One scrubbed submission, ready to commit."""

    sid: str
    kind: str
    files: dict[str, bytes]
    notes: list[str]
    removed: Counter
    markup: Counter


_MEDIA: dict[Path | None, Media] = {}  # one per process and folder: its index of file names is built once


def submission(post: Post, fmt: str, media_dir: Path | None, tmp: Path, day: date, export: Path) -> Made:
    """The files of one submission, made by the desk's `clean()` exactly as intake makes them."""
    if media_dir not in _MEDIA:
        _MEDIA[media_dir] = Media(media_dir)
    media = _MEDIA[media_dir]
    sid = new_id()
    folder = tmp / f"images-{os.getpid()}"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():  # the last post's images (a rmtree per post cost more than its scrubbing)
        old.unlink()
    notes: list[str] = []
    markup: Counter = Counter()
    html, images = localise(post.html() if callable(post.html) else post.html, media, folder, post.base_url, notes,
                            markup, post.own)
    html = unlink_own(html, post.own, notes, markup, post.own_pages)
    header: dict[str, str] = {}
    if post.category.strip():
        header["category"] = one_line(post.category)
    tags = [one_line(t.replace(",", " ").replace(";", " ")) for t in post.tags if t.strip()]
    if tags:
        header["tags"] = ", ".join(dict.fromkeys(tags))
    if post.summary.strip():
        header["summary"] = one_line(post.summary)
    title = one_line(post.title)
    if not title:
        markup["posts without a title (titled 'Untitled')"] += 1
    draft = Draft(title or "Untitled", "", header, body_html=html or "<p></p>", source_format=fmt)
    source = f"submissions/{sid}"
    try:
        cleaned = clean(draft, source, folder if images else None)
    except IntakeError as exc:
        raise ExportError(f"{export}: {post.where}: {exc}; nothing was imported") from None
    except Exception as exc:  # noqa: BLE001 - the scrubber's own error names the submission, not the export
        raise ExportError(f"{export}: {post.where}: {exc}; nothing was imported") from None
    removed: Counter = Counter()
    for entries in cleaned.report.entries.values():
        for entry in entries:
            removed[f"{entry.action} {entry.kind}"] += 1
    out = dict(cleaned.header)
    out["submitted"] = day.isoformat()
    if post.kind == "post" and post.status == "publish" and post.published is not None:
        out["date"] = post.published.isoformat()  # the first publication's day; accept keeps it
    out["source_format"] = fmt if post.kind == "post" else f"{fmt} {post.kind}"
    files: dict[str, bytes] = {f"{source}/index.md": render(out, cleaned.body).encode()}
    for name, data in cleaned.images.items():
        files[f"{source}/{name}"] = data
    return Made(sid, post.kind, files, notes, removed, markup)


def own_address(url: str) -> str:
    """`host/path` of a site's address, as `media.unlink_own` compares it ("" when there is none)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip() if "://" in url else "https://" + url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    return (host + parts.path.rstrip("/")).lower() if host else ""


STAMP_DAY = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T\s])")


def day_of(*stamps: str | None) -> date | None:
    """The calendar day of the first timestamp that has one, as written (its own zone; never converted).

    ISO 8601 and WordPress's `YYYY-MM-DD HH:MM:SS` give their date part; an RFC 822 date (`Tue, 05 Mar 2024
    14:31:07 +0000`, RSS's pubDate) its day in the zone it states. Empty and zero dates (`0000-00-00`, a
    WordPress draft's) give None.
    """
    for stamp in stamps:
        text = (stamp or "").strip()
        if not text:
            continue
        m = STAMP_DAY.match(text)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue  # 0000-00-00 and other impossible days
        try:
            from email.utils import parsedate_to_datetime

            return parsedate_to_datetime(text).date()
        except (TypeError, ValueError, IndexError):
            continue
    return None


def one_line(value: str) -> str:
    return " ".join(str(value).split())


# --- the record of what was imported -------------------------------------------------------------------------------
class Record:
    """Keyed hashes of imported posts' GUIDs: a re-run can tell a post was imported; the record cannot say which."""

    def __init__(self, repo: Path) -> None:
        common = Path(gitdesk.git(repo, "rev-parse", "--git-common-dir").strip())
        self.key_path = common if common.is_absolute() else (repo / common)
        self.key_path = self.key_path / KEY_FILE
        self.parent = gitdesk.head(repo, RECORD_REF)
        self.seen: set[str] = set()
        if self.parent:
            self.seen = set(gitdesk.show(repo, RECORD_REF, "keys").decode("ascii").split())
            if not self.key_path.is_file():
                raise ExportError(f"{self.key_path}: missing, so {RECORD_REF} cannot tell which posts were imported "
                                  f"before; restore the file, or delete the record (git update-ref -d {RECORD_REF}) "
                                  f"to import everything again")
        elif not self.key_path.is_file():
            fd = os.open(self.key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32) + "\n")
        self._key = bytes.fromhex(self.key_path.read_text("ascii").strip())

    def key(self, fmt: str, guid: str) -> str:
        return hmac.new(self._key, f"{fmt}\x00{guid}".encode(), hashlib.sha256).hexdigest()[:32]

    def add(self, key: str) -> None:
        self.seen.add(key)

    def contents(self) -> bytes:
        return ("\n".join(sorted(self.seen)) + "\n").encode("ascii")


# --- writing many commits at once --------------------------------------------------------------------------------
class Batch:
    """Commits written by one `git fast-import` into a staging ref; the real refs are set in one transaction."""

    def __init__(self, repo: Path, name: str, email: str, day: date) -> None:
        self.repo = repo
        self.base = gitdesk.head(repo)  # each submission branch starts at HEAD, as intake's do
        self._tmp = tempfile.TemporaryDirectory(prefix="unsigned-fast-import-")
        self.marks = Path(self._tmp.name) / "marks"
        self.errors = open(Path(self._tmp.name) / "stderr", "w+b")  # noqa: SIM115 - closed in finish/abort
        self.proc: subprocess.Popen | None = None
        self.packs_before: set[Path] = set()
        self.env = gitdesk.desk_env(name, email, day)
        stamp = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
        self.ident = f"{_ident(name)} <{_ident(email)}> {stamp} +0000".encode()
        self.count = 0

    def _git_dir(self) -> Path:
        path = Path(gitdesk.git(self.repo, "rev-parse", "--git-dir").strip())
        return path if path.is_absolute() else self.repo / path

    def _start(self) -> subprocess.Popen:
        if self.proc is None:
            self.packs_before = set((self._git_dir() / "objects" / "pack").glob("tmp_pack_*"))
            self.proc = subprocess.Popen(
                ["git", "fast-import", "--quiet", "--done", f"--export-marks={self.marks}"], cwd=self.repo,
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self.errors, env={**os.environ, **self.env})
        return self.proc

    def commit(self, files: dict[str, bytes], message: str, parent: str | None | bool = True) -> int:
        """Write one commit of `files` on top of `parent` (True: HEAD); return its mark."""
        proc = self._start()
        self.count += 1
        base = self.base if parent is True else parent or None
        out = [b"" if base else f"reset {STAGING_REF}\n".encode(),
               f"commit {STAGING_REF}\nmark :{self.count}\n".encode(),
               b"author " + self.ident + b"\ncommitter " + self.ident + b"\n", _data(message.encode())]
        if base:
            out.append(f"from {base}\n".encode())
        for path, data in files.items():
            out.append(f"M 100644 inline {path}\n".encode())
            out.append(_data(data))
        out.append(b"\n")
        try:
            proc.stdin.write(b"".join(out))
        except BrokenPipeError:
            raise gitdesk.DeskGitError(f"git fast-import stopped: {self._stderr()}") from None
        return self.count

    def finish(self, branches: dict[str, int], record_mark: int, record_old: str | None) -> None:
        proc = self._start()
        try:
            proc.stdin.write(b"done\n")
            proc.stdin.close()
        except BrokenPipeError:
            pass
        if proc.wait() != 0:
            raise gitdesk.DeskGitError(f"git fast-import failed: {self._stderr()}")
        sha = {}
        for line in self.marks.read_text("ascii").splitlines():
            mark, _, obj = line.partition(" ")
            sha[int(mark.lstrip(":"))] = obj
        lines = [f"create refs/heads/{branch} {sha[mark]}" for branch, mark in branches.items()]
        lines.append(f"update {RECORD_REF} {sha[record_mark]} {record_old}" if record_old
                     else f"create {RECORD_REF} {sha[record_mark]}")
        lines.append(f"delete {STAGING_REF}")
        # The reflog entries git writes for the new refs carry the desk identity and midnight too, not the editor's.
        gitdesk.git(self.repo, "update-ref", "--stdin", data=("\n".join(lines) + "\n").encode(), env=self.env)
        self._close()

    def abort(self) -> None:
        """Stop fast-import before it sets any ref; remove the staging ref if an earlier run left one."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if gitdesk.head(self.repo, STAGING_REF):
            gitdesk.git(self.repo, "update-ref", "-d", STAGING_REF)
        if self.proc is not None:
            git_dir = self._git_dir()
            (git_dir / f"fast_import_crash_{self.proc.pid}").unlink(missing_ok=True)
            for pack in set((git_dir / "objects" / "pack").glob("tmp_pack_*")) - self.packs_before:
                pack.unlink(missing_ok=True)  # the half-written pack of the stopped import
        self._close()

    def _stderr(self) -> str:
        self.errors.flush()
        self.errors.seek(0)
        return " ".join(self.errors.read().decode("utf-8", "replace").split())[-500:]

    def _close(self) -> None:
        if not self.errors.closed:
            self.errors.close()
        self._tmp.cleanup()


def _data(data: bytes) -> bytes:
    return b"data %d\n" % len(data) + data + b"\n"


def _ident(value: str) -> str:
    return "".join(ch for ch in value if ch not in "<>\n\r\x00").strip() or "desk"
