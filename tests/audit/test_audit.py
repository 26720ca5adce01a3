"""The audit against planted leaks: each class fails and names the file; the clean site passes.

The sites here are copies of the sample site built once per session; each
test plants exactly one leak in its own copy.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import imagegen as gen
import pytest
from anonymize import paths
from anonymize.audit import Policy, audit_site
from blake3 import blake3
from conftest import ROOT, run_build, settings_with

POLICY = Policy(pseudonyms=frozenset({"Anonymous", "Night Float"}), site_hosts=frozenset({"unsigned.example"}))
MIDNIGHT = 1_767_225_600  # 2026-01-01 00:00 UTC


def _essay(root: Path) -> Path:
    return root / "essays" / "the-quiet-exit" / "index.html"


def _edit(path: Path, old: str, new: str) -> str:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")
    os.utime(path, (MIDNIGHT, MIDNIGHT))
    return str(path)


def _into_body(root: Path, html: str) -> str:
    return _edit(_essay(root), '<div class="body">', '<div class="body">' + html)


def _write(path: Path, data: bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (MIDNIGHT, MIDNIGHT))
    return str(path)


def _hashed(data: bytes, ext: str) -> str:
    return blake3(data).hexdigest()[:20] + ext


def _published_jpeg(root: Path) -> bytes:
    return next((root / "images").glob("*.jpg")).read_bytes()


def _touch(path: Path, when: int) -> str:
    os.utime(path, (when, when))
    return str(path)


PNG_WITH_TEXT = gen.png_with_metadata()
JPEG_WITH_EXIF = gen.jpeg_with_metadata()

LEAKS = {
    "remote script": lambda r: _into_body(r, '<script src="https://cdn.tracker.example/a.js"></script>'),
    "remote stylesheet": lambda r: _into_body(r, '<link rel="stylesheet" href="https://fonts.googleapis.com/css">'),
    "remote font in css": lambda r: _edit(r / "theme" / "css" / "style.css", ":root",
                                          "@font-face{src:url(https://fonts.gstatic.com/x.woff2)}\n:root"),
    "css import": lambda r: _edit(r / "theme" / "css" / "style.css", ":root", "@import 'https://evil.example/x.css';\n:root"),
    "remote image": lambda r: _into_body(r, '<img src="https://images.example-cdn.com/a.jpg" alt="">'),
    "protocol-relative image": lambda r: _into_body(r, '<img src="//images.example-cdn.com/a.jpg" alt="">'),
    "iframe": lambda r: _into_body(r, '<iframe src="/local.html"></iframe>'),
    "srcset": lambda r: _into_body(r, '<img src="/a.jpg" srcset="https://cdn.example/b.jpg 2x" alt="">'),
    "inline style url": lambda r: _into_body(r, '<p style="background:url(https://t.example/p.png)">x</p>'),
    "video poster": lambda r: _into_body(r, '<video poster="https://t.example/p.jpg"></video>'),
    "tracking parameter": lambda r: _into_body(r, '<a href="https://www.cdc.gov/?utm_source=mail">cdc</a>'),
    "share token": lambda r: _into_body(r, '<a href="https://youtu.be/abc?si=XyZ">video</a>'),
    "redirect wrapper": lambda r: _into_body(
        r, '<a href="https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fa.example%2F&amp;data=1">a</a>'),
    "mailto link": lambda r: _into_body(r, '<a href="mailto:someone@hospital.org">write</a>'),
    "email address": lambda r: _into_body(r, "<p>Write to j.doe@stvalentine-health.org today.</p>"),
    "phone number": lambda r: _into_body(r, "<p>Call the ward on (212) 736-5000 tonight.</p>"),
    "phone number split by markup": lambda r: _into_body(r, "<p>Call the ward on (212) 736-<b>50</b>00.</p>"),
    "html comment": lambda r: _into_body(r, "<!-- note from the editor -->"),
    "zero-width character": lambda r: _into_body(r, "<p>pa\u200btient</p>"),
    "bidi override": lambda r: _into_body(r, "<p>\u202egnp.exe</p>"),
    "meta author": lambda r: _edit(_essay(r), "<head>", '<head><meta name="author" content="Jane Doe">'),
    "meta generator": lambda r: _edit(_essay(r), "<head>", '<head><meta name="generator" content="Pelican 4.12">'),
    "feed author": lambda r: _edit(r / "feeds" / "all.atom.xml", "<name>Anonymous</name>", "<name>Jane Doe</name>"),
    "feed tracking link": lambda r: _edit(r / "feeds" / "all.atom.xml", "<id>",
                                          "<link href=\"https://a.example/?fbclid=1\"/><id>"),
    "sitemap wrapper": lambda r: _edit(r / "sitemap.xml", "<loc>", "<loc>https://l.facebook.com/l.php?u=https%3A%2F%2Fa.example</loc><loc>"),
    "jpeg exif": lambda r: _write(r / "images" / _hashed(JPEG_WITH_EXIF, ".jpg"), JPEG_WITH_EXIF),
    "png text chunk": lambda r: _write(r / "images" / _hashed(PNG_WITH_TEXT, ".png"), PNG_WITH_TEXT),
    "gif comment": lambda r: _write(r / "images" / _hashed(gen.gif_with_metadata(), ".gif"), gen.gif_with_metadata()),
    "webp exif": lambda r: _write(r / "images" / _hashed(gen.webp_with_metadata(), ".webp"), gen.webp_with_metadata()),
    "source file name": lambda r: _write(r / "images" / "IMG_20240305_143107.jpg", _published_jpeg(r)),
    "image name not a hash": lambda r: _write(r / "images" / "corridor.jpg", _published_jpeg(r)),
    "mtime with time of day": lambda r: _touch(_essay(r), MIDNIGHT + 52_260),
    # issue 13: markup from header values, escaped markup in essay text, characters XML forbids
    "title breaks out into the head": lambda r: _edit(_essay(r), "<title>", "<title></title><script>alert(1)</script>"
                                                      "<title>"),
    "description breaks out of its attribute": lambda r: _edit(
        _essay(r), '<meta name="description" content="', '<meta name="description" content=""><meta http-equiv='
        '"refresh" content="0"><meta name="x" content="'),
    "handler after a slash": lambda r: _into_body(r, "<svg/onload=alert(1)>"),
    "handler after a quoted value": lambda r: _into_body(r, "<a href='/x/'target='_blank'onclick='alert(1)'>x</a>"),
    "live markup in the heading": lambda r: _edit(_essay(r), "<h1>", "<h1><img src=\"/x.png\" alt=\"\">"),
    "live markup in the meta line": lambda r: _edit(_essay(r), '<p class="meta">', '<p class="meta"><svg></svg>'),
    "escaped markup in essay text": lambda r: _into_body(
        r, "<p>&lt;a href='https://twitter.com/intent/tweet?url=x%3Fp%3D75608'&gt;a quote&lt;/a&gt;</p>"),
    "live markup in the summary": lambda r: _edit(_essay(r), '<div class="deck">', '<div class="deck"><img src=x>'),
    "escaped script in feed content": lambda r: _edit(r / "feeds" / "all.atom.xml", '<content type="html">',
                                                      '<content type="html">&amp;lt;script&amp;gt;'),
    "forbidden character in a page": lambda r: _into_body(r, "<p>start\x01of heading</p>"),
    "forbidden character in a feed": lambda r: _edit(r / "feeds" / "all.atom.xml", "<title>", "<title>\ufffe"),
    "search index email": lambda r: _write(r / "pagefind" / "fragment" / "en_abc.pf_fragment",
                                           gzip.compress(b'pagefind_dcd{"content":"mail j.doe@hospital.org"}')),
}


@pytest.fixture(scope="module")
def clean_site(site, tmp_path_factory):
    root = tmp_path_factory.mktemp("audit") / "clean"
    shutil.copytree(site.output, root, copy_function=shutil.copy2)
    return root


def test_clean_site_passes(clean_site):
    assert audit_site(clean_site, POLICY) == []


@pytest.mark.parametrize("leak", sorted(LEAKS))
def test_each_planted_leak_fails_and_names_the_file(leak, clean_site, tmp_path):
    root = tmp_path / "site"
    shutil.copytree(clean_site, root, copy_function=shutil.copy2)
    planted = Path(LEAKS[leak](root))
    problems = audit_site(root, POLICY)
    assert problems, f"the audit missed: {leak}"
    assert str(planted.relative_to(root)) in {p.path for p in problems}, problems


def test_text_that_looks_like_markup_passes_where_it_is_text(clean_site, tmp_path):
    """Escaped markup is text in a title, a feed title and quoted code: the audit does not cry wolf."""
    root = tmp_path / "site"
    shutil.copytree(clean_site, root, copy_function=shutil.copy2)
    _edit(_essay(root), "<h1>", "<h1>&lt;svg/onload=alert(1)&gt; ")
    _into_body(root, "<p>Quoted: <code>&lt;script src=x&gt;</code></p>")
    _edit(root / "feeds" / "all.atom.xml", "<title>", "<title>&lt;img src=x onerror=alert(1)&gt; ")
    # a Summary is header text: shown as written in the deck, the description and the feeds' summaries
    _edit(_essay(root), '<div class="deck">', '<div class="deck">&lt;svg/onload=alert(1)&gt; ')
    _edit(_essay(root), '<meta name="description" content="', '<meta name="description" content="&lt;b&gt; ')
    _edit(root / "feeds" / "all.atom.xml", '<summary type="html">', '<summary type="html">&amp;lt;b&amp;gt; ')
    _edit(root / "feeds" / "all.rss.xml", "<description>", "<description>&amp;lt;b&amp;gt; ")
    assert audit_site(root, POLICY) == []


def test_acknowledged_values_pass(clean_site, tmp_path):
    root = tmp_path / "site"
    shutil.copytree(clean_site, root, copy_function=shutil.copy2)
    _into_body(root, "<p>The board's public address is press@nhs-board.org.</p>")
    assert audit_site(root, POLICY)
    acknowledged = Policy(POLICY.pseudonyms, frozenset({"press@nhs-board.org"}), POLICY.site_hosts)
    assert audit_site(root, acknowledged) == []


def test_invoke_audit_exit_code_and_output(site, clean_site, tmp_path):
    invoke = str(Path(sys.executable).parent / "invoke")
    # a copy of the built folder keeps its build's hand-over (the same pages): pen names pass
    handover = paths.policy_path({"ANONYMIZE_REPORT_PATH": str(site.report_path)}, site.output)
    ok = subprocess.run([invoke, "audit", str(clean_site), "--policy", handover], cwd=ROOT, capture_output=True,
                        text=True)
    assert ok.returncode == 0, ok.stderr
    root = tmp_path / "site"
    shutil.copytree(clean_site, root, copy_function=shutil.copy2)
    LEAKS["remote script"](root)
    bad = subprocess.run([invoke, "audit", str(root), "--policy", handover], cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode != 0
    assert "essays/the-quiet-exit/index.html: <script src> loads from another host" in bad.stderr


@pytest.mark.parametrize("leak", sorted(LEAKS))
def test_audit_cache_never_hides_a_leak(leak, clean_site, tmp_path):
    """The build's audit reuses results for unchanged bytes; every planted leak is still caught."""
    root, cache = tmp_path / "site", tmp_path / "audit-cache"
    shutil.copytree(clean_site, root, copy_function=shutil.copy2)
    assert audit_site(root, POLICY, cache_dir=cache) == []
    assert list(cache.glob("audit-*.json")), "the clean audit left no cache"
    planted = Path(LEAKS[leak](root))
    problems = audit_site(root, POLICY, cache_dir=cache)
    assert str(planted.relative_to(root)) in {p.path for p in problems}, problems
    # and the same answer again, now that the leaking file's result is cached too
    assert audit_site(root, POLICY, cache_dir=cache) == problems


