"""The converter that writes rules/urls_lists.toml: the committed table is what the pinned lists give,
and a list that is not the pinned version is refused with one line saying what to do."""

from __future__ import annotations

import json
import tomllib

from anonymize.scrub.rules import load
from anonymize.scrub.rules import urls_convert as conv


def test_the_committed_table_is_what_the_pinned_clearurls_list_gives():
    table = load("urls_lists")
    made = [{"source": "clearurls", **p} for p in conv.convert_clearurls(conv.read_clearurls())]
    assert table["providers"] == made
    assert table["sources"] == conv.SOURCES


def test_rendered_tables_read_back_and_carry_their_sources():
    text = conv.render(conv.SOURCES, {"brave": {"names": ["a\"b", "c\\d"], "unless_url": {"x-y": "(u|v)"}}},
                       {"firefox": {"h.example": ["p"]}},
                       [{"name": "prov", "pattern": "^https?:\\/\\/x\\.example", "params": ["[a-z]+_id"]}])
    data = tomllib.loads(text)
    assert data["global"]["brave"]["names"] == ["a\"b", "c\\d"]
    assert data["global"]["brave"]["unless_url"] == {"x-y": "(u|v)"}
    assert data["providers"][0]["pattern"] == "^https?:\\/\\/x\\.example"
    assert data["scoped"]["firefox"] == {"h.example": ["p"]}
    assert data["sources"]["adguard"]["licence"] == "GPL-3.0-only"
    assert data["scoped"]["firefox"] == {"h.example": ["p"]}


def test_firefox_and_brave_shapes_are_read():
    glob, scoped = conv.convert_firefox({"global": {"queryParams": ["utm_x", "var"], "topLevelSites": ["*"]},
                                         "shop": {"queryParams": ["k"], "topLevelSites": ["www.shop.example"]}})
    assert glob == {"names": ["utm_x", "var"]}
    assert scoped == {"shop.example": ["k"]}
    cc = '''
static constexpr auto kSimpleQueryStringTrackers =
    base::MakeFixedFlatSet<std::string_view>(base::sorted_unique, {
        // a comment with "quoted" words
        "fbclid",
        "gclid",
    });
static constexpr auto kConditionalQueryStringTrackers =
    base::MakeFixedFlatMap<std::string_view, std::string_view>({
        {"mkt_tok", "([uU]nsubscribe|emailWebview)"},
    });
static const auto kScopedQueryStringTrackers =
    std::map<std::string_view, std::vector<std::string_view>>({
        {"si", {"youtube.com", "youtu.be"}},
    });
static constexpr auto kExemptedHostnames =
    base::MakeFixedFlatSet<std::string_view>(base::sorted_unique, {
        "urldefense.com",
    });
'''
    glob, scoped = conv.convert_brave(cc)
    assert glob == {"names": ["fbclid", "gclid"], "unless_url": {"mkt_tok": "([uU]nsubscribe|emailWebview)"},
                    "exempt_hosts": ["urldefense.com"]}
    assert scoped == {"youtu.be": ["si"], "youtube.com": ["si"]}


def test_adguard_global_names_keep_their_excluded_hosts():
    rules = [
        {"action": {"type": "redirect", "redirect": {"transform": {"queryTransform": {"removeParams": ["a", "b"]}}}},
         "condition": {"resourceTypes": ["main_frame"]}},
        {"action": {"type": "redirect", "redirect": {"transform": {"queryTransform": {"removeParams": ["c"]}}}},
         "condition": {"excludedRequestDomains": ["x.example"], "resourceTypes": ["main_frame"]}},
        {"action": {"type": "redirect", "redirect": {"transform": {"queryTransform": {"removeParams": ["d"]}}}},
         "condition": {"urlFilter": "||site.example^", "resourceTypes": ["main_frame"]}},
    ]
    glob, scoped = conv.convert_adguard(rules)
    assert glob == {"names": ["a", "b", "c"], "except_hosts": {"c": ["x.example"]}}
    assert scoped == {"site.example": ["d"]}


def test_a_list_that_is_not_the_pinned_version_is_refused(tmp_path, capsys):
    other = tmp_path / "data.min.json"
    other.write_text(json.dumps({"providers": {}}), "utf-8")
    out = tmp_path / "urls_lists.toml"
    code = conv.main(["--clearurls", str(other), "--adguard", str(other), "--out", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1 and "is not the pinned" in err[0] and "update the pin" in err[0]
    assert not out.exists()
