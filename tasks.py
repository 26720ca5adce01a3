"""Invoke tasks for Unsigned. Run them as `.venv/bin/invoke TASK` from the repo root."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

PY = sys.executable  # the venv's Python when run as .venv/bin/invoke


def pelican_cmd(content: str, output: str, settings: str, *extra: str) -> list[str]:
    return [PY, "-m", "pelican", content, "-o", output, "-s", settings, *extra]


def build_failed(code: int) -> Exit:
    return Exit(f"build failed (pelican exited {code}); nothing was published", code=1)


def pelican(content: str, output: str, settings: str, *extra: str) -> None:
    """Run Pelican in a child process; a failed build raises Exit with its code."""
    result = subprocess.run(pelican_cmd(content, output, settings, *extra), cwd=ROOT, check=False)
    if result.returncode != 0:
        raise build_failed(result.returncode)


@task(help={
    "content": "content folder (default: content)",
    "output": "output folder (default: output)",
    "settings": "Pelican settings file (default: pelicanconf.py)",
    "cache_path": "where Pelican and the scrub cache keep their caches",
})
def build(c, content="content", output="output", settings="pelicanconf.py", cache_path=None):
    """Build the site with the anonymizing plugin, then audit the result (fails on any leak)."""
    refuse_published(output)
    extra = ["--cache-path", cache_path] if cache_path else []
    # Editors rebuild often: pages whose bytes were audited before are not read again, and the build checks
    # each page as it writes it, on an idle core (audit_ahead.py). `invoke audit` and `invoke publish` audit
    # every byte afresh.
    audit_cache = Path(cache_path or ROOT / "cache").resolve() / "audit"
    extra += ["-e", f"ANONYMIZE_AUDIT_CACHE_PATH={json.dumps(str(audit_cache))}"]
    # The audit's code loads while Pelican runs (this process only waits for it), not after.
    loading = threading.Thread(target=importlib.import_module, args=("anonymize.audit",), daemon=True)
    loading.start()
    # Pelican says when every file is written (plugin.py); the audit then runs while Pelican's process winds
    # down (freeing a large site's objects takes ~0.15 s). Its exit code is still waited for and checked.
    read_end, write_end = os.pipe()
    cmd = pelican_cmd(content, output, settings, "--delete-output-directory", *extra)
    proc = subprocess.Popen(cmd, cwd=ROOT, pass_fds=(write_end,),
                            env={**os.environ, "UNSIGNED_WRITTEN_FD": str(write_end)})
    os.close(write_end)
    problems = None
    try:
        if _said_written(proc, read_end):
            loading.join()
            problems = audit_problems(output, policy_path(), cache_dir=audit_cache)
    finally:
        code = proc.wait()  # warns of unacknowledged findings
    if code != 0:
        # Pelican's wipe is done after a complete build (stale_output.py); a failed build would otherwise leave
        # the last site standing, a withdrawn essay with it. Empty the folder, as the wipe before would have.
        empty_output(content, output, settings)
        raise build_failed(code)
    if problems is None:  # Pelican ended without saying so (settings without our plugin): audit now
        loading.join()
        problems = audit_problems(output, policy_path(), cache_dir=audit_cache)
    report_audit(output, problems)


def _said_written(proc: subprocess.Popen, fd: int) -> bool:
    """Wait until the plugin says the site is written (True) or Pelican exits without saying so (False)."""
    import select

    try:
        while True:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                return os.read(fd, 64).startswith(b"written")  # b"" at its end: Pelican exited first
            if proc.poll() is not None:  # gone, though a stray child may still hold the pipe open
                ready, _, _ = select.select([fd], [], [], 0)
                return bool(ready) and os.read(fd, 64).startswith(b"written")
    finally:
        os.close(fd)


def empty_output(content: str, output: str, settings: str) -> None:
    """Pelican's wipe of the output folder, with its retention list and its guard for a folder holding content."""
    from pelican.utils import clean_output_dir

    out, src = os.path.realpath(ROOT / output), os.path.realpath(ROOT / content)
    if os.path.commonpath([out]) != os.path.commonpath([out, src]):
        clean_output_dir(out, _settings(settings).get("OUTPUT_RETENTION", []))


