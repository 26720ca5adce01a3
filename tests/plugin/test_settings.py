"""The plugin forces the safe settings whatever a configuration says."""

from __future__ import annotations

from anonymize.pelican_plugin.settings import ENFORCED, enforce


def test_unsafe_settings_are_overridden():
    settings = {"AUTHOR_SAVE_AS": "author/{slug}.html", "DEFAULT_DATE": "fs", "AUTHOR_FEED_ATOM": "x.xml",
                "FILENAME_METADATA": r"(?P<date>\d{4}-\d{2}-\d{2}).*", "TIMEZONE": "America/Chicago",
                "AUTHOR": "Dr. Zed Quill"}
    overridden = enforce(settings)
    for key, value in ENFORCED.items():
        assert settings[key] == value
    # only values that differ from Pelican's own defaults are warned about
    assert {"DEFAULT_DATE", "AUTHOR_FEED_ATOM", "TIMEZONE"} <= set(overridden)
    assert settings["AUTHOR"] == "Anonymous"


def test_empty_pseudonym_falls_back_to_anonymous():
    settings = {"ANONYMIZE_PSEUDONYM": ""}
    enforce(settings)
    assert settings["AUTHOR"] == settings["ANONYMIZE_PSEUDONYM"] == "Anonymous"


def test_workers_setting_defaults_to_cpus_and_refuses_nonsense(caplog):
    import os

    from anonymize.pelican_plugin.speed.prescrub import workers

    assert workers({}) == (os.cpu_count() or 1)
    assert workers({"ANONYMIZE_WORKERS": 3}) == 3
    assert workers({"ANONYMIZE_WORKERS": 0}) == 1
    assert workers({"ANONYMIZE_WORKERS": "many"}) == 1
    assert "not a whole number" in caplog.text
