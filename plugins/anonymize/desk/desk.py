"""The desk's verbs: intake, acknowledge, accept, reject, preview. Each is one ordinary git commit under the desk
identity.

Essays and pages: a submission marked `Source-format: <format> page` (a page of an imported site) is accepted
as a Pelican page in content/pages/ (title, slug, summary; no date, category, tags or series, which pages do not
have), every other submission as an essay in content/essays/.

Dates: an essay is dated to the publication day accept gives it, unless its submission already carries a
`Date:` day: the day an imported post was first published on the old site (see importers/core.py), kept so an
archive keeps its chronology. Only a day is ever written, never a time or a zone.

Where a submission's original lives: from intake until the decision, only on its own branch `submission/<id>`
(the editor edits it there). Accept and reject write the decision as one new commit on the editor's branch (main),
which never has the submission branch as a parent, and then delete that branch: no ref reaches the unedited text
any more, and `invoke purge` (purge.py) removes it from the repository for good.
"""

from __future__ import annotations

import difflib
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from pelican.utils import slugify

from anonymize.cli import Refused
from anonymize.desk import gitdesk, progress
from anonymize.desk.clean import clean
from anonymize.desk.formats import IntakeError, read
from anonymize.desk.review import BRANCH_PREFIX, DECISIONS, HASHED_IMAGE, decided, findings_for
from anonymize.desk.submission import new_id, parse, render
from anonymize.scrub.paths import segment_problem

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
SUBMISSION_ONLY = ("submitted", "source_format")
# Header keys an essay has and a Pelican page does not (a page has a title, a slug, a summary and its text).
NOT_ON_PAGES = ("date", "category", "tags", "series", "series_index", "response_to", "pen_name")
# First path segments the site's own output uses (our pelicanconf.py): a page there would overwrite it, or be
# overwritten. `Desk.from_settings` adds the segments of the project's own *_SAVE_AS, *_URL and feed settings.
RESERVED_PAGE_SLUGS = frozenset({"essays", "category", "tag", "tags", "categories", "archives", "search", "prepare",
                                 "feeds", "theme", "images", "pagefind", "index", "404", "robots", "robots.txt",
                                 "author", "authors", "drafts", "sitemap.xml", "static", "pages"})


def is_page(header: dict[str, str]) -> bool:
    """A submission to publish as a page: an imported site's page (`Source-format: wordpress page`)."""
    return header.get("source_format", "").strip().endswith(" page")


def reserved_slugs(settings: dict) -> frozenset[str]:
    """First path segments the project's settings give the site's own output, for pages not to take."""
    found = set(RESERVED_PAGE_SLUGS)
    for key, value in settings.items():
        if not isinstance(value, str) or not (key.endswith(("_SAVE_AS", "_URL", "_PATHS", "_DIR"))
                                              or key.startswith(("FEED_", "CATEGORY_FEED", "TAG_FEED"))):
            continue
        first = value.strip("/").split("/", 1)[0]
        if first and "{" not in first and key not in ("PAGE_URL", "PAGE_SAVE_AS"):
            found.add(first.lower())
    for name in settings.get("DIRECT_TEMPLATES") or ():
        found.add(str(name).lower())
    for path in settings.get("STATIC_PATHS") or ():
        found.add(str(path).strip("/").split("/", 1)[0].lower())
    return frozenset(found)


def submitted_day(sid: str, header: dict[str, str]) -> date | None:
    """The day a submission already carries (an imported post's first publication), or None."""
    value = header.get("date", "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Refused(f"{sid}: Date: {value!r} is not a day: write it as YYYY-MM-DD on the submission's branch, "
                      "or delete the line to date it on acceptance; nothing was changed") from None


@dataclass
class Source:
    """A pending submission: on its branch (`ref`), or in the working tree (ref None)."""

    repo: Path
    sid: str
    ref: str | None

    @property
    def folder(self) -> str:
        return f"submissions/{self.sid}"

    def read(self, path: str) -> bytes:
        return (self.repo / path).read_bytes() if self.ref is None else gitdesk.show(self.repo, self.ref, path)

    def text(self) -> tuple[dict[str, str], str]:
        return parse(self.read(f"{self.folder}/index.md").decode("utf-8"))

    def images(self) -> dict[str, bytes]:
        """The submission's images by name; only the hash-named files intake wrote are taken."""
        if self.ref is None:
            found = sorted((self.repo / self.folder).rglob("*"))
            links = [str(p.relative_to(self.repo)) for p in found if p.is_symlink()]
            if links:
                raise Refused(*(f"{link}: a symbolic link in a submission: remove it; only the files intake wrote "
                                "are taken" for link in links))
            paths = [str(p.relative_to(self.repo)) for p in found if p.is_file()]
        else:
            paths = gitdesk.ls(self.repo, self.ref, self.folder + "/")
        out = {}
        for path in paths:
            name = path[len(self.folder) + 1:]
            if name == "index.md":
                continue
            if not HASHED_IMAGE.fullmatch(name):
                raise Refused(f"{path}: not a file the desk took in (only index.md and content-hash images): "
                              "remove it from the submission, or take the image in again with invoke intake")
            out[name] = self.read(path)
        return out


