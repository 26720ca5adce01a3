"""The HTML scrubber's first step: comments never survive."""

from __future__ import annotations

from anonymize.scrub.html_scrub import scrub_html
from anonymize.scrub.report import Report


def scrub(html: str) -> tuple[str, Report]:
    report = Report()
    return scrub_html(html, source="essays/x.md", where="body", settings={}, report=report), report


def test_comments_removed_everywhere():
    html = ("<!-- top --><p>One <!-- inline note to Priya --> two</p>"
            "<ul><li>three<!--nested--></li></ul><!--[if IE]><p>old</p><![endif]-->")
    out, report = scrub(html)
    assert "<!--" not in out and "Priya" not in out and "nested" not in out
    assert "One" in out and "two" in out and "three" in out
    comments = [e for e in report.for_source("essays/x.md") if e.kind == "html-comment"]
    assert len(comments) == 4
    assert all(e.where == "body" for e in comments)


def test_clean_html_is_unchanged():
    html = '<p>Plain <em>prose</em> with <a href="/essays/x/">a link</a>.</p>'
    out, report = scrub(html)
    assert out == html
    assert report.for_source("essays/x.md") == []


def test_empty_input():
    assert scrub("")[0] == ""


def kinds(report: Report) -> list[str]:
    return [e.kind for e in report.for_source("essays/x.md")]


def test_scripts_styles_forms_frames_never_survive():
    html = ('<p>Keep this.</p><script>track()</script><style>@import url(https://fonts.example/x.css)</style>'
            '<link rel="stylesheet" href="https://cdn.example/a.css"><meta name="author" content="J Doe">'
            '<base href="https://evil.example/"><form action="https://evil.example"><input name="q"></form>'
            '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/e">'
            '<noscript><img src="https://evil.example/p.gif"></noscript><svg><script>x()</script></svg>')
    out, report = scrub(html)
    assert out == "<p>Keep this.</p>"
    assert kinds(report).count("element") + kinds(report).count("embed") >= 9


def test_event_handlers_and_inline_styles_go():
    out, report = scrub('<p onclick="steal()" style="background:url(https://t.example/p.png)">Text</p>'
                        '<a href="/x/" onmouseover="x()" ping="https://t.example/ping">link</a>')
    assert out == '<p>Text</p><a href="/x/">link</a>'
    assert {"event-handler", "remote-resource", "tracking-attribute"} <= set(kinds(report))


def test_tweet_embed_becomes_blockquote_with_clean_link():
    html = ('<blockquote class="twitter-tweet" data-dnt="true"><p lang="en" dir="ltr">Nurses are not a '
            'renewable resource.</p>&mdash; A Nurse (@anurse) <a href="https://twitter.com/anurse/status/123?'
            'ref_src=twsrc%5Etfw">March 1, 2024</a></blockquote><script async src="https://platform.twitter.com/'
            'widgets.js" charset="utf-8"></script>')
    out, report = scrub(html)
    assert "<blockquote>" in out and "Nurses are not a renewable resource." in out
    assert 'href="https://twitter.com/anurse/status/123"' in out
    assert "script" not in out and "ref_src" not in out and "twitter-tweet" not in out
    assert "social-widget" in kinds(report)


def test_click_to_tweet_becomes_pull_quote():
    html = ('<div class="bctt-click-to-tweet"><span class="bctt-ctt-text"><a href="https://twitter.com/intent/'
            'tweet?text=Burnout%20is%20a%20system%20failure&via=someone">Burnout is a system failure, not a '
            'personal one.</a></span><a href="https://twitter.com/intent/tweet?text=x" class="bctt-ctt-btn">Click '
            'to Tweet</a></div>')
    out, report = scrub(html)
    assert out == '<blockquote class="pull-quote"><p>Burnout is a system failure, not a personal one.</p></blockquote>'


def test_share_intent_link_keeps_its_text():
    out, _ = scrub('<p><a href="https://twitter.com/intent/tweet?text=hi&url=x">Quote worth sharing</a> and '
                   '<a href="https://www.facebook.com/sharer/sharer.php?u=x">Share</a></p>')
    assert out == "<p>Quote worth sharing and </p>"


def test_video_iframe_becomes_link_by_default():
    out, report = scrub('<iframe width="560" src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?si=abc" '
                        'title="Sleep and shift work"></iframe>')
    assert out == ('<p class="embed-link"><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">'
                   'YouTube: Sleep and shift work</a></p>')
    assert "embed" in kinds(report)


