"""Invoke tasks for Unsigned: argument parsing only; the work is in plugins/anonymize (desk/, audit/).

Run them as `.venv/bin/invoke TASK` from the repository root; `invoke --help TASK` describes every option.
Errors are one line per problem (`file: problem: what to do`) and exit status 1; `invoke --debug TASK` shows the
traceback instead.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

from anonymize.cli import Refused, port_number, task  # noqa: E402
from anonymize.desk import build as runner  # noqa: E402

PROJECT = runner.Project(ROOT)


@task(help={"content": "content folder holding essays/ and pages/ (default: content)",
            "output": "folder for the development build (default: output; never the published folder)",
            "settings": "Pelican settings file (default: pelicanconf.py)",
            "cache_path": "where Pelican, the scrub cache and the audit keep their caches (default: cache)"})
def build(c, content="content", output="output", settings="pelicanconf.py", cache_path=None):
    """Build the site with the anonymizing plugin, index it for search, then audit it (fails on any leak)."""
    runner.build(PROJECT, content, output, settings, cache_path)


@task(help={"output": "the built site to serve (default: output)", "port": "port on 127.0.0.1 (default: 8000)",
            "settings": "Pelican settings file (default: pelicanconf.py)"})
def serve(c, output="output", port="8000", settings="pelicanconf.py"):
    """Serve a built site on 127.0.0.1 only; Ctrl-C or SIGTERM stops it and everything it started."""
    number = port_number(port)
    runner.check_arguments(PROJECT, None, None, settings)
    runner.serve(PROJECT, output, number, settings)


@task(help={"content": "content folder (default: content)", "output": "development build folder (default: output)",
            "port": "port on 127.0.0.1 (default: 8000)", "settings": "Pelican settings file (default: pelicanconf.py)"})
def livereload(c, content="content", output="output", port="8000", settings="pelicanconf.py"):
    """Build, serve on 127.0.0.1, and build again on every change; each problem is reported once per change."""
    runner.livereload(PROJECT, content, output, port_number(port), settings)


@task(help={"output": "the development build to remove (default: output)"})
def clean(c, output="output"):
    """Remove the development build, the preview, the build report and the caches; never a published site."""
    for line in runner.clean(PROJECT, output):
        print(line)


@task(iterable=["path"], help={
    "path": "an image file or a folder of images; repeat it, or give them after a -- (invoke scrub --out DIR -- A B)",
    "out": "folder for the cleaned copies, named by content hash (required unless --show)",
    "show": "only list what each image carries and would lose; write nothing"})
def scrub(c, path=None, out=None, show=False):
    """Clean images before sending them: metadata out, pixels kept, originals never touched."""
    from anonymize.desk.image_files import scrub as scrub_images

    failures = scrub_images(list(path or []) + shlex.split(c.remainder), out, show)
    if failures:
        raise Refused(f"scrub: {failures} file(s) could not be cleaned (listed above): re-export them as JPEG or PNG")


# --- the editor's desk ---------------------------------------------------------------------------------------------
def _desk():
    from anonymize.desk.desk import for_project

    return for_project(ROOT)


@task(help={"identity": "where to create the desk's secret key (default: ANONYMIZE_DESK_IDENTITY, outside the repo)"})
def keygen(c, identity=None):
    """Create the desk's age key for sealed essays; print the public key for pelicanconf.py."""
    from anonymize.desk import sealed

    print(sealed.keygen_report(ROOT, identity))


@task(help={"file": "the contributor's file: .md, .txt, .html, .docx, or .age sealed by the prepare page (only read)",
            "images": "a folder of the images the essay shows (pictures inside a .docx are taken from it)",
            "title": "the title, for a .txt or a file without one",
            "identity": "the desk's age identity for a .age file (default: ANONYMIZE_DESK_IDENTITY)"})
def intake(c, file, images=None, title=None, identity=None):
    """Scrub a submission and commit it on its own branch submission/<id> under the desk identity, dated to the day."""
    if Path(file).suffix.lower() == ".age":
        from anonymize.desk import sealed

        print(sealed.intake_report(ROOT, Path(file), identity))
        return
    print(_desk().intake_report(Path(file), Path(images) if images else None, title))


@task(name="import", help={
    "format": "wordpress, blogger, medium or substack", "export": "the export file (.xml, .atom or .zip; only read)",
    "media": "a copy of the old site's uploads folder (images are never fetched)", "drafts": "import drafts too"})
