"""The desk's verbs: intake, acknowledge, accept, reject. Each is one ordinary git commit under the desk identity."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pelican.utils import slugify

from anonymize.desk import gitdesk
from anonymize.desk.clean import clean
from anonymize.desk.formats import IntakeError, read
from anonymize.desk.review import BRANCH_PREFIX, DECISIONS, decided
from anonymize.desk.submission import new_id, parse, render

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@dataclass
class Desk:
    repo: Path
    name: str = "Unsigned desk"
    email: str = "desk@unsigned.invalid"
    publish_days: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, repo: Path, settings: dict) -> Desk:
        return cls(repo, settings.get("ANONYMIZE_DESK_NAME") or cls.name,
                   settings.get("ANONYMIZE_DESK_EMAIL") or cls.email,
                   tuple(d.lower()[:3] for d in settings.get("ANONYMIZE_PUBLISH_DAYS") or ()))

    def env(self) -> dict[str, str]:
        return gitdesk.desk_env(self.name, self.email, gitdesk.today())

    # --- intake -------------------------------------------------------------------
    def intake(self, source: Path, images: Path | None = None, title: str | None = None) -> tuple[str, str, list]:
        """Scrub `source` and commit it as submissions/<id>/ on branch submission/<id>; the source is only read."""
        if not source.is_file():
            raise IntakeError(f"{source}: no such file")
        draft = read(source, title)
        sid = new_id()
        cleaned = clean(draft, f"submissions/{sid}", images)
        header = dict(cleaned.header)
        header["submitted"] = gitdesk.today().isoformat()
        header["source_format"] = draft.source_format
        files: dict[str, bytes | None] = {f"submissions/{sid}/index.md": render(header, cleaned.body).encode()}
        for name, data in cleaned.images.items():
            files[f"submissions/{sid}/{name}"] = data
        branch = f"{BRANCH_PREFIX}{sid}"
        gitdesk.commit_to_branch(self.repo, branch, files, f"Intake submission {sid}", self.env())
        return sid, branch, cleaned.report.for_source(f"submissions/{sid}")

    # --- locate ---------------------------------------------------------------------
    def _locate(self, sid: str) -> tuple[str, str]:
        """(ref, path) of a pending submission: the working tree first, then its branch."""
        if not re.fullmatch(r"[0-9a-f]{6,40}", sid):
            raise IntakeError(f"{sid!r} is not a submission id")
        if sid in decided(self.repo):
            raise IntakeError(f"submission {sid} was already decided (see {DECISIONS})")
        path = f"submissions/{sid}/index.md"
        if (self.repo / path).is_file():
            return "WORKTREE", path
        branch = f"{BRANCH_PREFIX}{sid}"
        if gitdesk.head(self.repo, f"refs/heads/{branch}"):
            return branch, path
        raise IntakeError(f"no pending submission {sid} (neither {path} nor branch {branch})")

    def _read(self, ref: str, path: str) -> bytes:
        return (self.repo / path).read_bytes() if ref == "WORKTREE" else gitdesk.show(self.repo, ref, path)

    # --- acknowledge ------------------------------------------------------------------
    def acknowledge(self, sid: str, item: str) -> str:
        """Record an acknowledged finding in a pending submission, or in an accepted essay (by its slug)."""
        essay = self.repo / "content" / "essays" / f"{sid}.md"
        if "/" not in sid and essay.is_file():
            ref, path = "WORKTREE", f"content/essays/{sid}.md"
        else:
            ref, path = self._locate(sid)
        header, body = parse(self._read(ref, path).decode("utf-8"))
        items = [a.strip() for a in header.get("acknowledged", "").split(";") if a.strip()]
        if item.strip() not in items:
            items.append(item.strip().replace(";", ","))
        header["acknowledged"] = "; ".join(items)
        data = render(header, body).encode()
        message = f"Acknowledge a finding in submission {sid}"
        if ref == "WORKTREE" or ref == gitdesk.current_branch(self.repo):
            (self.repo / path).write_bytes(data)
            return gitdesk.commit_worktree(self.repo, [path], message, self.env())
        return gitdesk.commit_to_branch(self.repo, ref, {path: data}, message, self.env())

    # --- accept / reject --------------------------------------------------------------------
    def publication_day(self, today: date | None = None) -> date:
        """Today, or the next publishing day, so a publication cannot be matched to the day it was written."""
        day = today or gitdesk.today()
        if not self.publish_days:
            return day
        for ahead in range(7):
            candidate = day + timedelta(days=ahead)
            if DAYS[candidate.weekday()] in self.publish_days:
                return candidate
        return day

    def accept(self, sid: str, slug: str | None = None, category: str | None = None) -> Path:
        ref, path = self._locate(sid)
        header, body = parse(self._read(ref, path).decode("utf-8"))
        slug = slug or slugify(header.get("title", sid), regex_subs=[(r"[^\w\s-]", ""), (r"(?u)\s+", "-")])
        essay = self.repo / "content" / "essays" / f"{slug}.md"
        if essay.exists():
            raise IntakeError(f"content/essays/{slug}.md already exists; choose another --slug")
        header = {k: v for k, v in header.items() if k not in ("submitted", "source_format")}
        header["slug"] = slug
        header["date"] = self.publication_day().isoformat()
        if category:
            header["category"] = category
        header.setdefault("category", "Essays")
        changed: list[str] = []
        folder = path.rsplit("/", 1)[0]
        names = [p for p in self._files(ref, folder) if not p.endswith("/index.md")]
        for image in names:
            name = image.rsplit("/", 1)[1]
            body = body.replace(f"]({name})", f"]({{static}}/images/{name})")
            target = self.repo / "content" / "images" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                target.write_bytes(self._read(ref, image))
            changed.append(f"content/images/{name}")
        essay.parent.mkdir(parents=True, exist_ok=True)
        essay.write_text(render(header, body), "utf-8")
        changed.append(f"content/essays/{slug}.md")
        changed += self._record(sid, "accepted", slug)
        if ref == "WORKTREE":
            changed.append(folder)
            for p in sorted((self.repo / folder).rglob("*"), reverse=True):
                p.unlink() if p.is_file() else p.rmdir()
            (self.repo / folder).rmdir()
        gitdesk.commit_worktree(self.repo, changed, f"Accept submission {sid} as essays/{slug}", self.env())
        return essay

    def reject(self, sid: str, reason: str) -> None:
        if not reason.strip():
            raise IntakeError("say why (--reason); the reason is recorded for the other editors")
        ref, path = self._locate(sid)
        changed = self._record(sid, "rejected", " ".join(reason.split()))
        if ref == "WORKTREE":
            folder = self.repo / path.rsplit("/", 1)[0]
            for p in sorted(folder.rglob("*"), reverse=True):
                p.unlink() if p.is_file() else p.rmdir()
            folder.rmdir()
            changed.append(path.rsplit("/", 1)[0])
        gitdesk.commit_worktree(self.repo, changed, f"Reject submission {sid}: {' '.join(reason.split())}", self.env())

    def _files(self, ref: str, folder: str) -> list[str]:
        if ref == "WORKTREE":
            return [str(p.relative_to(self.repo)) for p in sorted((self.repo / folder).iterdir()) if p.is_file()]
        return gitdesk.ls(self.repo, ref, folder + "/")

    def _record(self, sid: str, decision: str, detail: str) -> list[str]:
        log = self.repo / DECISIONS
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{sid}\t{decision}\t{gitdesk.today().isoformat()}\t{detail}\n")
        return [DECISIONS]
