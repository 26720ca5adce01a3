"""Compiled templates are kept in the cache folder, and an edited template is never served from it."""

from __future__ import annotations

import shutil

from conftest import CONTENT, ROOT, run_build, settings_with


def test_edited_template_is_compiled_again(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    settings = settings_with(tmp_path, THEME=str(theme))
    cache = tmp_path / "cache"
    first = run_build(CONTENT, tmp_path / "one", "--cache-path", str(cache), settings=settings)
    assert first.returncode == 0, first.log
    assert any((cache / "templates").iterdir())  # kept for the next build

    base = theme / "templates" / "base.html"
    base.write_text(base.read_text("utf-8").replace("No cookies, no analytics", "No cookies, no trackers"), "utf-8")
    second = run_build(CONTENT, tmp_path / "two", "--cache-path", str(cache), settings=settings)
    assert second.returncode == 0, second.log
    page = (tmp_path / "two" / "index.html").read_text("utf-8")
    assert "No cookies, no trackers" in page and "No cookies, no analytics" not in page


def test_templates_compiled_under_other_options_are_never_reused(tmp_path):
    """Autoescape is compiled into a template: a cache made under other options (an older release) is not read."""
    from anonymize.pelican_plugin.plugin import keep_compiled_templates

    class P:
        def __init__(self, env):
            self.settings = {"CACHE_PATH": str(tmp_path), "JINJA_ENVIRONMENT": env}

    escaped, plain = P({"autoescape": True}), P({"autoescape": False})
    keep_compiled_templates(escaped)
    keep_compiled_templates(plain)
    a = escaped.settings["JINJA_ENVIRONMENT"]["bytecode_cache"].directory
    b = plain.settings["JINJA_ENVIRONMENT"]["bytecode_cache"].directory
    assert a != b and a.startswith(str(tmp_path / "templates"))