def import_export(c, format, export, media=None, drafts=False):
    """Import a WordPress, Blogger, Medium or Substack export: each post a scrubbed submission on its own branch."""
    from anonymize.desk.importers import RichProgress, import_export, report_lines

    with RichProgress() as progress:
        result = import_export(_desk(), format, Path(export), Path(media) if media else None, drafts, progress)
    print("\n".join(report_lines(result)))


@task(help={"id": "one submission (default: every pending one)", "json": "print JSON",
                               "markdown": "print Markdown (for a private review channel only)"})
def review(c, id=None, json=False, markdown=False):
    """List the identifier findings of pending submissions (on their branches and in the working tree)."""
    from anonymize.desk.review import as_json, as_markdown, as_table, pending

    items = pending(_desk().repo, id or None)
    if id and not items:
        raise Refused(f"{id}: no pending submission with this id: invoke review lists them")
    print(as_json(items) if json else as_markdown(items) if markdown else as_table(items))


@task(help={"id": "submission id, or the slug of an accepted essay",
            "finding": "a finding the essay has, as 'kind: text' (e.g. 'name: Atul Gawande') or its text"})
def ack(c, id, finding):
    """Acknowledge a finding an editor judged public (stored in the essay's Acknowledged: header)."""
    _desk().acknowledge(id, finding)
    print(f"acknowledged in {id}: {finding}")


@task(help={"id": "submission id", "slug": "URL slug, one path segment (default: from the title)",
            "category": "category (default: the submission's, else Essays)"})
def accept(c, id, slug=None, category=None):
    """Move a submission to content/essays/ with a day (an imported page to content/pages/): one desk commit on main."""
    decision = _desk().accept(id, slug, category)
    print(f"accepted {id} as {decision.essay.relative_to(ROOT)}; undo with git revert")
    print("\n".join(decision.notes))


@task(help={"id": "submission id", "reason": "why (required; recorded in submissions/decisions.tsv)"})
def reject(c, id, reason=""):
    """Close a submission with a recorded reason: one desk commit on main; its branch deleted."""
    decision = _desk().reject(id, reason)
    print(f"rejected {id}")
    print("\n".join(decision.notes))


@task
def purge(c):
    """Remove decided submissions' originals from the repository for good (reflogs expired, unreachable objects)."""
    from anonymize.desk.purge import purge_and_report

    print(purge_and_report(_desk().repo))


@task(help={"id": "submission id", "output": "where to build (default: output-preview; git-ignored)"})
def preview(c, id, output="output-preview"):
    """Build the site with one pending submission in it, audited like any build, for the editor to look at."""
    page = runner.preview(PROJECT, id, output)
    print(f"preview: {page}  (serve it: .venv/bin/invoke serve --output {output})")


# --- audit and publish ---------------------------------------------------------------------------------------------
@task(help={"site": "the built site to audit (e.g. output or published)",
            "policy": "the build's hand-over (default: .unsigned/audit-policy.json when it exists)"})
def audit(c, site, policy=None):
    """Read a built site as an outsider would; exit 1 naming every leak."""
    runner.audit(PROJECT, site, policy)


@task(help={"content": "content folder (default: content)",
            "output": "the published site: a link swapped atomically into .sites/ (default: published)",
            "settings": "Pelican settings (default: publishconf.py)"})
def publish(c, content="content", output="published", settings="publishconf.py"):
    """Publish gate, build into a staging folder, audit it, then swap the published link to it atomically.

    The published folder is separate from the development build (output/), so `make site`, build and livereload
    keep working; a failed gate, build or audit leaves the published site as it was.
    """
    print(runner.publish(PROJECT, content, output, settings))


@task(help={"essays": "essays in the main corpus (default 1000)", "images": "photos the site corpus's essays show "
            "(default 0)", "runs": "runs per measurement, medians reported (default 5)", "large": "essays in the "
            "scaling corpus (default 10000; 0 skips it)", "photos": "12-MP photos for the image scrub comparison "
            "(default 24; 0 skips it)", "imports": "posts of the WordPress export to import (default 2000; 0 skips)"})
def bench(c, essays=1000, images=0, runs=5, large=10000, photos=24, imports=2000):
    """Measure the pipeline against bare Pelican, rebuilds, image scrubbing, scale, import; write bench/results.md."""
    sys.path.insert(0, str(ROOT))
    from bench.run import run

    run(int(essays), int(images), int(runs), int(large), int(photos), imports=int(imports))


@task(help={"misses": "also list every missed label and every finding on the clean control"})
def recall(c, misses=False):
    """Recall of the identifier findings per class on the labeled corpus, and false findings on the clean control."""
    sys.path.insert(0, str(ROOT))
    from bench.findings_recall import main

    sys.exit(main(show_misses=misses))
