"""The "Prepare your essay" page in Debian's Chromium, from a writer's .docx to the desk's intake.

A .docx made here carries an author, a company, a comment, a tracked change with its author and a photo with
GPS EXIF. Chromium opens it in the page with the network switched off after loading; the page must show the
findings and what it removed, and produce a sealed file that `invoke intake` opens with the desk identity.
Independent judges: every request Chromium makes, exiftool on the photo the desk keeps, `git log --all -p`,
axe-core (light and dark), and the desk's own detector for the agreement of findings.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import imagegen as gen
import pyrage
import pytest
from browser import serve
from conftest import CONTENT, ROOT, require_tool, run_build, settings_with
from findings_corpus import generated

from bench import corpus

sys.path.insert(0, str(ROOT / "tests" / "desk"))
from deskrepo import git, inv, zipped  # noqa: E402
from test_desk import site_repo as site_repo  # noqa: E402,F401 (the fixture)

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AUTHOR = "Hannelore Quartermain-Vask"
COMPANY = "Brightwater Vask Holdings"
COMMENTER = "Osric Commentwright"
REVISER = "Peregrine Tracksley"
DELETED = "Deleted sentence naming Ward Zeta-9"
COMMENT = "Private comment about the night sister"
REPLY = "nightwriter.zq5512@replies-zq5512.example"
LEAKS = (AUTHOR, COMPANY, COMMENTER, REVISER, DELETED, COMMENT, REPLY, "zq5512", "Real Essay Name.docx",
         gen.CAMERA_OWNER, gen.CAMERA_SERIAL, gen.CAMERA_MAKE)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (f'xmlns:w="{W}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"')


def make_docx(path: Path, photo: bytes) -> Path:
    """A Word file as Word writes one, with everything a writer would not want to send."""
    drawing = ('<w:r><w:drawing><wp:inline><wp:extent cx="3000000" cy="2000000"/><wp:docPr id="1" name="Picture 1"/>'
               '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
               '<pic:blipFill><a:blip r:embed="rIdImg1"/></pic:blipFill></pic:pic></a:graphicData></a:graphic>'
               '</wp:inline></w:drawing></w:r>')
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>'
        '<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>What the night knows</w:t></w:r></w:p>'
        '<w:p><w:r><w:t xml:space="preserve">At four the pager went off again. </w:t></w:r>'
        f'<w:del w:id="1" w:author="{REVISER}" w:date="2026-03-05T14:31:00Z"><w:r><w:delText>{DELETED}.</w:delText>'
        '</w:r></w:del>'
        f'<w:ins w:id="2" w:author="{REVISER}" w:date="2026-03-05T14:32:00Z"><w:r>'
        '<w:t xml:space="preserve">Dr. Helen Marsh said to call 0161 496 0732 if it got worse.</w:t></w:r>'
        '</w:ins></w:p>'
        '<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>Nobody answered.</w:t></w:r><w:commentRangeEnd w:id="0"/>'
        '<w:r><w:commentReference w:id="0"/></w:r></w:p>'
        f'<w:p>{drawing}</w:p>'
        '<w:p><w:r><w:t>The corridor was empty by six.</w:t></w:r></w:p>'
        '</w:body></w:document>')
    comments = (f'<?xml version="1.0" encoding="UTF-8"?><w:comments xmlns:w="{W}"><w:comment w:id="0" '
                f'w:author="{COMMENTER}" w:initials="OC"><w:p><w:r><w:t>{COMMENT}</w:t></w:r></w:p></w:comment>'
                '</w:comments>')
    core = ('<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
            'package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/">'
            f'<dc:creator>{AUTHOR}</dc:creator><cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy>'
            '<dcterms:created>2026-03-05T14:07:00Z</dcterms:created></cp:coreProperties>')
    app = ('<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
           f'2006/extended-properties"><Application>Microsoft Office Word</Application><Company>{COMPANY}</Company>'
           '</Properties>')
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="jpeg" '
             'ContentType="image/jpeg"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    doc_rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                'package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/comments" Target="comments.xml"/><Relationship Id="rIdImg1" '
                'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
                'Target="media/image1.jpeg"/></Relationships>')
    path.write_bytes(zipped({"[Content_Types].xml": types, "_rels/.rels": rels, "word/document.xml": document,
                             "word/_rels/document.xml.rels": doc_rels, "word/comments.xml": comments,
                             "word/media/image1.jpeg": photo, "docProps/core.xml": core, "docProps/app.xml": app},
                            zipfile.ZIP_DEFLATED))
    return path


@pytest.fixture(scope="module")
def desk_key(tmp_path_factory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("desk-key")
    identity = pyrage.x25519.Identity.generate()
    path = folder / "identity.txt"
    path.write_text(f"{identity}\n", "utf-8")
    return path, str(identity.to_public())


@pytest.fixture(scope="module")
def prepare_site(tmp_path_factory, desk_key) -> Path:
    folder = tmp_path_factory.mktemp("prepare-site")
    settings = settings_with(folder, ANONYMIZE_DESK_RECIPIENT=desk_key[1])
    result = run_build(CONTENT, folder / "output", settings=settings)
    assert result.returncode == 0, result.log
    assert (folder / "output" / "prepare" / "index.html").is_file()
    return folder / "output"


class Recorder:
    """Every request a context makes, split at the moment the page finished loading."""

    def __init__(self, context, base: str):
        self.local = urlsplit(base).netloc
        self.loading: list[str] = []
        self.after: list[str] = []
        self.loaded = False
        context.on("request", self.on_request)

    def on_request(self, request) -> None:
        (self.after if self.loaded else self.loading).append(request.url)

    def foreign(self) -> list[str]:
        return [u for u in self.loading if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != self.local]

    def network_after_load(self) -> list[str]:
        return [u for u in self.after if urlsplit(u).scheme not in ("blob", "data", "about")]


def _open(browser, base: str, scheme: str = "light"):
    context = browser.new_context(accept_downloads=True, color_scheme=scheme)
    recorder = Recorder(context, base)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/prepare/", wait_until="load")
    page.wait_for_selector("html.prepare-ready")
    recorder.loaded = True
    context.set_offline(True)
    return context, page, recorder, errors


def _axe(page) -> list[str]:
    page.evaluate(AXE.read_text("utf-8"))  # through DevTools: the page's CSP still holds for its own scripts
    return page.evaluate("async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
                         ".violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))",
                         AXE_TAGS)


def test_docx_to_sealed_file_to_intake(browser, prepare_site, desk_key, site_repo, tmp_path):
    exiftool = require_tool("exiftool")
    photo = gen.jpeg_with_metadata(gen.corridor(480, 320), orientation=6)
    docx = make_docx(tmp_path / "Real Essay Name.docx", photo)
    with serve(prepare_site) as base:
        context, page, recorder, errors = _open(browser, base)
        assert recorder.foreign() == [] and recorder.loading, recorder.loading
        page.set_input_files("#prepare-files", str(docx))
        page.wait_for_selector("#prepare-findings li[data-kind=phone]")
        findings = page.inner_text("#prepare-findings")
        assert "0161 496 0732" in findings  # names: see the agreement test (the page's share of the desk's rules)
        assert page.locator("#prepare-marked mark.finding").count() >= 1
        removed = page.inner_text("#prepare-removed")
        for shown in (AUTHOR, COMPANY, COMMENTER, REVISER, "GPS location", "Real Essay Name.docx", "Comments"):
            assert shown in removed, shown
        text = page.input_value("#prepare-text")
        assert DELETED not in text and COMMENT not in text and "![Photo 1](photo-1.jpg)" in text
        assert page.input_value("#prepare-title") == "What the night knows"
        # The writer edits: one finding replaced with the page's button, one by hand.
        page.locator("#prepare-findings li[data-kind=phone] button").first.click()
        page.fill("#prepare-text", page.input_value("#prepare-text").replace("Helen Marsh", "[name]"))
        page.wait_for_timeout(400)
        assert "0161 496 0732" not in page.inner_text("#prepare-findings")
        page.select_option("#prepare-reply-kind", "email")
        page.fill("#prepare-reply-address", REPLY)
        assert _axe(page) == []
        with page.expect_download() as download:
            page.click("#prepare-seal")
        sealed = tmp_path / "download.age"
        download.value.save_as(sealed)
        assert download.value.suggested_filename == "sealed-essay.age"
        assert "Sealed" in page.inner_text("#prepare-sealed")
        assert errors == []
        assert recorder.network_after_load() == [], recorder.after
        context.close()
    raw = sealed.read_bytes()
    assert raw.startswith(b"age-encryption.org/v1\n")
    assert not any(leak.encode() in raw for leak in LEAKS) and b"Helen" not in raw
    # The desk opens it with its identity, like any submission.
    got = inv(site_repo, "intake", str(sealed), "--identity", str(desk_key[0]))
    assert got.returncode == 0, got.stderr
    assert got.stdout.count(REPLY) == 1
    sid = got.stdout.split("sealed submission ")[1].split()[0]
    stored = git(site_repo, "show", f"submission/{sid}:submissions/{sid}/index.md")
    assert "Title: What the night knows" in stored and "At four the pager went off again." in stored
    # The desk writes text so that Markdown shows it as typed (desk/markdown_out.py): "[name]" is stored as "\[name\]"
    shown = re.sub(r"\\([\\`*_\[\]{}|#])", r"\1", stored)
    assert "[name]" in shown and "[phone]" in shown and "Nobody answered." in stored
    files = [p for p in git(site_repo, "ls-tree", "-r", "--name-only", f"submission/{sid}").split()
             if p.startswith(f"submissions/{sid}/")]
    images = [p for p in files if p.endswith((".jpg", ".png"))]
    assert len(images) == 1 and images[0].rsplit("/", 1)[1] in stored
    kept = tmp_path / "kept.jpg"
    kept.write_bytes(subprocess.run(["git", "show", f"submission/{sid}:{images[0]}"], cwd=site_repo,
                                    capture_output=True, check=True).stdout)
    tags = subprocess.run([exiftool, "-a", "-G1", "-s", str(kept)], capture_output=True, text=True).stdout
    assert "GPS" not in tags and "Orientation" not in tags and "DateTimeOriginal" not in tags
    from PIL import Image

    with Image.open(kept) as img:
        assert img.size == (320, 480)  # orientation 6 applied: upright, no tag left to do it
    history = subprocess.run(["git", "log", "--all", "-p", "--binary"], cwd=site_repo, capture_output=True).stdout
    submission = "\n".join(git(site_repo, "show", f"submission/{sid}:{p}") for p in files if p.endswith(".md"))
    for leak in LEAKS:
        assert leak not in tags and leak not in submission and leak.encode() not in history, leak


def test_single_saved_file_works_from_disk_without_any_network(browser, prepare_site, tmp_path):
    saved = tmp_path / "Prepare your essay.html"
    saved.write_bytes((prepare_site / "prepare" / "index.html").read_bytes())
    context = browser.new_context(accept_downloads=True)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(saved.as_uri(), wait_until="load")
    page.wait_for_selector("html.prepare-ready")
    page.fill("#prepare-text", "My colleague Priya Raman called from 0161 496 0732.")
    page.wait_for_selector("#prepare-findings li[data-kind=phone]")
    with page.expect_download() as download:
        page.click("#prepare-seal")
    assert download.value.suggested_filename == "sealed-essay.age"
    context.close()
    assert errors == []
    assert [u for u in requests if urlsplit(u).scheme in ("http", "https")] == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_prepare_page_accessible_with_findings_shown(browser, prepare_site, scheme, tmp_path):
    if not AXE.is_file():
        pytest.fail("axe-core is missing: `make test` installs it with npm ci")
    with serve(prepare_site) as base:
        context, page, recorder, errors = _open(browser, base, scheme)
        page.fill("#prepare-text", "Dr. Helen Marsh, St Mary's Hospital, Leeds, 3 March 2024, 0161 496 0732.")
        page.wait_for_selector("#prepare-findings li")
        violations = _axe(page)
        context.close()
    assert violations == [] and errors == []


def _desk_findings(text: str) -> Counter:
    from anonymize.scrub.findings import detect

    return Counter((f.kind, f.text, f.line) for f in detect(text))


def _detector_examples() -> list[str]:
    """Every text of the detectors' own examples (detectors.toml: what each must find, where it must be quiet) and
    of the postcode formats (tables.toml), once each."""
    from anonymize.scrub.findings.registry import examples
    from anonymize.scrub.findings.tables import tables

    texts = []
    for detector in examples().values():
        texts += [found[0] for found in detector.get("finds", [])] + list(detector.get("quiet", []))
    texts += [example[0] for postcode in tables()["postcodes"] for example in postcode.get("examples", [])]
    return list(dict.fromkeys(texts))


def test_page_and_desk_agree_on_the_labeled_examples(browser, prepare_site, capsys):
    """The page's detector and the desk's (what `invoke review --json` reports) on the desk's labeled essays and
    clean controls, the detectors' own examples, the 240 generated essays of the recall corpus
    (tests/findings_corpus.py), the sample essays and the bench's synthetic ones: the same
    (kind, text, line) findings. (Phone numbers are found by libphonenumber-js on the page and by phonenumbers at
    the desk; the page gives libphonenumber-js the desk's local-only lengths, so both read the same numbers.)"""
    findings = ROOT / "tests" / "corpus" / "findings"
    paths = sorted(findings.glob("*.md")) + sorted(findings.glob("essays/*.md")) + sorted(findings.glob("control/*.md"))
    texts = [p.read_text("utf-8") for p in paths]
    texts += [p.read_text("utf-8") for p in sorted((CONTENT / "essays").glob("*.md"))]
    texts += [corpus.essay(random.Random(i), i) for i in range(20)]  # the bench's synthetic essays, headers too
    texts += _detector_examples()
    texts += [essay.text for essay in generated()]  # the recall corpus: Faker's names and places in eight locales
    with serve(prepare_site) as base:
        context, page, _, _ = _open(browser, base)
        page_found = page.evaluate(
            "(texts) => texts.map(t => UnsignedPrepare.detect(t).map(f => [f.kind, f.text, f.line]))", texts)
        missing = page.evaluate("document.getElementById('prepare-summary').textContent")
        context.close()
    both = union = 0
    kinds: dict[str, list[int]] = {}
    differ = []
    for text, js in zip(texts, page_found, strict=True):
        desk, ours = _desk_findings(text), Counter(tuple(x) for x in js)
        both += sum((desk & ours).values())
        union += sum((desk | ours).values())
        for found in desk | ours:
            kinds.setdefault(found[0], [0, 0])
            kinds[found[0]][0] += min(desk[found], ours[found])
            kinds[found[0]][1] += max(desk[found], ours[found])
        if desk != ours:
            differ.append({"desk only": list((desk - ours).elements()), "page only": list((ours - desk).elements())})
    with capsys.disabled():
        print(f"\nprepare page agreement with the desk: {both}/{union} findings ({both / union:.4f}); by kind: "
              + ", ".join(f"{k} {b}/{u}" for k, (b, u) in sorted(kinds.items())))
    assert union >= 2500 and {"name", "place", "institution", "age", "iban", "national-id"} <= set(kinds)
    assert "could not run" not in missing, missing  # every desk check runs on the page
    assert both / union >= 0.99, json.dumps(differ, indent=1)[:3000]


def test_page_weight_and_no_request_but_the_page(browser, prepare_site, capsys):
    """Opening the page is one request for one self-contained document (and the site's icon), within its budget."""
    with serve(prepare_site) as base:
        context = browser.new_context()
        responses = []
        page = context.new_page()
        page.on("response", lambda r: responses.append(r))
        page.goto(f"{base}/prepare/", wait_until="networkidle")
        page.wait_for_selector("html.prepare-ready")
        sizes = {r.url: len(r.body()) for r in responses}  # read while the page is open
        context.close()
    documents = [u for u in sizes if u.endswith("/prepare/")]
    assert documents and set(sizes) <= {*documents, f"{base}/theme/favicon.svg"}, sizes
    total = sum(sizes.values())
    with capsys.disabled():
        parts = ", ".join(f"{urlsplit(u).path} {n}" for u, n in sizes.items())
        print(f"\nprepare page weight: {total} bytes ({parts})")
    # The budget: the page's code, style and rules (~0.45 MB) and the desk's name, word and place data it needs to
    # agree with `invoke review` (~1.0 MB as deflate + base64; 1.48 MB in all, 0.91 MB gzipped), with room for
    # the data's next release, not for a second copy of it. Other pages keep their 30 KB (test_theme.py).
    assert total <= 1600 * 1024


def test_markdown_and_photos_beside_it(browser, prepare_site, desk_key, tmp_path):
    """A .md with a header that names the writer, a PNG and a JPEG beside it: cleaned, upright, sealed, opened."""
    md = tmp_path / "jane-draft3.md"
    md.write_text(f"Title: Night notes\nAuthor: {AUTHOR}\nEmail: {REPLY}\n\nThe ward was quiet.\n", "utf-8")
    png = tmp_path / "Screenshot 2026-05-17 at 06.41.09.png"
    png.write_bytes(gen.png_with_metadata())
    jpeg = tmp_path / "IMG_20260517_064109.jpg"
    jpeg.write_bytes(gen.jpeg_with_metadata(gen.corridor(300, 200), orientation=8))
    with serve(prepare_site) as base:
        context, page, recorder, errors = _open(browser, base)
        page.set_input_files("#prepare-files", [str(md), str(png), str(jpeg)])
        page.wait_for_selector("#prepare-photos li >> nth=1")
        removed = page.inner_text("#prepare-removed")
        for shown in ("jane-draft3.md", "Author", "Email", png.name, jpeg.name, "a text note", "GPS location"):
            assert shown in removed, shown
        text = page.input_value("#prepare-text")
        assert AUTHOR not in text and REPLY not in text and "(photo-1.png)" in text and "(photo-2.jpg)" in text
        assert page.input_value("#prepare-title") == "Night notes"
        sizes = page.evaluate("[...document.querySelectorAll('#prepare-photos img')].map(i => [i.naturalWidth, "
                              "i.naturalHeight])")
        assert sizes == [[320, 200], [200, 300]]  # orientation 8 applied by the redraw
        page.click("text=Leave out photo-2.jpg")  # the writer leaves one photo out: gone from the text too
        assert "photo-2.jpg" not in page.input_value("#prepare-text")
        assert page.locator("#prepare-photos li").count() == 1
        with page.expect_download() as download:
            page.click("#prepare-seal")
        sealed = tmp_path / "sealed.age"
        download.value.save_as(sealed)
        assert errors == [] and recorder.network_after_load() == []
        context.close()
    from anonymize.desk.sealed import open_sealed

    opened = open_sealed(sealed, desk_key[0])
    assert opened.reply is None and opened.title == "Night notes"
    assert set(opened.photos) == {"photo-1.png"} and "photo-2" not in opened.text
    exiftool = require_tool("exiftool")
    for name, data in opened.photos.items():
        path = tmp_path / name
        path.write_bytes(data)
        tags = subprocess.run([exiftool, "-a", "-G1", "-s", str(path)], capture_output=True, text=True).stdout
        for leak in ("GPS", "Orientation", gen.CAMERA_OWNER, gen.CAMERA_SERIAL, "planted", "Author", "Software:"):
            assert leak not in tags, (name, leak)
