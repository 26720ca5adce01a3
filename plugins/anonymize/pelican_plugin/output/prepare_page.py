"""The "Prepare your essay" page and the submit page's channels.

The prepare page must work with the network off after it has loaded, and as
one file saved from the browser and opened from disk. So everything it runs
is inside the page: our own scripts (theme/prepare/), the desk's findings
rules exported as JSON (findings_export.py), and one vendor bundle of the
npm packages pinned in package-lock.json (age-encryption to seal,
libphonenumber-js to find phone numbers as the desk's phonenumbers does),
bundled by esbuild from node_modules at build time. The page's
Content-Security-Policy allows exactly these inline scripts (by hash) and no
host at all. The assembled parts are kept in node_modules/.cache by the hash
of every input, as the vendor bundle is, so any build (a cold one too) whose
inputs did not change costs a few file reads.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import subprocess
from pathlib import Path

from anonymize.pelican_plugin import state
from anonymize.scrub.errors import AnonymizeError

logger = logging.getLogger("anonymize")

ROOT = Path(__file__).resolve().parents[4]  # the repository: plugins/anonymize/pelican_plugin/output/
CHANNELS = (
    ("ANONYMIZE_SUBMIT_EMAIL", "email"),
    ("ANONYMIZE_SUBMIT_SIGNAL", "Signal"),
    ("ANONYMIZE_SUBMIT_SECUREDROP", "SecureDrop"),
    ("ANONYMIZE_SUBMIT_POSTAL", "post"),
)
SCRIPTS = ("findings.js", "prepare.js")  # ours, in theme/prepare/, run after the vendor bundle
VENDOR_ENTRY = "vendor.mjs"
NPM_PACKAGES = ("age-encryption", "libphonenumber-js", "esbuild")
# The Python packages whose data the page's findings carry (names, word frequencies, IBAN formats).
DATA_PACKAGES = ("names", "gender-guesser", "wordfreq", "python-stdnum")


class PreparePageError(AnonymizeError):
    """The prepare page cannot be built (a missing npm package, a pattern JavaScript cannot express)."""


def channels(settings) -> list[dict[str, str]]:
    """The configured ways to send an essay, in a fixed order: [{"setting", "kind", "value"}]."""
    return [{"setting": key, "kind": kind, "value": str(settings.get(key) or "").strip()}
            for key, kind in CHANNELS if str(settings.get(key) or "").strip()]


def on_initialized(pelican) -> None:
    """Warn when the submit page would list no way to send an essay, or the prepare page could not seal."""
    settings = pelican.settings
    if not channels(settings):
        logger.warning("anonymize: no submission channel configured (%s): the submit page lists no way to send an "
                       "essay; set at least one in pelicanconf.py", ", ".join(key for key, _ in CHANNELS))
    if _wanted(settings) and not str(settings.get("ANONYMIZE_DESK_RECIPIENT") or "").startswith("age1"):
        logger.warning("anonymize: ANONYMIZE_DESK_RECIPIENT is not set to an age public key (age1...): the prepare "
                       "page cannot seal essays; run `invoke keygen` and put the key it prints in pelicanconf.py")


def _wanted(settings) -> bool:
    return "prepare" in (settings.get("DIRECT_TEMPLATES") or ())


def on_articles(generator) -> None:
    """Put the page's inlined parts into the template context (direct templates are written after this)."""
    settings = generator.settings
    generator.context["SUBMIT_CHANNELS"] = channels(settings)
    if _wanted(settings):
        try:
            generator.context["PREPARE_PAGE"] = page_parts(settings)
        except PreparePageError as err:
            state.current().errors.append(err)  # the build stops before writing, naming it with any other problem


def page_parts(settings) -> dict:
    """Scripts, style, data and the CSP for the page; cached by the hash of every input."""
    theme = Path(settings.get("THEME") or ROOT / "theme") / "prepare"
    modules = Path(settings.get("ANONYMIZE_NODE_MODULES") or ROOT / "node_modules")
    for package in NPM_PACKAGES:
        if not (modules / package / "package.json").is_file():
            raise PreparePageError(str(modules / package), "missing: run `npm ci --ignore-scripts` (package-lock.json "
                                   "pins what the prepare page bundles)")
    config = {"recipient": str(settings.get("ANONYMIZE_DESK_RECIPIENT") or "").strip()}
    # Kept with the vendor bundle and the word data it is made of: named by the hash of every input (the
    # findings' code and tables, the theme's files, the pinned packages), so a build's empty cache folder does not
    # make it pay the patterns' translation again for inputs that did not change.
    name = f"parts-{_inputs_hash(theme, modules)}.json"
    try:
        parts = json.loads(_kept(modules, name, lambda: json.dumps(_assemble(theme, modules))))
    except ValueError:  # a damaged copy: made again, and kept in its place
        (modules / ".cache" / "unsigned-prepare" / name).unlink(missing_ok=True)
        parts = json.loads(_kept(modules, name, lambda: json.dumps(_assemble(theme, modules))))
    parts["config"] = _json_safe(json.dumps(config))
    script_hashes = " ".join(f"'{_sha256(s)}'" for s in parts["scripts"])
    parts["csp"] = (f"default-src 'none'; img-src 'self' blob:; style-src '{_sha256(parts['style'])}'; "
                    "font-src 'self'; "
                    f"script-src {script_hashes}; connect-src 'none'; worker-src 'none'; frame-src 'none'; "
                    "object-src 'none'; media-src 'none'; manifest-src 'none'; base-uri 'none'; form-action 'none'")
    return parts


