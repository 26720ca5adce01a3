"""Running a build the way an editor does: Pelican in a child process, the audit, the atomic publish.

Every entry point here checks its arguments first and names each wrong one; holds the lock of the folder it
writes (lock.py), so two builds never write one folder at once; and turns every failure into lines of
`file: problem: what to do` (the `Refused` of anonymize.cli), never a traceback.
"""

from __future__ import annotations

import importlib
import json
import os
import select
import subprocess
import sys
import threading
from pathlib import Path

from anonymize.cli import Refused
from anonymize.desk import lock, progress
from anonymize.desk import publish as atomic

PY = sys.executable


class Project:
    """The paths of one checkout: where the code, the settings and the derived folders live."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, given: str | os.PathLike) -> Path:
        return Path(os.path.abspath(self.root / given))

    def settings(self, settings: str, site: str | os.PathLike) -> dict:
        """The Pelican settings of a build of `site` (PATH: any existing folder; only the output matters here)."""
        from pelican.settings import read_settings

        return read_settings(str(self.path(settings)), override={"OUTPUT_PATH": str(self.path(site)),
                                                                  "PATH": str(self.root)})

    def policy_path(self, settings: str, site: str | os.PathLike) -> Path:
        """The audit hand-over of the build that wrote `site` with these settings (anonymize.paths)."""
        from anonymize import paths

        return Path(paths.policy_path(self.settings(settings, site), str(self.path(site))))

    def env(self, **extra: str) -> dict[str, str]:
        """The child's environment: our package importable, --debug passed on."""
        from anonymize.cli import debugging

        plugins = str(self.root / "plugins")
        path = os.pathsep.join(p for p in (plugins, os.environ.get("PYTHONPATH", "")) if p)
        return {**os.environ, "PYTHONPATH": path, **({"UNSIGNED_DEBUG": "1"} if debugging() else {}), **extra}


def pelican_cmd(content: str, output: str, settings: str, *extra: str) -> list[str]:
    """Pelican's command line, run through our entry (one line per problem instead of a traceback)."""
    return [PY, "-m", "anonymize.desk.pelican_main", content, "-o", output, "-s", settings, *extra]


def check_arguments(project: Project, content: str | None = None, output: str | None = None,
                    settings: str | None = None) -> None:
    """Refuse, naming every wrong argument at once, before anything starts."""
    problems = []
    if settings is not None and not project.path(settings).is_file():
        problems.append(f"{settings}: no such settings file: give a Pelican settings file (--settings), "
                        "e.g. pelicanconf.py")
    if content is not None and not project.path(content).is_dir():
        problems.append(f"{content}: no such content folder: give the folder that holds essays/ and pages/ "
                        "(--content DIR)")
    if output is not None and project.path(output).exists() and not project.path(output).is_dir():
        problems.append(f"{output}: is a file, not a folder: give a folder for the site (--output DIR)")
    if problems:
        raise Refused(*problems)


def refuse_published(project: Project, output: str) -> None:
    """A development build must not rewrite a published site in place (publish swaps whole folders)."""
    target = atomic.published_target(project.path(output))
    if target is not None:
        raise Refused(f"{output}: is the published site (a link to {target.parent.name}/{target.name}): "
                      "build into another folder (--output DIR, default output/) or run invoke publish; "
                      "nothing was changed")


def build(project: Project, content: str, output: str, settings: str, cache_path: str | None = None) -> None:
    """Build with the plugin, then audit the result; Refused with every problem found."""
    check_arguments(project, content, output, settings)
    refuse_published(project, output)
    with lock.held(project.path(output), "invoke build"):
        _build(project, content, output, settings, cache_path)


def _build(project: Project, content: str, output: str, settings: str, cache_path: str | None,
           fresh_audit: bool = False, gate=None) -> None:
    extra = ["--cache-path", cache_path] if cache_path else []
    # Editors rebuild often: pages whose bytes were audited before are not read again, and the build checks
    # each page as it writes it, on an idle core (audit_ahead.py). `invoke audit` and `invoke publish` audit
    # every byte afresh.
    audit_cache = None if fresh_audit else Path(cache_path or project.root / "cache").resolve() / "audit"
    if audit_cache:
        extra += ["-e", f"ANONYMIZE_AUDIT_CACHE_PATH={json.dumps(str(audit_cache))}"]
    # The audit's code loads while Pelican starts in its own process; this process only waits meanwhile.
    loading = threading.Thread(target=importlib.import_module, args=("anonymize.audit",), daemon=True)
    loading.start()
    # Pelican says when every file is written, and where its audit hand-over is (plugin.py); the audit then runs
    # while Pelican's process winds down. Its exit code is still waited for and checked.
    read_end, write_end = os.pipe()
    cmd = pelican_cmd(content, output, settings, "--delete-output-directory", *extra)
    proc = subprocess.Popen(cmd, cwd=project.root, pass_fds=(write_end,),
                            env=project.env(UNSIGNED_WRITTEN_FD=str(write_end)))
    os.close(write_end)
    problems = None
    try:
        handover = _said_written(proc, read_end)
        if handover is not None and gate is None:
            loading.join()
            with progress.status("Auditing the built site…"):
                # The path only: the audit checks that the hand-over is this site's (Policy.for_site).
                policy = Path(handover) if handover else project.policy_path(settings, output)
                problems = audit_problems(output, policy, cache_dir=audit_cache, root=project.root)
    finally:
        code = proc.wait()
    if code != 0:  # the plugin has emptied the output folder, as Pelican's wipe first would have
        raise Refused(f"{output}: the build failed (the lines above say why): nothing was published; "
                      "fix each file named and build again")
    if gate is not None:
        gate()
    if problems is None:  # Pelican ended without saying so (another plugin ran after ours), or the gate first
        loading.join()  # (the hand-over's path from the settings, as Pelican did not say it)
        problems = audit_problems(output, project.policy_path(settings, output), cache_dir=audit_cache,
                                  root=project.root)
    report_audit(output, problems)


