"""Git for the desk: commits under the desk identity, dated to the day, never the editor's name or hour.

Commits to a branch that is not checked out are written with git's plumbing
(a private index, `commit-tree`, `update-ref`), so the editor's working tree
and current branch are never touched.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from datetime import UTC, date
from pathlib import Path


class DeskGitError(Exception):
    pass


def git(repo: Path, *args: str, env: dict | None = None, data: bytes | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=repo, env={**os.environ, **(env or {})}, input=data,
                            capture_output=True, check=False)
    if result.returncode != 0:
        raise DeskGitError(f"git {' '.join(args)} failed: {result.stderr.decode('utf-8', 'replace').strip()}")
    return result.stdout.decode("utf-8", "replace")


def desk_env(name: str, email: str, day: date) -> dict[str, str]:
    """Author and committer are the desk; the time is midnight UTC of the day."""
    stamp = f"{day.isoformat()}T00:00:00+0000"
    return {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email, "GIT_COMMITTER_DATE": stamp}


def current_branch(repo: Path) -> str:
    return git(repo, "rev-parse", "--abbrev-ref", "HEAD").strip()


def head(repo: Path, ref: str = "HEAD") -> str | None:
    try:
        return git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip() or None
    except DeskGitError:
        return None


def branches(repo: Path, prefix: str) -> list[str]:
    out = git(repo, "for-each-ref", "--format=%(refname:short)", f"refs/heads/{prefix}")
    return [line for line in out.splitlines() if line]


def show(repo: Path, ref: str, path: str) -> bytes:
    result = subprocess.run(["git", "show", f"{ref}:{path}"], cwd=repo, capture_output=True, check=False)
    if result.returncode != 0:
        raise DeskGitError(f"{ref}:{path} not found")
    return result.stdout


class Objects:
    """Objects read through one `git cat-file --batch` process: many reads, one process (a review of hundreds of
    submission branches would otherwise start two git processes per branch)."""

    def __init__(self, repo: Path) -> None:
        fmt = git(repo, "rev-parse", "--show-object-format").strip() or "sha1"
        self.hash_bytes = 32 if fmt == "sha256" else 20
        self.proc = subprocess.Popen(["git", "cat-file", "--batch"], cwd=repo, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def __enter__(self) -> Objects:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def read(self, spec: str) -> tuple[str, bytes] | None:
        """(type, contents) of `spec` (`ref:path`, a commit, a tree), or None when there is no such object."""
        if "\n" in spec:
            return None
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(spec.encode("utf-8", "surrogateescape") + b"\n")
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().split()
        if len(header) != 3:  # "<spec> missing" or "ambiguous"
            if not header:
                raise DeskGitError(f"git cat-file --batch stopped reading {spec}")
            return None
        data = self.proc.stdout.read(int(header[2]))
        self.proc.stdout.read(1)  # the newline after the contents
        return header[1].decode("ascii"), data

    def tree(self, spec: str) -> list[tuple[str, str]]:
        """(mode, name) of each entry of the tree at `spec` (`ref:folder`); [] when it is not a tree."""
        found = self.read(spec)
        if found is None or found[0] != "tree":
            return []
        data, out, i = found[1], [], 0
        while i < len(data):
            space = data.index(b" ", i)
            nul = data.index(b"\0", space)
            out.append((data[i:space].decode("ascii"), data[space + 1:nul].decode("utf-8", "surrogateescape")))
            i = nul + 1 + self.hash_bytes
        return out

    def close(self) -> None:
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            self.proc.stdin.close()
        self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def ls(repo: Path, ref: str, prefix: str) -> list[str]:
    out = git(repo, "ls-tree", "-r", "--name-only", ref, "--", prefix)
    return [line for line in out.splitlines() if line]


def commit_to_branch(repo: Path, branch: str, files: dict[str, bytes | None], message: str, env: dict,
                     base: str | None = None) -> str:
    """Write `files` (None deletes) as one commit on `branch`, created from `base` (or HEAD) if new."""
    if branch == current_branch(repo):
        raise DeskGitError(f"{branch} is checked out; commit through the working tree instead")
    parent = head(repo, f"refs/heads/{branch}") or head(repo, base or "HEAD")
    with tempfile.TemporaryDirectory() as tmp:
        index_env = {**env, "GIT_INDEX_FILE": os.path.join(tmp, "index")}
        if parent:
            git(repo, "read-tree", parent, env=index_env)
        for path, data in files.items():
            if data is None:
                git(repo, "update-index", "--force-remove", "--", path, env=index_env)
                continue
            blob = git(repo, "hash-object", "-w", "--stdin", data=data, env=index_env).strip()
            git(repo, "update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=index_env)
        tree = git(repo, "write-tree", env=index_env).strip()
        args = ["commit-tree", tree, "-m", message] + (["-p", parent] if parent else [])
        commit = git(repo, *args, env=index_env).strip()
    old = head(repo, f"refs/heads/{branch}")
    git(repo, "update-ref", f"refs/heads/{branch}", commit, *([old] if old else []))
    return commit


def commit_worktree(repo: Path, paths: list[str], message: str, env: dict) -> str:
    """Commit exactly `paths` from the working tree (added, changed or deleted) under the desk identity."""
    git(repo, "add", "--all", "--", *paths, env=env)
    git(repo, "commit", "--quiet", "--no-verify", "-m", message, "--", *paths, env=env)
    return head(repo) or ""


def repo_root(start: Path) -> Path:
    return Path(git(start, "rev-parse", "--show-toplevel").strip())


def today() -> date:
    from datetime import datetime

    return datetime.now(UTC).date()


__all__ = ["DeskGitError", "Objects", "git", "desk_env", "commit_to_branch", "commit_worktree", "show", "ls",
           "branches", "current_branch", "head", "repo_root", "today"]
