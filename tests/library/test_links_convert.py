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


def test_removeparam_rules_are_sorted_into_our_tables():
    """uBO/AdGuard syntax, written here: each shape lands in its table, or is left with a reason."""
    from anonymize.scrub.rules.urls_abp import convert_lines

    c = convert_lines([
        "! a comment with $removeparam=x",
        "$removeparam=gclid",
        "$removeparam=icid,domain=~shop.example|~other.example",
        "$doc,removeparam=s_cid",
        "||news.example^$removeparam=ref",
        "$removeparam=cxt,domain=twitter.com|x.com",
        "$removeparam=asc_source,domain=amazon.*",
        "||www.ebay.$removeparam=mkevt",
        "||api.example/widget/data^$removeparam=sid",
        "||reddit.com^$doc,removeparam=/deep_link=/",
        "$removeparam=/^weekend-link-\\d{6}$/",
        "||tracker.example/click$removeparam",
        "||store.example/item$removeparam=~id",
        "$denyallow=a.example,removeparam=cmpid",
        "||cdn.example/x.js$script,removeparam=v",
        "||ads.example^$removeparam=r,domain=news.example",
        "||sso.example^$removeparam=q,app=foo.exe",
        "$removeparam=dropme",
        "$removeparam=dropme,badfilter",
        "@@||tix.example^$removeparam=irclickid",
        "@@||web.archive.org/*/http$removeparam",
        "@@||cdn.example^$removeparam=v,xhr",
        "example.org##.banner",
    ])
    assert c.names == {"gclid": set(), "icid": {"shop.example", "other.example"}, "s_cid": set(),
                       "cmpid": {"a.example"}}
    assert c.scoped == {"news.example": {"ref"}, "twitter.com": {"cxt"}, "x.com": {"cxt"},
                        "amazon.*": {"asc_source"}, "www.ebay.*": {"mkevt"}}
    by_rule = {r["rule"]: r for r in c.rules}
    assert by_rule["||api.example/widget/data^$removeparam=sid"]["names"] == ["sid"]
    assert by_rule["||reddit.com^$doc,removeparam=/deep_link=/"]["pairs"] == "deep_link="
    assert by_rule["$removeparam=/^weekend-link-\\d{6}$/"]["pairs"] == "^weekend-link-\\d{6}$"
    assert by_rule["||tracker.example/click$removeparam"]["all"] is True
    assert by_rule["||store.example/item$removeparam=~id"]["keep_only"] == ["id"]
    assert len(c.rules) == 5
    assert [r.line for r in c.not_for_links] == ["||cdn.example/x.js$script,removeparam=v"]
    assert sorted(r.line for r, _why in c.not_expressible) == ["||ads.example^$removeparam=r,domain=news.example",
                                                             "||sso.example^$removeparam=q,app=foo.exe"]
    assert [k["rule"] for k in c.keep] == ["@@||tix.example^$removeparam=irclickid",
                                            "@@||web.archive.org/*/http$removeparam"]
    assert c.keep[1]["params"] == [".*"]


def test_firefox_query_stripping_names_are_read_from_records_or_the_pref(tmp_path):
    names = ["__hsfp", "__hssc", "__hstc", "__s", "_hsenc", "_openstat", "dclid", "fbclid", "gbraid", "gclid",
             "hsCtaTracking", "igshid", "mc_eid", "ml_subscriber", "ml_subscriber_hash", "msclkid", "oft_c", "oft_ck",
             "oft_d", "oft_id", "oft_ids", "oft_k", "oft_lk", "oft_sk", "oly_anon_id", "oly_enc_id", "rb_clickid",
             "s_cid", "twclid", "vero_conv", "vero_id", "wbraid", "wickedid", "yclid"]
    pref = tmp_path / "pref.txt"
    pref.write_text(" ".join(reversed(names)) + "\n", "utf-8")
    records = tmp_path / "records.json"
    records.write_text(json.dumps({"data": [{"stripList": names[:10], "allowList": []}, {"stripList": names[10:]}]}))
    assert conv.read_firefox_qs(pref) == conv.read_firefox_qs(records) == {"names": sorted(names)}
    assert load("urls_lists")["global"]["firefox-qs"] == {"names": sorted(names)}
