"""Make a decided submission's original text unrecoverable from the desk's repository.

After accept or reject no branch reaches a submission's intake commit (the decision is one new commit on main, the
submission branch is deleted), but git keeps unreachable objects for weeks and its reflogs remember every commit a
branch or HEAD pointed at. `purge` expires the reflogs and prunes every unreachable object now, then checks that no
ref still reaches a decided submission and names any that does (a stash, a tag, another branch, a remote).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from anonymize.desk import gitdesk
from anonymize.desk.review import BRANCH_PREFIX, decided


@dataclass
class Purged:
    objects_before: int
    objects_after: int
    branches_deleted: list[str] = field(default_factory=list)
    still_reachable: list[str] = field(default_factory=list)  # one line per ref that still reaches an original


def object_count(repo: Path) -> int:
    out = gitdesk.git(repo, "cat-file", "--batch-all-objects", "--batch-check=%(objectname)")
    return len(out.split())


def purge(repo: Path) -> Purged:
    done = decided(repo)
    result = Purged(object_count(repo), 0)
    current = gitdesk.current_branch(repo)
    for branch in gitdesk.branches(repo, BRANCH_PREFIX):
        sid = branch[len(BRANCH_PREFIX):]
        if sid in done and branch != current:  # decided but left behind (by an older desk, or by hand)
            gitdesk.git(repo, "update-ref", "-d", f"refs/heads/{branch}")
            result.branches_deleted.append(branch)
    gitdesk.git(repo, "reflog", "expire", "--expire=now", "--expire-unreachable=now", "--all")
    gitdesk.git(repo, "gc", "--quiet", "--prune=now")
    result.objects_after = object_count(repo)
    result.still_reachable = reachable_originals(repo, done)
    return result


def purge_and_report(repo: Path) -> str:
    """Purge; the line to print, or Refused naming every ref that still reaches an original."""
    from anonymize.cli import Refused

    result = purge(repo)
    if result.still_reachable:
        raise Refused(*result.still_reachable)
    return (f"purge: {result.objects_before - result.objects_after} unreachable object(s) removed; "
            f"{len(result.branches_deleted)} decided branch(es) deleted; no ref reaches a decided submission")


def reachable_originals(repo: Path, sids: set[str]) -> list[str]:
    """`ref: reaches submission ID: what to do` for every ref whose history still holds a decided submission."""
    lines = []
    for sid in sorted(sids):
        commits = gitdesk.git(repo, "rev-list", "--all", "--", f"submissions/{sid}/").split()
        if not commits:
            continue
        refs = gitdesk.git(repo, "for-each-ref", "--format=%(refname)", "--contains", commits[-1]).split()
        for ref in refs or ["(a ref git keeps outside refs/)"]:
            lines.append(f"{ref}: still reaches the original of submission {sid}: "
                         f"{_what_to_do(ref)}")
    return lines


def _what_to_do(ref: str) -> str:
    if ref.startswith("refs/remotes/"):
        remote, _, branch = ref[len("refs/remotes/"):].partition("/")
        return f"delete it on the remote (git push {remote} --delete {branch}), then git branch -dr {remote}/{branch}"
    if ref == "refs/stash":
        return "drop the stash (git stash drop), then purge again"
    if ref.startswith("refs/heads/"):
        return (f"the submission was merged into {ref[len('refs/heads/'):]}: its history holds the original; "
                "rewrite that history (see the README, Originals) or keep this repository private")
    return f"delete it (git update-ref -d {ref}), then purge again"
