"""The editorial desk end to end in a temporary git repository: intake, review, accept, gate, ack, publish.

Asserts who and when every desk commit says, that the editor's own identity
never appears on them, that the contributor's file is never changed, and
that `invoke publish` refuses before the acknowledgement and passes after.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import imagegen as gen
import pytest
from deskrepo import EDITOR, git, inv, make_repo, zipped


@pytest.fixture
def site_repo(tmp_path) -> Path:
    """A copy of the project in a fresh git repository, first commit by the editor (deskrepo.make_repo)."""
    return make_repo(tmp_path)


def desk_commits(repo: Path, ref: str) -> list[dict]:
    out = git(repo, "log", "--format=%H|%an|%ae|%aI|%cn|%ce|%cI|%s", ref)
    keys = ["sha", "an", "ae", "ad", "cn", "ce", "cd", "subject"]
    rows = [dict(zip(keys, line.split("|", 7), strict=True)) for line in out.splitlines()]
    return [r for r in rows if r["subject"] != "Site as the editor has it"]


def assert_desk(commit: dict) -> None:
    today = datetime.now(UTC).date().isoformat()
    assert (commit["an"], commit["ae"], commit["cn"], commit["ce"]) == ("Unsigned desk", "desk@unsigned.invalid",
                                                                        "Unsigned desk", "desk@unsigned.invalid")
    assert commit["ad"] == commit["cd"] == f"{today}T00:00:00+00:00"
    assert EDITOR[0] not in json.dumps(commit) and EDITOR[1] not in json.dumps(commit)


def test_intake_review_accept_gate_ack_publish(site_repo, tmp_path):
    repo = site_repo
    inbox = tmp_path / "inbox"
    (inbox / "photos").mkdir(parents=True)
    essay = inbox / "my essay FINAL draft3.md"
    essay.write_text(
        "Title: The Rota Nobody Reads\nAuthor: Dr. Real Name\nEmail: real.name@hospital.example\n"
        "Date: 2026-03-05 23:12 -0500\nCategory: Burnout\n\n"
        "Every week the rota goes out and nobody reads it until it is too late.\n\n"
        "<!-- note: ask Priya before sending -->\n\n"
        "Write to the union at rota.union@hospitalworkers.example.org if this sounds familiar.\n\n"
        "![The rota board](IMG_20240305_143107.jpg)\n\n"
        "Read [the guidance](https://www.who.int/?utm_source=mail) first.\n", "utf-8")
    (inbox / "photos" / "IMG_20240305_143107.jpg").write_bytes(gen.jpeg_everything())
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in inbox.rglob("*") if p.is_file()}
    head_before = git(repo, "rev-parse", "HEAD")

    # intake: a branch of its own, desk identity, midnight date, nothing identifying kept
    got = inv(repo, "intake", str(essay), "--images", str(inbox / "photos"))
    assert got.returncode == 0, got.stderr + got.stdout
    sid = re.search(r"submission ([0-9a-f]+) is on branch submission/\1", got.stdout).group(1)
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in inbox.rglob("*") if p.is_file()} == before
    assert git(repo, "rev-parse", "HEAD") == head_before and git(repo, "status", "--porcelain") == ""
    commits = desk_commits(repo, f"submission/{sid}")
    assert len(commits) == 1
    assert_desk(commits[0])
    files = git(repo, "ls-tree", "-r", "--name-only", f"submission/{sid}", "submissions/").split()
    stored = git(repo, "show", f"submission/{sid}:submissions/{sid}/index.md")
    assert "Dr. Real Name" not in stored and "real.name@hospital.example" not in stored
    assert "23:12" not in stored and "Priya" not in stored and "utm_source" not in stored
    assert "IMG_2024" not in " ".join(files) and "FINAL" not in stored
    image = next(f for f in files if f.endswith(".jpg"))
    data = subprocess.run(["git", "show", f"submission/{sid}:{image}"], cwd=repo, capture_output=True).stdout
    assert b"Exif" not in data[:2000] and gen.CAMERA_OWNER.encode() not in data

    # review: JSON in the documented shape, with the planted email
    rev = inv(repo, "review", "--json")
    assert rev.returncode == 0, rev.stderr
    report = json.loads(rev.stdout)
    entry = next(s for s in report["submissions"] if s["id"] == sid)
    assert set(entry) == {"id", "title", "path", "findings"}
    assert {"kind": "email", "text": "rota.union@hospitalworkers.example.org"} in [
        {k: f[k] for k in ("kind", "text")} for f in entry["findings"]]
    assert all(set(f) == {"kind", "text", "line"} for f in entry["findings"])
    md = inv(repo, "review", "--id", sid, "--markdown")
    assert "| line | kind | text |" in md.stdout and "rota.union@" in md.stdout

    # accept: essay with a slug and today's date, image moved, desk commit
    acc = inv(repo, "accept", sid, "--slug", "the-rota")
    assert acc.returncode == 0, acc.stderr
    text = (repo / "content" / "essays" / "the-rota.md").read_text("utf-8")
    today = datetime.now(UTC).date().isoformat()
    assert f"Date: {today}" in text and "Slug: the-rota" in text and "{static}/images/" in text
    assert_desk(desk_commits(repo, "main")[0])
    assert sid not in inv(repo, "review", "--json").stdout

    # publish refuses: an unacknowledged finding, named with its essay
    out = repo / "published"
    refused = inv(repo, "publish")
    assert refused.returncode != 0
    assert "essays/the-rota.md" in refused.stderr and "rota.union@hospitalworkers.example.org" in refused.stderr
    assert not out.exists()

    # acknowledge (the union's public address), then publish passes
    ack = inv(repo, "ack", "the-rota", "email: rota.union@hospitalworkers.example.org")
    assert ack.returncode == 0, ack.stderr
    published = inv(repo, "publish")
    assert published.returncode == 0, published.stdout[:4000] + published.stderr[-2000:]
    page = (out / "essays" / "the-rota" / "index.html").read_text("utf-8")
    assert "Every week the rota goes out" in page and "Acknowledged" not in page
    for commit in desk_commits(repo, "--all"):
        assert_desk(commit)
    assert git(repo, "status", "--porcelain", "content", "submissions") == ""


def test_reject_records_a_reason_and_lets_the_original_go(site_repo, tmp_path):
    src = tmp_path / "note.txt"
    src.write_text("A short note\n\nIt says very little.\n", "utf-8")
    sid = re.search(r"submission ([0-9a-f]+)", inv(site_repo, "intake", str(src)).stdout).group(1)
    no_reason = inv(site_repo, "reject", sid)
    assert no_reason.returncode != 0 and "--reason" in no_reason.stderr
    done = inv(site_repo, "reject", sid, "--reason", "identifies the ward beyond repair")
    assert done.returncode == 0, done.stderr
    log = (site_repo / "submissions" / "decisions.tsv").read_text("utf-8")
    assert f"{sid}\trejected\t" in log and "identifies the ward" in log
    assert sid not in inv(site_repo, "review", "--json").stdout
    assert_desk(desk_commits(site_repo, "main")[0])
    # The original is on no branch any more (invoke purge removes it); a rejection is undone by a new intake.
    assert git(site_repo, "branch", "--list", f"submission/{sid}") == ""


def _docx(tmp_path: Path) -> Path:
    """A Word file written by hand: properties, a comment and a tracked deletion that must not survive."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {w}><w:body>'
                '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Handover Haikus</w:t></w:r></w:p>'
                '<w:p><w:r><w:t>The pager goes off.</w:t></w:r>'
                '<w:del w:id="1" w:author="Real Author" w:date="2024-03-05T14:31:00Z"><w:r>'
                '<w:delText> Deleted line naming Ward 6B.</w:delText></w:r></w:del>'
                '<w:commentRangeStart w:id="0"/><w:r><w:t> Nobody answers.</w:t></w:r><w:commentRangeEnd w:id="0"/>'
                '<w:r><w:commentReference w:id="0"/></w:r></w:p></w:body></w:document>')
    comments = (f'<?xml version="1.0" encoding="UTF-8"?><w:comments {w}><w:comment w:id="0" w:author="Real Author">'
                '<w:p><w:r><w:t>Secret comment about Dr Smith</w:t></w:r></w:p></w:comment></w:comments>')
    core = ('<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
            'package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            '<dc:creator>Real Author Name</dc:creator><cp:lastModifiedBy>Real Author Name</cp:lastModifiedBy>'
            '</cp:coreProperties>')
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
             'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
             'main+xml"/><Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-'
             'officedocument.wordprocessingml.comments+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://'
            'schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/'
            'core.xml"/></Relationships>')
    doc_rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                'package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/comments" Target="comments.xml"/></Relationships>')
    path = tmp_path / "Real Author - haikus.docx"
    path.write_bytes(zipped({"[Content_Types].xml": types, "_rels/.rels": rels, "word/document.xml": document,
                             "word/_rels/document.xml.rels": doc_rels, "word/comments.xml": comments,
                             "docProps/core.xml": core}))
    return path


