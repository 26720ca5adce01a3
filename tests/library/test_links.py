"""Every rule in rules/urls.toml, checked by its own examples, plus the schemes and private documents."""

from __future__ import annotations

import pytest
from anonymize.scrub.links import clean_url, rules

EXAMPLES = [
    pytest.param(src, expected, id=f"{p.name}: {src[:60]}")
    for p in rules().providers
    for src, expected in p.examples
]


def test_every_provider_has_an_example():
    assert [p.name for p in rules().providers if not p.examples] == []


@pytest.mark.parametrize("src, expected", EXAMPLES)
def test_rule_example(src, expected):
    cleaned, changes = clean_url(src)
    assert (cleaned or "") == expected
    if expected != src:
        assert changes, "every change is reported"


@pytest.mark.parametrize("url", rules().private_examples)
def test_private_documents_become_findings(url):
    cleaned, changes = clean_url(url)
    assert any(c.kind == "private-document" and c.finding for c in changes)


@pytest.mark.parametrize("url", ["mailto:jdoe@hospital.example", "file:///C:/Users/jdoe/Desktop/draft.docx",
                                 "tel:+15550142231", "smb://fileserver/share/rota.xlsx"])
def test_mailto_and_file_lose_their_target(url):
    cleaned, changes = clean_url(url)
    assert cleaned is None
    assert changes[0].kind == "link-target" and changes[0].finding


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " java\tscript:alert(1)",
                                 "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox"])
def test_unsafe_schemes_are_dropped(url):
    cleaned, _ = clean_url(url)
    assert cleaned is None


def test_nested_wrappers_are_all_unwrapped():
    inner = "https%3A%2F%2Fl.facebook.com%2Fl.php%3Fu%3Dhttps%253A%252F%252Fexample.org%252Fx%253Futm_source%253Dfb"
    cleaned, changes = clean_url(f"https://nam12.safelinks.protection.outlook.com/?url={inner}&data=05")
    assert cleaned == "https://example.org/x"
    assert [c.kind for c in changes].count("redirect-wrapper") == 2


def test_relative_and_internal_links_are_untouched():
    for url in ["/essays/x/", "../about/", "#footnote-1", "{filename}/essays/x.md", "?page=2"]:
        assert clean_url(url) == (url, [])