def refuse_published(output: str) -> None:
    """A development build must not rewrite a published site in place (publish swaps whole folders)."""
    from anonymize.desk.publish import published_target

    target = published_target(Path(os.path.abspath(ROOT / output)))
    if target is not None:
        raise Exit(f"{output} is the published site (a link to {target.parent.name}/{target.name}); a development "
                   f"build would change it in place. Build into another folder (--output DIR) or run invoke publish; "
                   f"nothing was changed", code=1)


def policy_path() -> Path:
    return ROOT / ".unsigned" / "audit-policy.json"


def audit_problems(site: str | Path, policy: Path | None, cache_dir: Path | None = None) -> list:
    from anonymize.audit import Policy, audit_site

    return audit_site(Path(site), Policy.load(policy), cache_dir=cache_dir)


def run_audit(site: str | Path, policy: Path | None, cache_dir: Path | None = None) -> None:
    """Audit a built site; print each problem as `path: what`; raise Exit when there is any."""
    report_audit(site, audit_problems(site, policy, cache_dir))


def report_audit(site: str | Path, problems: list) -> None:
    """Print each problem as `path: what`; raise Exit when there is any."""
    for problem in problems:
        print(f"audit: {problem}", file=sys.stderr)
    if problems:
        raise Exit(f"audit failed: {len(problems)} problem(s) in {site}; nothing may be published", code=1)
    print(f"audit: {site} passed")


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
    refuse_published(output)
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


def _variadic_paths(task_name: str, option: str = "--path") -> None:
    """Let `invoke scrub A B C --out DIR` work: Invoke has no variadic positionals.

    Invoke parses its own options, then imports this file, then parses the
    task's arguments from `Program.core.unparsed`; here, before that last
    step, bare words after `scrub` become repeated `--path` options.
    """
    from invoke import Program

    # The Program loading this file is on the call stack (a walk of a dozen frames, not of every object).
    frame, programs = sys._getframe(1), []
    while frame is not None:
        owner = frame.f_locals.get("self")
        if isinstance(owner, Program) and owner not in programs:
            programs.append(owner)
        frame = frame.f_back
    for program in programs:
        args = getattr(getattr(program, "core", None), "unparsed", None)
        if not args or task_name not in args:
            continue
        start = args.index(task_name) + 1
        rewritten, i = [], start
        takes_value = {"-o", "--out", "-p", "--path", "-i", "--id"}
        while i < len(args):
            arg = args[i]
            if arg in takes_value and i + 1 < len(args):
                rewritten += [arg, args[i + 1]]
                i += 2
                continue
            rewritten += [arg] if arg.startswith("-") or "=" in arg and arg.startswith("--") else [option, arg]
            i += 1
        args[start:] = rewritten


_variadic_paths("scrub")
_variadic_paths("review", "--id")  # `invoke review [ID]`


