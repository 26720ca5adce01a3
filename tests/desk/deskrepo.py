"""A desk repository for tests: a copy of the project in a fresh git repository, run through `invoke` and `make`."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import CONTENT, ROOT

INVOKE = str(Path(sys.executable).parent / "invoke")
EDITOR = ("Edith Editor-Realname", "edith.realname@hospital.example")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def inv(repo: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([INVOKE, *args], cwd=repo, capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "200", **(env or {})})


def make_repo(tmp_path: Path) -> Path:
    """The project as an editor has it (with the real .gitignore and Makefile), first commit by the editor.

    `.venv` is a link to this checkout's, so `make site` runs without installing anything.
    """
    repo = tmp_path / "site"
    repo.mkdir()
    for name in ("pelicanconf.py", "publishconf.py", "tasks.py", "Makefile", ".gitignore", "requirements.lock",
                 "package.json", "package-lock.json"):
        shutil.copy2(ROOT / name, repo / name)
    for folder in ("plugins", "theme"):
        shutil.copytree(ROOT / folder, repo / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(CONTENT, repo / "content")  # the tests' own sample site, never the editor's content/
    (repo / ".venv").symlink_to(Path(sys.executable).parent.parent)
    # The prepare page's pinned npm packages, each a link to this checkout's, in a folder of the repository's own
    # whose stamp is newer than its lock: `make site` there never runs `npm ci`, which would empty the folder it
    # is given (through a link to ours, this checkout's packages).
    modules = repo / "node_modules"
    modules.mkdir()
    for entry in (ROOT / "node_modules").iterdir():
        if entry.name != ".installed":
            (modules / entry.name).symlink_to(entry)
    (modules / ".installed").touch()
    (repo / "submissions").mkdir()
    (repo / "submissions" / "README.md").write_text("Pending submissions.\n", "utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", EDITOR[0])
    git(repo, "config", "user.email", EDITOR[1])
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Site as the editor has it")
    return repo


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
NS = (f'{W} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"')


def docx_with_picture(path: Path, picture: bytes, alt: str = "The rota board") -> Path:
    """A Word file with a title, a paragraph and one inline picture (as Word stores it: word/media/, a relationship
    and a drawing that embeds it)."""
    drawing = ('<w:r><w:drawing><wp:inline><wp:extent cx="952500" cy="952500"/>'
               f'<wp:docPr id="1" name="Picture 1" descr="{alt}"/><a:graphic><a:graphicData '
               'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr>'
               '<pic:cNvPr id="0" name="IMG_20240305_143107.jpg"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
               '<a:blip r:embed="rIdImg1"/></pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic>'
               '</wp:inline></w:drawing></w:r>')
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>'
                '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>The Board</w:t></w:r></w:p>'
                '<w:p><w:r><w:t>Every week the board fills up.</w:t></w:r></w:p>'
                f'<w:p>{drawing}</w:p></w:body></w:document>')
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="jpeg" '
             'ContentType="image/jpeg"/><Override PartName="/word/document.xml" ContentType="application/'
             'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    doc_rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                'package/2006/relationships"><Relationship Id="rIdImg1" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/image" Target="media/image1.jpeg"/></Relationships>')
    path.write_bytes(zipped({"[Content_Types].xml": types, "_rels/.rels": rels, "word/document.xml": document,
                             "word/_rels/document.xml.rels": doc_rels, "word/media/image1.jpeg": picture}))
    return path


def zipped(parts: dict[str, str | bytes], compression: int = zipfile.ZIP_STORED) -> bytes:
    """A zip archive (a .docx, an export) holding `parts` by name, in order."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()
