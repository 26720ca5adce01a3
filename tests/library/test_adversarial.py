"""Our adversarial essays, built end to end: nothing third-party, no tracking, all the prose.

The judge here is independent of the scrubber: it reads every output file
(pages, feeds, sitemap, search index) as text and looks for what was planted.
"""

from __future__ import annotations

import gzip
import html
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, output_files, run_build

CORPUS = ROOT / "tests" / "corpus" / "adversarial"

PLANTED = [
    "TrackMe123", "PlantedShareToken", "PlantedSpotifyToken", "PlantedReddit", "planted-affiliate", "plantedref",
    "plantedRecipientToken", "planted.recipient", "plantedsig", "planted.author", "plantedusername",
    "Planted Author Name", "planted-comment-secret", "PlantedShort", "mibextid", "igsh", "twsrc",
]
WRAPPERS = ["safelinks.protection.outlook.com", "urldefense", "l.facebook.com", "google.com/url", "t.co/",
            "list-manage.com", "platform.twitter.com", "instagram.com/embed.js", "facebook.com/plugins"]
TRACKING_PARAM = re.compile(r"[?&#](?:utm_[a-z]+|fbclid|gclid|si|share_id|tag|r|igshid|ref_src|mc_eid)=", re.I)
INVISIBLE = re.compile("[\u200b\u200c\u2060\ufeff\u202a-\u202e\u2066-\u2069\U000e0041-\U000e005a]")

PROSE = {
    "embeds": [
        "The first sentence of this essay is ordinary prose about night shifts.",
        "The second sentence survives every embed above it.",
        "The third sentence carries an event handler and a style.",
        "The last sentence closes the essay.",
    ],
    "social": [
        "The opening sentence introduces a quoted post.",
        "Staffing ratios are a safety issue, not a luxury.",
        "Rest is part of the job, not a reward for finishing it.",
        "The closing sentence follows the widgets.",
    ],
    "links": [
        "The first sentence points to a guideline wrapped by the mail gateway.",
        "A second sentence cites a study through another gateway.",
        "A third sentence links the new gateway format too.",
        "The fourth sentence has a search result and a shared post.",
        "The fifth sentence shares a video, a podcast and a thread.",
        "The sixth sentence recommends a book and a newsletter.",
        "The seventh sentence says write to me and opens my draft.",
        "The eighth sentence has a hotlinked picture: A ward corridor and a pixel .",
        "The last sentence links a short link that cannot be unwrapped.",
    ],
    "hidden": [
        "The first sentence carries zero-width watermark characters.",
        "The second sentence hides a reversed run and an isolate here.",
        "The third sentence keeps a health worker emoji \U0001F9D1\u200D\u2695\uFE0F and a flag",
        "The fourth sentence has tag characters after it.",
        "The last sentence is plain.",
    ],
}


@pytest.fixture(scope="module")
def adversarial(tmp_path_factory):
    out = tmp_path_factory.mktemp("adversarial") / "output"
    result = run_build(CORPUS, out)
    assert result.returncode == 0, result.log
    assert result.report is not None, result.log
    return out, result.report


def every_text(out: Path) -> dict[str, str]:
    """Every output file as text, search index fragments decompressed."""
    texts = {}
    for path in output_files(out):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        if path.suffix in {".jpg", ".jpeg", ".png", ".webp", ".gif", ".wasm"}:
            continue
        text = data.decode("utf-8", "replace")
        if str(path.relative_to(out)) == "prepare/index.html":
            # The prepare page holds no essay text, only its own inlined code (minified library code reads like
            # "?r=" to a URL pattern); its text and markup are still read.
            text = re.sub(r"(<script\b[^>]*>).*?(</script>)", r"\1\2", text, flags=re.S)
        texts[str(path.relative_to(out))] = text
    return texts


def test_no_planted_token_or_wrapper_anywhere(adversarial):
    out, _ = adversarial
    problems = []
    for name, text in every_text(out).items():
        for variant in (text, html.unescape(text)):
            problems += [(name, token) for token in PLANTED + WRAPPERS if token in variant]
            problems += [(name, m.group(0)) for m in TRACKING_PARAM.finditer(variant)]
    assert sorted(set(problems)) == []


def test_no_third_party_resource_in_any_page(adversarial):
    out, _ = adversarial
    for page in out.rglob("*.html"):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        for el in soup.find_all(True):
            for attr in ("src", "srcset", "data", "poster", "background", "action", "formaction"):
                value = el.get(attr)
                if value:
                    assert not re.match(r"\s*(?:[a-z]+:)?//", value, re.I), (page, el.name, attr, value)
            if el.name == "link":
                assert not re.match(r"\s*(?:[a-z]+:)?//", el.get("href", ""), re.I), (page, el)
            assert not any(a.lower().startswith("on") for a in el.attrs), (page, el.name)
            assert "url(" not in (el.get("style") or ""), page
        assert not soup.find_all(["iframe", "object", "embed", "form", "frame"]), page
        ours = re.compile(r"(\.\./)*(pagefind|theme/js)/")
        scripts = [s for s in soup.find_all("script") if s.get("src") and not ours.match(s["src"])]
        assert scripts == [], page


def test_every_sentence_of_prose_survives(adversarial):
    out, _ = adversarial
    for slug, sentences in PROSE.items():
        page = BeautifulSoup((out / "essays" / slug / "index.html").read_text("utf-8"), "html.parser")
        text = " ".join(page.find("div", class_="body").get_text(" ").split())
        text = re.sub(r"\s+([.,:])", r"\1", text)
        for sentence in sentences:
            expected = re.sub(r"\s+([.,:])", r"\1", sentence)
            assert expected in text, (slug, sentence)


def test_invisible_characters_gone_emoji_kept(adversarial):
    out, _ = adversarial
    page = (out / "essays" / "hidden" / "index.html").read_text("utf-8")
    assert not INVISIBLE.search(page)
    assert "\U0001F9D1\u200D\u2695\uFE0F" in page
    assert "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F" in page


def test_links_keep_their_real_targets(adversarial):
    out, _ = adversarial
    page = (out / "essays" / "links" / "index.html").read_text("utf-8")
    for target in ["https://www.jointcommission.org/resources/", "https://www.nih.gov/news-events/",
                   "https://www.ahrq.gov/patient-safety/", "https://www.nejm.org/doi/full/10.1056/NEJMp1",
                   "https://www.kff.org/health-costs/", "https://youtu.be/dQw4w9WgXcQ",
                   "https://open.spotify.com/episode/4abc", "https://www.amazon.com/dp/0374533555/",
                   "https://doctorwrites.substack.com/p/on-call", "https://images.example-cdn.com/ward.jpg"]:
        assert f'href="{target}"' in page, target


def test_every_class_is_reported_per_essay(adversarial):
    _, report = adversarial
    kinds = {s["source"]: {e["kind"] for e in s["entries"]} for s in report["sources"]}
    assert {"element", "embed", "event-handler", "remote-resource"} <= kinds["essays/embeds.md"]
    assert {"social-widget"} <= kinds["essays/social.md"]
    assert {"redirect-wrapper", "tracking-param", "link-target", "tracking-pixel", "remote-resource"} \
        <= kinds["essays/links.md"]
    assert {"invisible-character", "html-comment"} <= kinds["essays/hidden.md"]