def _image_paths(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            found.append(path)
        else:
            raise Exit(f"{raw}: no such file or folder", code=2)
    return found


@task(iterable=["path"], help={
    "path": "an image file or a folder of them (repeat --path, or give them after the options)",
    "out": "folder for the cleaned copies (required unless --show)",
    "show": "only list what would be removed; write nothing",
})
def scrub(c, path=None, out=None, show=False):
    """Clean images before sending them: metadata out, pixels kept, originals never touched.

    Cleaned copies are named by their content hash, because a phone's file name
    (IMG_20240305_143107.jpg) carries the minute the photo was taken.
    """
    from anonymize.scrub.images import ImageError, clean_file, hashed_name, show_bytes

    paths = _image_paths(list(path or []) + list(c.config.get("scrub_paths", [])))
    if not paths:
        raise Exit("give at least one file or folder: invoke scrub --path PHOTO --out DIR", code=2)
    if not show and not out:
        raise Exit("say where the cleaned copies go (--out DIR), or use --show", code=2)
    failures = 0
    target = Path(out) if out else None
    if target:
        target.mkdir(parents=True, exist_ok=True)
    def one(src: Path) -> tuple[Path, str, bool]:
        """Clean one file; return the line to print and whether it failed (runs in a thread)."""
        try:
            if show:
                kind, removed = show_bytes(src.read_bytes())
                return src, f"{src}: {kind}; would remove: {', '.join(removed) or 'nothing'}", False
            cleaned = clean_file(src)
        except ImageError as exc:
            return src, f"{src}: refused: {exc}", True
        dest = target / hashed_name(cleaned)
        if dest.resolve() == src.resolve():
            return src, f"{src}: already clean", False
        tmp = dest.with_name(f"{dest.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        with open(tmp, "wb") as fh:
            cleaned.write_to(fh)
        tmp.replace(dest)
        how = "" if cleaned.method == "lossless" else f" ({cleaned.method})"
        return src, f"{src} -> {dest}{how}; removed: {', '.join(cleaned.removed) or 'nothing'}", False

    # Reading, hashing and writing release the GIL: a few threads keep the disks and cores busy.
    with ThreadPoolExecutor(max_workers=min(4, (os.cpu_count() or 1) + 1)) as pool:
        for _src, line, failed in pool.map(one, paths):
            failures += failed
            print(line, file=sys.stderr if failed else sys.stdout)
    if failures:
        raise Exit(f"{failures} file(s) could not be cleaned", code=1)

# --- Editorial workflow tasks (workflow issue) -------------------------------


def _settings(name: str = "pelicanconf.py") -> dict:
    from pelican.settings import read_settings

    return read_settings(str(ROOT / name))


def _desk():
    from anonymize.desk.desk import Desk
    from anonymize.desk.gitdesk import repo_root

    return Desk.from_settings(repo_root(ROOT), _settings())


def _desk_call(fn, *args, **kwargs):
    """Run a desk verb; its errors become a one-line message and exit code 1."""
    from anonymize.desk.formats import IntakeError
    from anonymize.desk.gitdesk import DeskGitError
    from anonymize.scrub.images import ImageError

    try:
        return fn(*args, **kwargs)
    except (IntakeError, DeskGitError, ImageError) as exc:
        raise Exit(f"refused: {exc}", code=1) from None


@task(help={"file": "the contributor's file: .md, .txt, .html or .docx (it is only read)",
            "images": "a folder of images the essay shows", "title": "title for a .txt or untitled file"})
def intake(c, file, images=None, title=None):
    """Scrub a submission and commit it on its own branch under the desk identity, dated to the day."""
    desk = _desk()
    sid, branch, removed = _desk_call(desk.intake, Path(file), Path(images) if images else None, title)
    print(f"submission {sid} is on branch {branch} ({len(removed)} thing(s) removed; original left untouched)")
    for entry in removed:
        print(f"  {entry.action} {entry.kind}: {entry.what}")
    print(f"review it: .venv/bin/invoke review {sid}   (or open a pull request from {branch})")


@task(help={"id": "one submission (default: all pending)", "json": "print JSON", "markdown": "print Markdown"})
def review(c, id=None, json=False, markdown=False):
    """List the identifier findings of every pending submission (current branch and submission branches)."""
    from anonymize.desk.review import as_json, as_markdown, as_table, pending

    items = pending(_desk().repo, id)
    if id and not items:
        raise Exit(f"no pending submission {id}", code=1)
    print(as_json(items) if json else as_markdown(items) if markdown else as_table(items))


@task(help={"id": "submission id, or the slug of an accepted essay",
            "finding": "the finding's text, or 'kind: text' (e.g. 'name: Atul Gawande')"})
def ack(c, id, finding):
    """Acknowledge a finding (e.g. a public name quoted from a published article); stored in the submission."""
    desk = _desk()
    _desk_call(desk.acknowledge, id, finding)
    print(f"acknowledged in {id}: {finding}")


@task(help={"id": "submission id", "slug": "URL slug (default: from the title)", "category": "category"})
def accept(c, id, slug=None, category=None):
    """Move a submission to content/essays/ with a slug and a publication day; one desk commit."""
    essay = _desk_call(_desk().accept, id, slug, category)
    print(f"accepted {id} as {essay.relative_to(ROOT)}; undo with git revert")


@task(help={"id": "submission id", "reason": "why (recorded in submissions/decisions.tsv)"})
def reject(c, id, reason=""):
    """Close a submission with a recorded reason; one desk commit (undo with git revert)."""
    _desk_call(_desk().reject, id, reason)
    print(f"rejected {id}")


@task(help={"id": "submission id", "output": "where to build (default: output-preview)"})
def preview(c, id, output="output-preview"):
    """Build the site with one pending submission included, for the editor to look at."""
    import tempfile

    from anonymize.desk.desk import Desk
    from anonymize.desk.submission import parse, render

    desk: Desk = _desk()
    ref, path = _desk_call(desk._locate, id)
    header, body = parse(desk._read(ref, path).decode("utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(ROOT / "content", content)
        header = {k: v for k, v in header.items() if k not in ("submitted", "source_format")}
        header.setdefault("category", "Preview")
        header["date"] = desk.publication_day().isoformat()
        header["slug"] = f"preview-{id}"
        folder = path.rsplit("/", 1)[0]
        for image in desk._files(ref, folder):
            name = image.rsplit("/", 1)[1]
            if name != "index.md":
                (content / "images" / name).write_bytes(desk._read(ref, image))
                body = body.replace(f"]({name})", f"]({{static}}/images/{name})")
        (content / "essays" / f"preview-{id}.md").write_text(render(header, body), "utf-8")
        pelican(str(content), output, "pelicanconf.py", "--delete-output-directory")
    print(f"preview: {output}/essays/preview-{id}/index.html  (serve it: .venv/bin/invoke serve --output {output})")


def publish_gate(content: str | Path) -> list[str]:
    from anonymize.desk.publish_gate import check_publish_gate

    return check_publish_gate(Path(content))

# --- Audit and atomic publish (audit issue) -----------------------------------


@task(help={
    "site": "the built site to audit (e.g. output)",
    "policy": "the build's hand-over (default: .unsigned/audit-policy.json when it exists)",
})
def audit(c, site, policy=None):
    """Read a built site as an outsider would; exit non-zero on any leak, naming each file."""
    run_audit(site, Path(policy) if policy else policy_path())


@task(help={"content": "content folder (default: content)", "output": "the published site (default: output)",
            "settings": "Pelican settings (default: publishconf.py)"})
def publish(c, content="content", output="output", settings="publishconf.py"):
    """Build with publishconf.py into a staging folder, audit it, then swap it into place atomically.

    `output` becomes a symbolic link to a folder in `.sites/`; the swap is one
    rename of that link, so a reader (or a web server) sees the old site or
    the new one, never half of each. A failed build or audit leaves the
    published site untouched and says why.
    """
    from anonymize.desk import publish as atomic

    live = Path(os.path.abspath(ROOT / output))
    gate = publish_gate(content)
    if gate:
        for problem in gate:
            print(f"unacknowledged finding: {problem}", file=sys.stderr)
        raise Exit(f"publish refused: {len(gate)} unacknowledged finding(s); edit the essays or acknowledge them "
                   f"(Acknowledged: header); the published site at {output} is unchanged", code=1)
    staging = atomic.new_staging(live.parent / ".sites")
    try:
        pelican(content, str(staging), settings, "--delete-output-directory")
        run_audit(staging, policy_path())
    except Exit as exc:
        atomic.discard(staging)
        raise Exit(f"publish refused: {exc.message}; the published site at {output} is unchanged", code=1) from None
    previous = atomic.swap(live, staging)
    print(f"published: {output} -> {staging.name}" + (f" (was {previous.name})" if previous else ""))

# --- Benchmarks (bench issue) -------------------------------------------------


@task(help={
    "essays": "essays in the main corpus (default 1000)",
    "images": "photos referenced by the essays of the site corpus (default 0)",
    "runs": "runs per measurement; medians are reported (default 5: this kind of machine is noisy)",
    "large": "essays in the scaling corpus (default 10000; 0 skips it)",
    "photos": "12-megapixel photos for the image scrub comparison (default 24; 0 skips it)",
})
def bench(c, essays=1000, images=0, runs=5, large=10000, photos=24):
    """Measure the pipeline against bare Pelican, rebuilds, image scrubbing and scale; write bench/results.md."""
    sys.path.insert(0, str(ROOT))
    from bench.run import run

    run(essays=int(essays), images=int(images), runs=int(runs), large=int(large), photos=int(photos))


@task(help={"misses": "also list every missed label and every finding on the clean control"})
def recall(c, misses=False):
    """Recall of the identifier findings per class on the labeled corpus, and false findings on the clean control."""
    sys.path.insert(0, str(ROOT))
    from bench.findings_recall import main

    sys.exit(main(show_misses=misses))
