"""Every rule of our own in rules/urls.toml, checked by its own examples, plus the schemes, private documents,
mail gateways and the legitimate parameters that must survive (the lists' rules: test_links_lists.py)."""

from __future__ import annotations

import pytest
from anonymize.scrub.links import clean_url, rules

EXAMPLES = [
    pytest.param(src, expected, id=f"{p.name}: {src[:60]}")
    for p in rules().providers
    if p.source == "ours"
    for src, expected in p.examples
]


def test_every_provider_has_an_example():
    assert [p.name for p in rules().providers if p.source == "ours" and not p.examples] == []


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


@pytest.mark.parametrize("url", rules().legitimate)
def test_legitimate_parameters_survive(url):
    """Zero over-cleaning: each of these links from real sites comes out exactly as it went in."""
    assert clean_url(url) == (url, [])


def test_the_legitimate_table_is_large_enough():
    assert len(rules().legitimate) >= 44


@pytest.mark.parametrize("url", [
    "https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fexample.org%2Fa&data=05%7C02%7Cjdoe%40hospital.org",
    "https://urldefense.com/v3/__https://example.org/a__;!!ABCD!sig$",
    "https://imsva91-ctp.trendmicro.com:443/wis/clicktime/v1/query?url=https%3a%2f%2fexample.org%2fa&umid=1",
    "https://protect2.fireeye.com/v1/url?k=1&u=https%3A%2F%2Fexample.org%2Fa",
])
def test_a_mail_gateway_is_unwrapped_and_named_in_a_finding(url):
    cleaned, changes = clean_url(url)
    assert cleaned == "https://example.org/a"
    assert [c.kind for c in changes][:2] == ["redirect-wrapper", "mail-gateway"]
    assert changes[1].finding and "mail security gateway" in changes[1].what


def test_a_mail_gateway_inside_another_wrapper_is_still_named():
    inner = "https%3A%2F%2Furldefense.com%2Fv3%2F__https%3A%2F%2Fexample.org%2Fb__%3B%21%21X%21sig%24"
    cleaned, changes = clean_url(f"https://www.google.com/url?q={inner}&sa=D")
    assert cleaned == "https://example.org/b"
    assert [(c.kind, c.finding) for c in changes] == [("redirect-wrapper", False), ("redirect-wrapper", False),
                                                       ("mail-gateway", True)]
    assert "Proofpoint" in changes[2].what


@pytest.mark.parametrize("url", ["https://goo.gl/abc", "https://forms.gle/x", "https://maps.app.goo.gl/x",
                                 "https://amzn.to/x", "https://a.co/d/x", "https://vm.tiktok.com/x/",
                                 "https://www.reddit.com/r/medicine/s/AbC", "https://url.uk.m.mimecastprotect.com/s/x"])
def test_short_links_and_opaque_wrappers_stay_findings(url):
    cleaned, changes = clean_url(url)
    assert cleaned is None and changes and all(c.finding for c in changes)
    if "mimecast" in url:
        assert "mail security gateway" in changes[0].what


def test_repeated_and_double_encoded_wrappers():
    once = "https%3A%2F%2Fexample.org%2Fz%3Futm_source%3Dx"
    twice = once.replace("%", "%25")
    for url in (f"https://slack-redir.net/link?url={twice}",
                f"https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fnam12.safelinks.protection."
                f"outlook.com%2F%3Furl%3D{twice}%26data%3D1&data=2"):
        assert clean_url(url)[0] == "https://example.org/z"


def test_path_embedded_tracking_and_host_labels():
    assert clean_url("https://www.amazon.de/gp/product/B01/ref=ppx_yo_dt_b?ie=UTF8&psc=1")[0] == \
        "https://www.amazon.de/gp/product/B01?psc=1"
    assert clean_url("https://hospital.us1.list-manage.com/track/click?u=1&id=2")[0] is None
    assert clean_url("https://d2v8.na1.hubspotlinks.com/Ctc/x")[0] is None


def test_the_audit_agrees_with_the_scrubber_on_every_example():
    """The audit reads the same tables with its own code: what the scrubber leaves passes, what it changes fails."""
    from anonymize.audit.links import check_link

    for p in rules().providers:
        if p.source != "ours":
            continue
        for src, expected in p.examples:
            if expected:
                assert check_link(expected) == [], (p.name, expected)
            if expected != src:
                assert check_link(src), (p.name, src)
    for url in rules().legitimate:
        assert check_link(url) == [], url