def test_audit_cache_is_per_policy(clean_site, tmp_path):
    """An acknowledgement withdrawn makes a cached pass invalid: the cache is keyed by the policy."""
    root, cache = tmp_path / "site", tmp_path / "audit-cache"
    shutil.copytree(clean_site, root, copy_function=shutil.copy2)
    _into_body(root, "<p>The board's public address is press@nhs-board.org.</p>")
    acknowledged = Policy(POLICY.pseudonyms, frozenset({"press@nhs-board.org"}), POLICY.site_hosts)
    assert audit_site(root, acknowledged, cache_dir=cache) == []
    assert audit_site(root, POLICY, cache_dir=cache)


def test_build_checks_pages_ahead_and_still_fails_on_a_leak(content_copy, tmp_path):
    """`invoke build` checks pages as Pelican writes them (on an idle core); a leak still fails the build by name."""
    essay = content_copy / "essays" / "the-metrics.md"
    essay.write_text(essay.read_text("utf-8") + "\nCall the ward on 617-555-0142 if you doubt it.\n", "utf-8")
    result = run_build(content_copy, tmp_path / "out", "--cache-path", str(tmp_path / "cache"),
                       settings=settings_with(tmp_path, ANONYMIZE_WORKERS=2))
    assert result.returncode != 0
    ahead = re.search(r"(\d+) pages checked ahead of the audit", result.log)
    assert ahead and int(ahead[1]) > 0, result.log
    assert re.search(r"audit: essays/[a-z0-9-]+/index\.html: phone number: 617-555-0142", result.log), result.log
    assert list((tmp_path / "cache" / "audit").glob("audit-*.json"))