def _stored(repo: Path, out: str) -> str:
    sid = re.search(r"submission ([0-9a-f]+)", out).group(1)
    return git(repo, "show", f"submission/{sid}:submissions/{sid}/index.md")


def test_intake_docx_drops_properties_comments_and_deletions(site_repo, tmp_path):
    got = inv(site_repo, "intake", str(_docx(tmp_path)))
    assert got.returncode == 0, got.stderr
    stored = _stored(site_repo, got.stdout)
    assert "Title: Handover Haikus" in stored and "The pager goes off." in stored and "Nobody answers." in stored
    for leak in ("Real Author", "Secret comment", "Dr Smith", "Ward 6B", "2024-03-05"):
        assert leak not in stored


def test_intake_html_page_keeps_the_article_only(site_repo, tmp_path):
    page = tmp_path / "blog.html"
    page.write_text(
        '<html><head><title>Blog</title><meta name="author" content="Real Blogger">'
        '<script src="https://stats.example/t.js"></script></head><body><nav>Home | About Real Blogger</nav>'
        '<article><h1>Night Float Diaries</h1><p>The first <em>night</em> is the longest.</p>'
        '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>'
        '<p>See <a href="https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.cdc.gov%2F&h=x">the CDC</a>.</p>'
        '</article><footer>© Real Blogger</footer></body></html>', "utf-8")
    got = inv(site_repo, "intake", str(page))
    assert got.returncode == 0, got.stderr
    stored = _stored(site_repo, got.stdout)
    assert "Title: Night Float Diaries" in stored and "The first *night* is the longest." in stored
    assert "[the CDC](https://www.cdc.gov/)" in stored and "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in stored
    assert "Real Blogger" not in stored and "stats.example" not in stored and "facebook" not in stored