def _said_written(proc: subprocess.Popen, fd: int) -> str | None:
    """Wait until the plugin says the site is written, and return the audit hand-over's path it names ("" when
    it names none); None when Pelican exits without saying so."""
    said = b""
    try:
        while not said.endswith(b"\n"):
            ready, _, _ = select.select([fd], [], [], 0.1)
            if not ready and proc.poll() is not None:  # gone, though a stray child may still hold the pipe open
                ready, _, _ = select.select([fd], [], [], 0)
                if not ready:
                    break
            if ready:
                chunk = os.read(fd, 4096)
                if not chunk:  # its end: Pelican exited
                    break
                said += chunk
    finally:
        os.close(fd)
    if not said.startswith(b"written"):
        return None
    return os.fsdecode(said[len(b"written"):].strip())


def _gate(refusals, gate_error, report: str) -> None:
    """Refused naming each unacknowledged finding the publishing build reported."""
    try:
        found = refusals(report)
    except gate_error as exc:
        raise Refused(str(exc)) from None
    if found:
        raise Refused(*(f"{line}: unacknowledged finding: edit it out or acknowledge it (invoke ack)"
                        for line in found), f"publish refused: {len(found)} unacknowledged finding(s)")


def audit_problems(site: str | Path, policy: Path | None, cache_dir: Path | None = None,
                   root: Path | None = None) -> list:
    from anonymize.audit import Policy, audit_site

    site_path = Path(root or ".") / site
    if not site_path.is_dir():
        raise Refused(f"{site}: no such folder: give the folder of a built site (e.g. output)")
    chosen, why = Policy.for_site(policy, site_path)
    if why:
        print(f"audit: {why}", file=sys.stderr)
    return audit_site(site_path, chosen, cache_dir=cache_dir)


def report_audit(site: str | Path, problems: list) -> None:
    """Print each problem as `audit: path: what`; Refused when there is any."""
    for problem in problems:
        print(f"audit: {problem}", file=sys.stderr)
    if problems:
        raise Refused(f"{site}: the audit found {len(problems)} problem(s) (listed above): edit the essays named, "
                      "or acknowledge a public finding (Acknowledged: header); nothing may be published")
    print(f"audit: {site} passed")


def audit(project: Project, site: str, policy: str | None) -> None:
    chosen = Path(policy) if policy else project.policy_path("pelicanconf.py", site)
    report_audit(site, audit_problems(site, chosen, root=project.root))


def publish(project: Project, content: str, output: str, settings: str) -> str:
    """Build into a staging folder, gate and audit it, swap `output` to it; anything failing leaves `output` alone.

    The gate reads what this very build read (its report): every essay it published, drafts by their parsed status.
    """
    from anonymize import paths
    from anonymize.desk.publish_gate import GateError, refusals

    check_arguments(project, content, None, settings)
    live = project.path(output)
    if live.exists() and atomic.published_target(live) is None:
        raise Refused(f"{output}: is a development build, not a published site: publish into its own folder "
                      "(--output published, the default); development builds stay in output/")
    with lock.held(live, "invoke publish"):
        staging = atomic.new_staging(live.parent / ".sites")
        try:
            _build(project, content, str(staging), settings, None, fresh_audit=True,
                   gate=lambda: _gate(refusals, GateError, paths.report_path(project.settings(settings, staging))))
        except Refused as exc:
            atomic.discard(staging)
            raise Refused(*exc.lines, f"{output}: publish refused: the published site is unchanged") from None
        previous = atomic.swap(live, staging)
    return f"published: {output} -> {staging.parent.name}/{staging.name}" + (
        f" (was {previous.name})" if previous else "")


def clean(project: Project, output: str) -> list[str]:
    """Remove a development build, the preview, the build report and the caches; never a published site."""
    import shutil

    lines = []
    for path in (project.path(output), project.root / "output-preview", project.root / ".unsigned",
                 project.root / "cache"):
        if path.is_symlink():  # a published site (publish's link into .sites/), or a link out of the project
            lines.append(f"{path.name}: kept: it is a link (a published site is never cleaned; remove it by hand)")
        elif path.exists():
            shutil.rmtree(path)
            lines.append(f"{path.name}: removed")
    return lines


def preview(project: Project, sid: str, output: str) -> str:
    """Build the site with one pending submission in it, into `output`, audited like any build; the page's path."""
    import tempfile

    from anonymize.desk.desk import for_project

    check_arguments(project, None, output, None)
    desk = for_project(project.root)
    with tempfile.TemporaryDirectory(prefix="unsigned-preview-") as tmp:
        content = Path(tmp) / "content"
        page = desk.preview_content(sid, project.root / "content", content)
        build(project, str(content), output, "pelicanconf.py")
    return f"{output}/{page}"


def serve(project: Project, output: str, port: int, settings: str) -> None:
    from anonymize.desk import serve as server

    server.serve(project.root, PY, output, port, settings)


def livereload(project: Project, content: str, output: str, port: int, settings: str) -> None:
    """Build, serve, build again on each change; each build is `invoke build` in a child (its lock, its audit)."""
    from anonymize.desk import serve as server

    check_arguments(project, content, output, settings)
    refuse_published(project, output)
    cmd = [PY, "-m", "invoke", "build", "--content", content, "--output", output, "--settings", settings]
    watched = [project.path(content), project.root / "theme", project.path(settings)]
    server.livereload(project.root, cmd, output, port, settings, watched)