def test_digit_run_pattern_equals_the_plain_one():
    """RAW_DIGITS is written for speed; it must find exactly the runs `\\+?\\d(...)*\\d` finds."""
    import itertools
    import re

    from anonymize.audit.text import RAW_DIGITS

    plain = re.compile(r"\+?\d(?:[\d ().-]|<[^<>]*>)*\d")
    alphabet = ["+", "1", "\u0663", " ", "(", "-", "<b>", "<", ">", "a", "."]
    for n in range(1, 6):
        for parts in itertools.product(alphabet, repeat=n):
            text = "".join(parts)
            assert [m.span() for m in RAW_DIGITS.finditer(text)] == [m.span() for m in plain.finditer(text)], text


def test_long_digit_runs_hold_every_run_a_phone_number_could_be():
    """LONG_RAW_DIGITS (the phone check's first look) finds each of RAW_DIGITS' runs holding 7 digits or more,
    where it is; what else it finds (digits inside a tag a short run passes through) is only looked at more."""
    import random

    from anonymize.audit.text import INLINE_TAG, LONG_RAW_DIGITS, RAW_DIGITS

    assert LONG_RAW_DIGITS.pattern != RAW_DIGITS.pattern
    rng = random.Random(7)
    alphabet = ["+", "1", "2", "\u0663", " ", "(", ")", "-", ".", "<b>", "</b>", "<", ">", "a", "<a href='12345678'>"]
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 16)))
        long_runs = {m.span() for m in LONG_RAW_DIGITS.finditer(text)}
        for m in RAW_DIGITS.finditer(text):
            if sum(c.isdigit() for c in INLINE_TAG.sub(" ", m.group(0))) >= 7:
                assert m.span() in long_runs, text


@pytest.mark.parametrize("text", [
    "plain ascii, nothing hidden",
    "caf\u00e9 \u00ad soft hyphen, zero\u200bwidth, \u202eoverride\u202c",
    "emoji \U0001F469\u200d\u2695\ufe0f kept, then a tag \U000E0041 alone and \U0001D173 a musical format mark",
    "a flag \U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F and \u200c between latin",
    "\ud800 a lone surrogate, \ufeff a BOM, \U000E0100 a variation selector alone",
])
def test_hidden_characters_found_alike_with_and_without_characters_beyond_the_bmp(text, monkeypatch):
    """The audit picks a faster pattern for text with no character above U+FFFF: both find the same."""
    from anonymize.audit import text as audit_text

    assert audit_text._beyond_bmp(text) == any(ord(c) > 0xFFFF for c in text)
    chosen = audit_text._hidden(text)
    monkeypatch.setattr(audit_text, "_beyond_bmp", lambda _text: True)  # the full pattern, always
    assert chosen == audit_text._hidden(text)
    assert bool(chosen) != text.isascii()