def test_intake_txt_and_yaml_front_matter(site_repo, tmp_path):
    txt = tmp_path / "notes-app-export.txt"
    txt.write_text("What the corridor knows\n\nLine one of\na wrapped paragraph.\n\nSecond paragraph.\n", "utf-8")
    stored = _stored(site_repo, inv(site_repo, "intake", str(txt)).stdout)
    assert "Title: What the corridor knows" in stored and "Line one of a wrapped paragraph." in stored
    titled = _stored(site_repo, inv(site_repo, "intake", str(txt), "--title", "Given title").stdout)
    assert "Title: Given title" in titled and "What the corridor knows" in titled
    yaml = tmp_path / "post.md"
    yaml.write_text('---\ntitle: "From a static blog"\nauthor: Real Person\ntags: nights, rota\n---\n\nBody text.\n',
                    "utf-8")
    stored = _stored(site_repo, inv(site_repo, "intake", str(yaml)).stdout)
    assert "Title: From a static blog" in stored and "Tags: nights, rota" in stored and "Real Person" not in stored


def test_intake_refuses_bad_input_naming_the_file(site_repo, tmp_path):
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.7")
    got = inv(site_repo, "intake", str(bad))
    assert got.returncode != 0 and "scan.pdf" in got.stderr and "not a format we take in" in got.stderr
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 story\n\nText.\n".encode("latin-1"))
    got = inv(site_repo, "intake", str(latin))
    assert got.returncode != 0 and "latin.txt" in got.stderr and "UTF-8" in got.stderr
    assert git(site_repo, "branch", "--list", "submission/*") == ""


def test_publishing_rhythm_moves_the_date_to_the_next_batch_day():
    import datetime as dt

    from anonymize.desk.desk import Desk

    desk = Desk(Path("."), publish_days=("tue",))
    assert desk.publication_day(dt.date(2026, 11, 25)) == dt.date(2026, 12, 1)  # a Wednesday -> next Tuesday
    assert desk.publication_day(dt.date(2026, 12, 1)) == dt.date(2026, 12, 1)
    assert Desk(Path(".")).publication_day(dt.date(2026, 11, 25)) == dt.date(2026, 11, 25)