@dataclass
class Decision:
    essay: Path | None
    notes: list[str] = field(default_factory=list)


def link_images(body: str, names: list[str]) -> str:
    """Point the body's links to a submission's images at their published place (content/images/)."""
    for name in names:
        body = body.replace(f"]({name})", f"]({{static}}/images/{name})")
    return body


@dataclass
class Desk:
    repo: Path
    name: str = "Unsigned desk"
    email: str = "desk@unsigned.invalid"
    publish_days: tuple[str, ...] = ()
    max_essay_bytes: int | None = None
    reserved: frozenset[str] = RESERVED_PAGE_SLUGS

    @classmethod
    def from_settings(cls, repo: Path, settings: dict) -> Desk:
        return cls(repo, settings.get("ANONYMIZE_DESK_NAME") or cls.name,
                   settings.get("ANONYMIZE_DESK_EMAIL") or cls.email,
                   tuple(d.lower()[:3] for d in settings.get("ANONYMIZE_PUBLISH_DAYS") or ()),
                   settings.get("ANONYMIZE_MAX_ESSAY_BYTES"), reserved_slugs(settings))

    def env(self) -> dict[str, str]:
        return gitdesk.desk_env(self.name, self.email, gitdesk.today())

    # --- intake -------------------------------------------------------------------
    def intake(self, source: Path, images: Path | None = None, title: str | None = None) -> tuple[str, str, list]:
        """Scrub `source` and commit it as submissions/<id>/ on branch submission/<id>; the source is only read."""
        if not source.is_file():
            raise IntakeError(f"{source}: no such file: give the contributor's file (.md, .txt, .html or .docx)")
        draft = read(source, title, self.max_essay_bytes)
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

    def intake_report(self, source: Path, images: Path | None = None, title: str | None = None) -> str:
        """Intake, and what to tell the editor: the id, the branch, what was removed, what to do next."""
        with progress.status(f"Taking in {source.name}…"):
            sid, branch, removed = self.intake(source, images, title)
        lines = [f"submission {sid} is on branch {branch} ({len(removed)} thing(s) removed; original left untouched)"]
        lines += [f"  {entry.action} {entry.kind}: {entry.what}" for entry in removed]
        lines.append(f"review it: .venv/bin/invoke review --id {sid}   (edit it on {branch}; never merge that branch)")
        return "\n".join(lines)

    # --- locate ---------------------------------------------------------------------
    def locate(self, sid: str) -> Source:
        """A pending submission: its branch first (where intake put it), then the working tree."""
        if not re.fullmatch(r"[0-9a-f]{6,40}", sid):
            raise IntakeError(f"{sid}: not a submission id (invoke review lists them)")
        if sid in decided(self.repo):
            raise IntakeError(f"{sid}: submission already decided (see {DECISIONS})")
        if gitdesk.head(self.repo, f"refs/heads/{BRANCH_PREFIX}{sid}"):
            return Source(self.repo, sid, f"{BRANCH_PREFIX}{sid}")
        if (self.repo / f"submissions/{sid}/index.md").is_file():
            return Source(self.repo, sid, None)
        raise IntakeError(f"{sid}: no pending submission (neither branch {BRANCH_PREFIX}{sid} nor "
                          f"submissions/{sid}/): invoke review lists the pending ones")

    # --- acknowledge ------------------------------------------------------------------
    def acknowledge(self, sid: str, item: str) -> str:
        """Record a finding the essay has as acknowledged, in a pending submission or in an accepted essay (slug)."""
        essay = next((f"content/{folder}/{sid}.md" for folder in ("essays", "pages")
                      if segment_problem(sid) is None and (self.repo / f"content/{folder}/{sid}.md").is_file()), "")
        if essay:
            source, path = None, essay
            header, body = parse((self.repo / essay).read_text("utf-8"))
        else:
            source = self.locate(sid)
            path = f"{source.folder}/index.md"
            header, body = source.text()
        self._check_finding(sid, header, body, item)
        items = [a.strip() for a in header.get("acknowledged", "").split(";") if a.strip()]
        if item.strip() not in items:
            items.append(item.strip().replace(";", ","))
        header["acknowledged"] = "; ".join(items)
        data = render(header, body).encode()
        message = f"Acknowledge a finding in submission {sid}"
        if source is None or source.ref is None or source.ref == gitdesk.current_branch(self.repo):
            (self.repo / path).write_bytes(data)
            return gitdesk.commit_worktree(self.repo, [path], message, self.env())
        return gitdesk.commit_to_branch(self.repo, source.ref, {path: data}, message, self.env())

    @staticmethod
    def _check_finding(sid: str, header: dict[str, str], body: str, item: str) -> None:
        """Refuse to acknowledge what the essay does not have, showing the findings closest to it."""
        header = {k: v for k, v in header.items() if k != "acknowledged"}
        found = [f"{f.kind}: {f.text}" for f in findings_for(render(header, body))]
        kind, sep, text = item.partition(":")
        wanted = item.strip()
        if any(wanted in (one, one.partition(": ")[2]) for one in found) or (
                sep and f"{kind.strip()}: {text.strip()}" in found):
            return
        close = difflib.get_close_matches(wanted, found, n=5, cutoff=0.4)
        close += [one for one in found if wanted.lower() in one.lower() and one not in close]
        hint = f"the closest it has: {'; '.join(close[:5])}" if close else (
            f"it has {len(found)} finding(s): invoke review {sid} lists them" if found else "it has no findings")
        raise Refused(f"{sid}: has no finding {wanted!r}: acknowledge one it has, as 'kind: text' ({hint})")

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

    def _on_main(self, sid: str) -> None:
        branch = gitdesk.current_branch(self.repo)
        if branch.startswith(BRANCH_PREFIX) or branch == "HEAD":
            raise Refused(f"{sid}: you are on {branch}: commit your edits there, then `git switch main` and decide "
                          "from main (the decision is one commit on main; the submission branch is then deleted)")

    def essay_for(self, source: Source, slug: str, category: str | None, day: date) -> tuple[str, dict[str, bytes]]:
        """The essay's text as it goes into content/essays/, and its images. `day` dates it unless the
        submission carries its own day (an imported post's first publication)."""
        header, body = source.text()
        images = source.images()
        kept = submitted_day(source.sid, header)
        header = {k: v for k, v in header.items() if k not in SUBMISSION_ONLY}
        header["slug"] = slug
        header["date"] = (kept or day).isoformat()
        if category:
            header["category"] = category
        header.setdefault("category", "Essays")
        return render(header, link_images(body, list(images))), images

    def page_for(self, source: Source, slug: str) -> tuple[str, dict[str, bytes], list[str]]:
        """The page's text as it goes into content/pages/, its images, and the essay-only keys it lost."""
        header, body = source.text()
        images = source.images()
        dropped = [k for k in NOT_ON_PAGES if header.get(k, "").strip()]
        header = {k: v for k, v in header.items() if k not in SUBMISSION_ONLY and k not in NOT_ON_PAGES}
        header["slug"] = slug
        return render(header, link_images(body, list(images))), images, dropped

    def page_slug_problem(self, slug: str) -> str | None:
        """Why `slug` cannot be a page's: the site's own output is there, or another page has it."""
        if slug.lower() in self.reserved:
            return f"{slug}/ is where the site's own {slug} pages or files are written"
        pages = self.repo / "content" / "pages"
        if (pages / f"{slug}.md").exists():
            return f"content/pages/{slug}.md already exists"
        for other in sorted(pages.glob("*.md")) if pages.is_dir() else []:
            header, _ = parse(other.read_text("utf-8", "replace").split("\n\n", 1)[0] + "\n")
            if header.get("slug", other.stem).strip().lower() == slug.lower():
                return f"{other.relative_to(self.repo)} already has the slug {slug}"
        return None

    def accept(self, sid: str, slug: str | None = None, category: str | None = None) -> Decision:
        self._on_main(sid)
        source = self.locate(sid)
        header, _ = source.text()
        page = is_page(header)
        slug = slug or slugify(header.get("title", sid), regex_subs=[(r"[^\w\s-]", ""), (r"(?u)\s+", "-")])
        if segment_problem(slug):
            raise Refused(f"--slug {slug}: {segment_problem(slug)} (e.g. the-night-shift); nothing was changed")
        if page:
            if category:
                raise Refused(f"{sid}: is a page (Source-format: {header.get('source_format')}): pages have no "
                              "category: accept it without --category; nothing was changed")
            problem = self.page_slug_problem(slug)
            if problem:
                raise Refused(f"--slug {slug}: {problem}: choose another --slug; nothing was changed")
            text, images, dropped = self.page_for(source, slug)
            kind, target = "pages", f"content/pages/{slug}.md"
        else:
            if (self.repo / "content" / "essays" / f"{slug}.md").exists():
                raise Refused(f"content/essays/{slug}.md: already exists: choose another --slug; nothing was changed")
            text, images = self.essay_for(source, slug, category, self.publication_day())
            kind, target, dropped = "essays", f"content/essays/{slug}.md", []
        files = {target: text.encode()}
        for name, data in images.items():
            if not (self.repo / "content" / "images" / name).exists():
                files[f"content/images/{name}"] = data
        notes = self._decide(source, files, "accepted", slug, f"Accept submission {sid} as {kind}/{slug}")
        if dropped:
            notes.insert(0, f"{target}: a page has no {', '.join(k.replace('_', ' ') for k in dropped)}: "
                            "not kept (they stay in the submission's history until invoke purge)")
        return Decision(self.repo / target, notes)

    def reject(self, sid: str, reason: str) -> Decision:
        if not reason.strip():
            raise Refused(f"{sid}: say why (--reason): the reason is recorded for the other editors")
        self._on_main(sid)
        source = self.locate(sid)
        reason = " ".join(reason.split())
        return Decision(None, self._decide(source, {}, "rejected", reason, f"Reject submission {sid}: {reason}"))

    def _decide(self, source: Source, files: dict[str, bytes], decision: str, detail: str, message: str) -> list[str]:
        """One commit with `files` and the decision's line; then the submission branch goes. All or nothing."""
        log = self.repo / DECISIONS
        before = log.read_bytes() if log.is_file() else b""
        line = f"{source.sid}\t{decision}\t{gitdesk.today().isoformat()}\t{detail}\n"
        files = {**files, DECISIONS: before + (b"" if not before or before.endswith(b"\n") else b"\n") + line.encode()}
        paths = list(files)
        written: dict[Path, bytes | None] = {}
        moved: Path | None = None
        try:
            for rel, data in files.items():
                target = self.repo / rel
                written[target] = target.read_bytes() if target.is_file() else None
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            if source.ref is None:  # a submission in the working tree: it leaves with the decision
                moved = Path(tempfile.mkdtemp(prefix="unsigned-decided-")) / source.sid
                shutil.move(self.repo / source.folder, moved)
                paths.append(source.folder)
            gitdesk.commit_worktree(self.repo, paths, message, self.env())
        except BaseException:
            for target, old in written.items():
                target.unlink(missing_ok=True) if old is None else target.write_bytes(old)
            if moved is not None and moved.exists():
                shutil.move(moved, self.repo / source.folder)
            raise
        if moved is not None:
            shutil.rmtree(moved.parent, ignore_errors=True)
        return self._drop_branch(source)

    def _drop_branch(self, source: Source) -> list[str]:
        """Delete the submission's branch (and our copies of it from remotes); say what is left to do."""
        notes = []
        branch = f"{BRANCH_PREFIX}{source.sid}"
        refs = gitdesk.git(self.repo, "for-each-ref", "--format=%(refname)", f"refs/heads/{branch}",
                           f"refs/remotes/*/{branch}").split()
        for ref in refs:
            gitdesk.git(self.repo, "update-ref", "-d", ref)
            if ref.startswith("refs/remotes/"):
                remote = ref.split("/")[2]
                notes.append(f"{branch}: was pushed to {remote}: delete it there too: git push {remote} --delete "
                             f"{branch}")
        if source.ref is None and gitdesk.git(self.repo, "rev-list", "-1", "HEAD", "--", f"{source.folder}/"):
            notes.append(f"{source.folder}: was committed on this branch, so its history still holds the original: "
                         "see the README (Originals) to rewrite it")
        notes.append("the original is no longer on any branch: run invoke purge to remove it from the repository")
        return notes

    # --- preview --------------------------------------------------------------------------
    def preview_content(self, sid: str, content: Path, dest: Path) -> str:
        """A copy of `content` in `dest` with submission `sid` as an essay; the essay's path in it."""
        source = self.locate(sid)
        shutil.copytree(content, dest, symlinks=True)
        slug = f"preview-{sid}"
        if is_page(source.text()[0]):
            text, images, _ = self.page_for(source, slug)
            folder, page = "pages", f"{slug}/index.html"
        else:
            text, images = self.essay_for(source, slug, "Preview", self.publication_day())
            folder, page = "essays", f"essays/{slug}/index.html"
        (dest / "images").mkdir(exist_ok=True)
        for name, data in images.items():
            (dest / "images" / name).write_bytes(data)
        (dest / folder).mkdir(exist_ok=True)
        (dest / folder / f"{slug}.md").write_text(text, "utf-8")
        return page


def for_project(root: Path, settings_file: str = "pelicanconf.py") -> Desk:
    """The desk of the repository holding `root`, with the project's settings (desk identity, days, limits)."""
    from pelican.settings import read_settings

    return Desk.from_settings(gitdesk.repo_root(root), read_settings(str(root / settings_file)))