def _inputs_hash(theme: Path, modules: Path) -> str:
    from anonymize.scrub import findings, findings_export, regex_js, text_scrub
    from anonymize.scrub.rules import RULES_DIR

    h = hashlib.sha256()
    files = sorted(theme.glob("*")) + sorted(Path(findings.__file__).parent.glob("*"))
    files += [Path(regex_js.__file__), Path(text_scrub.__file__), Path(findings_export.__file__), Path(__file__),
              RULES_DIR / "text.toml", theme.parent / "static" / "css" / "style.css"]
    files += [modules / p / "package.json" for p in NPM_PACKAGES]
    for path in files:
        if path.is_file():
            h.update(str(path.name).encode() + b"\0" + path.read_bytes())
    import unicodedata

    h.update(unicodedata.unidata_version.encode())
    h.update(_data_versions().encode())
    return h.hexdigest()[:24]


def _data_versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for package in DATA_PACKAGES:
        try:
            out.append(f"{package}=={version(package)}")
        except PackageNotFoundError:
            out.append(f"{package} missing")
    return " ".join(out)


def _lexicon_blob(modules: Path) -> str:
    """The desk's name, word and place data packed for the page (findings_export.lexicon_text), kept beside the
    vendor bundle: it depends only on the findings data and code and the installed data packages, and making it
    reads them all (about 2.5 s of CPU), which a cold build should not pay again for unchanged inputs."""
    from anonymize.scrub import findings, findings_export

    h = hashlib.sha256(_data_versions().encode())
    for path in sorted(Path(findings.__file__).parent.glob("*")) + [Path(findings_export.__file__)]:
        if path.is_file():
            h.update(path.name.encode() + b"\0" + path.read_bytes())
    return _kept(modules, f"lexicon-{h.hexdigest()[:24]}.txt", findings_export._lexicon_blob)


def _kept(modules: Path, name: str, make) -> str:
    """The text kept in node_modules/.cache/unsigned-prepare/`name` (named by the hash of what it is made of), or
    `make()`'s, written there atomically in place of the earlier ones of its kind; a read-only node_modules only
    means it is made again next time."""
    cached = modules / ".cache" / "unsigned-prepare" / name
    try:
        return cached.read_text("utf-8")
    except OSError:
        pass
    text = make()
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        for old in cached.parent.glob(name.split("-", 1)[0] + "-*" + cached.suffix):
            old.unlink(missing_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, "utf-8")
        os.replace(tmp, cached)
    except OSError:
        pass
    return text


def _assemble(theme: Path, modules: Path) -> dict:
    from anonymize.scrub.findings_export import export_json
    from anonymize.scrub.regex_js import Untranslatable

    try:
        data = export_json(lambda: _lexicon_blob(modules))
    except Untranslatable as exc:
        raise PreparePageError("prepare page", f"{exc}: write the pattern without it") from None
    vendor = _vendor(theme / VENDOR_ENTRY, modules)
    ours = [(theme / name).read_text("utf-8") for name in SCRIPTS]
    style = (theme.parent / "static" / "css" / "style.css").read_text("utf-8")  # the site's own, inlined
    style += "\n" + (theme / "prepare.css").read_text("utf-8")
    return {"scripts": [_script_safe(vendor), *(_script_safe(s) for s in ours)], "data": _json_safe(data),
            "style": style.replace("</", "<\\/"), "bytes": len(vendor) + len(data) + sum(map(len, ours))}


def _vendor(entry: Path, modules: Path) -> str:
    """The vendor bundle, kept beside the packages it is made of (node_modules/.cache, which `npm ci` replaces).

    It depends on nothing but the pinned packages and the entry file, like an install's compiled files, so
    emptying the build's caches does not make every cold build pay esbuild's ~1 s again.
    """
    h = hashlib.sha256(entry.read_bytes())
    for package in NPM_PACKAGES:
        h.update((modules / package / "package.json").read_bytes())
    return _kept(modules, f"vendor-{h.hexdigest()[:24]}.js", lambda: _bundle(entry, modules))


def _bundle(entry: Path, modules: Path) -> str:
    """The npm packages the page needs, as one script (esbuild from node_modules; licence notices kept)."""
    esbuild = modules / "esbuild" / "bin" / "esbuild"
    try:
        done = subprocess.run(
            [str(esbuild), "--bundle", "--minify", "--format=iife", "--charset=ascii", "--legal-comments=eof",
             "--target=es2022", f"--sourcefile={entry.name}", "--log-level=error"],
            input=entry.read_text("utf-8"), capture_output=True, text=True, cwd=modules.parent, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PreparePageError(str(esbuild), f"cannot run ({exc}): run `npm ci --ignore-scripts`") from None
    if done.returncode != 0:
        first = done.stderr.strip().splitlines()[0] if done.stderr.strip() else ""
        raise PreparePageError(str(entry), f"esbuild failed: {first}")
    return done.stdout


def _script_safe(text: str) -> str:
    """Text that cannot end the <script> element it is written into."""
    return text.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT").replace("<!--", "<\\!--")


def _json_safe(text: str) -> str:
    """JSON that cannot end the <script type="application/json"> element it is written into."""
    return text.replace("<", "\\u003c")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