def test_embed_policy_drop_removes_players():
    report = Report()
    out = scrub_html('<p>a</p><iframe src="https://player.vimeo.com/video/123"></iframe>', source="essays/x.md",
                     where="body", settings={"ANONYMIZE_EMBED_POLICY": "drop"}, report=report)
    assert out == "<p>a</p>"


def test_tracking_pixel_dropped_and_hotlinked_image_becomes_link():
    html = ('<p><img src="https://www.google-analytics.com/collect?v=1&tid=UA-1" width="1" height="1">'
            '<img src="https://list-manage.com/track/open.php?u=abc" alt="">'
            '<img src="https://cdn.example.org/photo.jpg?utm_source=mail" alt="A ward at night" '
            'srcset="https://cdn.example.org/2x.jpg 2x">'
            '<img src="{static}/images/corridor.jpg" alt="ours"></p>')
    out, report = scrub(html)
    assert "google-analytics" not in out and "list-manage" not in out
    assert '<a href="https://cdn.example.org/photo.jpg">A ward at night</a>' in out
    assert '<img alt="ours" src="{static}/images/corridor.jpg">' in out
    assert kinds(report).count("tracking-pixel") == 2
    assert "srcset" not in out


def test_site_host_images_are_ours():
    report = Report()
    out = scrub_html('<img src="https://unsigned.example/images/a.jpg" alt="a">', source="essays/x.md",
                     where="body", settings={"SITEURL": "https://unsigned.example"}, report=report)
    assert out == '<img alt="a" src="https://unsigned.example/images/a.jpg">'


def test_links_are_cleaned_and_reported():
    html = ('<p><a href="https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.cdc.gov%2Fniosh%2F'
            '%3Futm_source%3Dmail&data=05%7C01%7Cjdoe%40hospital.org">CDC</a> '
            '<a href="mailto:jdoe@hospital.example">write to me</a> '
            '<a href="https://docs.google.com/document/d/1AbC/edit">draft</a></p>')
    out, report = scrub(html)
    assert '<a href="https://www.cdc.gov/niosh/">CDC</a>' in out
    assert "mailto" not in out and "write to me" in out
    assert "docs.google.com" in out
    entries = report.for_source("essays/x.md")
    assert any(e.kind == "redirect-wrapper" and e.action == "replaced" for e in entries)
    assert any(e.kind == "tracking-param" and e.what == "utm_source" for e in entries)
    assert any(e.kind == "link-target" and e.action == "finding" for e in entries)
    assert any(e.kind == "private-document" and e.action == "finding" for e in entries)


def test_javascript_and_data_urls_go():
    out, _ = scrub('<a href="java&#x09;script:alert(1)">x</a><a href="data:text/html,hi">y</a>'
                   '<img src="data:image/png;base64,AAAA" alt="z">')
    assert "javascript" not in out.lower() and "data:" not in out


def test_invisible_characters_removed_emoji_joiners_kept():
    health_worker = "\U0001F9D1\u200D\u2695\uFE0F"
    html = f"<p>pa\u200btient \u202egnp.exe {health_worker} done\U000E0041</p>"
    out, report = scrub(html)
    assert out == f"<p>patient gnp.exe {health_worker} done</p>"
    assert "invisible-character" in kinds(report)


def test_lookalike_word_is_a_finding_not_a_change():
    out, report = scrub("<p>The \u0440\u0430tient was fine.</p>")
    assert "\u0440\u0430tient" in out
    assert [e.what for e in report.for_source("essays/x.md") if e.kind == "lookalike"] == ["\u0440\u0430tient"]


def test_unknown_tags_unwrapped_text_kept():
    out, report = scrub("<article><font color=red>Red</font> <center>middle</center></article>")
    assert out == "Red middle"
    assert "tag" in kinds(report)


def test_footnotes_and_tables_survive():
    html = ('<p>Claim<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>'
            '<div class="footnote"><ol><li id="fn:1"><p>Source.</p></li></ol></div>'
            '<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>b</td></tr></tbody></table>')
    out, report = scrub(html)
    assert out == html
    assert report.for_source("essays/x.md") == []


def test_scrubber_failure_names_the_essay(monkeypatch):
    import pytest
    from anonymize.scrub import html_scrub
    from anonymize.scrub.errors import AnonymizeError

    def broken(soup, ctx):
        raise RuntimeError("boom")

    monkeypatch.setattr(html_scrub, "STEPS", [broken])
    with pytest.raises(AnonymizeError, match="essays/x.md: the HTML scrubber failed"):
        scrub("<p>x</p>")
