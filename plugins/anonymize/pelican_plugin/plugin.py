"""Pelican glue: a `register()` that connects each signal to one function."""

from __future__ import annotations

import logging
import os

from pelican import signals

from anonymize.audit import policy as audit_policy
from anonymize.pelican_plugin import confine, state
from anonymize.pelican_plugin import settings as plugin_settings
from anonymize.pelican_plugin.features import reading_time, related
from anonymize.pelican_plugin.features.responses import link_responses
from anonymize.pelican_plugin.output import image_publish, mtimes, search_index
from anonymize.pelican_plugin.output.sitemap_dates import on_finalized as sitemap_day_only
from anonymize.pelican_plugin.reader import AnonymizingMarkdownReader
from anonymize.pelican_plugin.speed import audit_ahead, fixed_urls, prescrub, scrub_cache, stale_output
from anonymize.scrub.errors import AnonymizeError, BuildRefused
from anonymize.scrub.report import report_logger

logger = logging.getLogger("anonymize")


def on_initialized(pelican) -> None:
    """Force the safe settings and connect the end-of-build steps."""
    _reset()
    plugin_settings.enforce(pelican.settings)
    _keep_compiled_templates(pelican.settings)
    # Connected here, after every plugin registered, so it runs after the sitemap plugin writes.
    signals.finalized.connect(sitemap_day_only)
    # Every page is written: what earlier builds left goes before Pagefind reads the folder.
    signals.finalized.connect(stale_output.before_search)
    # Pagefind starts over the finished pages and runs while the audit hand-over and the report are written;
    # file times are set once it is done, its own files included.
    signals.finalized.connect(search_index.on_finalized)
    signals.finalized.connect(audit_ahead.on_finalized)
    signals.finalized.connect(on_finalized)
    signals.finalized.connect(search_index.on_finalized_wait)
    # Last before file times: the earlier indexes' files the new index does not read go too.
    signals.finalized.connect(stale_output.on_finalized)
    signals.finalized.connect(mtimes.on_finalized)
    signals.finalized.connect(tell_written)  # the very last: nothing in the output changes after it


def tell_written(pelican) -> None:
    """Tell `invoke build` (which passes a pipe in UNSIGNED_WRITTEN_FD) that every file is written and final."""
    fd = os.environ.pop("UNSIGNED_WRITTEN_FD", None)
    if fd:
        try:
            os.write(int(fd), b"written\n")
            os.close(int(fd))
        except (OSError, ValueError):
            pass  # then invoke build audits once Pelican has exited


def _keep_compiled_templates(settings) -> None:
    """Jinja's compiled templates kept in Pelican's cache folder, so a rebuild does not compile them again.

    Jinja reuses a compiled template only while its source's checksum is
    unchanged: an edited template is compiled afresh.
    """
    from jinja2 import FileSystemBytecodeCache

    env = settings.get("JINJA_ENVIRONMENT") or {}
    if "bytecode_cache" in env or not settings.get("CACHE_PATH"):
        return
    folder = os.path.join(settings["CACHE_PATH"], "templates")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return  # no cache: templates are compiled, as without this
    settings["JINJA_ENVIRONMENT"] = {**env, "bytecode_cache": FileSystemBytecodeCache(folder)}


def on_build_start(pelican) -> None:
    """A fresh report, error list and cache handle for every build.

    `pelican --autoreload` (invoke livereload) runs many builds in one process
    on one Pelican instance; without this, an error fixed since the last build
    would still refuse the next one and the report would repeat itself. Sent
    as `get_generators` at the start of every run; it adds no generator.
    """
    _reset()
    confine.refuse_symlinks(pelican)  # before any generator walks the content folder (Pelican follows links)
    stale_output.on_build_start(pelican)  # before Pelican would empty the output folder
    return None


def _reset() -> None:
    prescrub.finish()
    search_index.stop()
    state.reset()
    scrub_cache.reset()


def on_readers_init(readers) -> None:
    """Every Markdown extension is read by our reader, never Pelican's own."""
    # Once per build, before the first generator reads: scrub changed sources on every core.
    current = state.current()
    if not current.prescrubbed:
        current.prescrubbed = True
        prescrub.prescrub(readers.settings)
    # Sent before Pelican instantiates its readers, so classes are enough.
    for ext in AnonymizingMarkdownReader.file_extensions:
        readers.reader_classes[ext] = AnonymizingMarkdownReader
    # Pelican's HTML and reStructuredText readers do not scrub: never use them.
    for ext in ("html", "htm", "rst"):
        readers.reader_classes[ext] = None


def on_generators_finalized(generators) -> None:
    """Fail closed: if any source was refused, stop before writing anything."""
    current = state.current()
    skipped = confine.skipped_sources(generators[0].context, {err.path for err in current.errors}) if generators else []
    if current.errors or skipped:
        errors = sorted(_unique(current.errors), key=lambda err: err.path)
        raise BuildRefused([line for err in errors for line in str(err).splitlines()] + skipped)


def on_finalized(pelican) -> None:
    """Log every removal and write the machine-readable report."""
    report = state.current().report
    report.log()
    cache = scrub_cache.for_settings(pelican.settings)
    if cache:
        cache.prune()
        logger.info("anonymize: scrub cache: %d reused, %d scrubbed", cache.hits, cache.misses)
    path = pelican.settings.get("ANONYMIZE_REPORT_PATH") or default_report_path(pelican.settings)
    report.write(path)
    logger.info("anonymize: build report written to %s", path)
    warn_identifiers(state.current().identifiers)


def warn_identifiers(identifiers: dict[str, list[str]]) -> None:
    """The build warns where `invoke publish` would refuse: each unacknowledged identifier, by essay."""
    if not identifiers:
        return
    lines = [f"warning: unacknowledged finding: {source}: {line}"
             for source in sorted(identifiers) for line in identifiers[source]]
    report_logger.warning("\n".join(lines))  # the plain handler: thousands of lines stay cheap
    logger.warning("anonymize: %d unacknowledged finding(s) in %d essay(s); invoke publish will refuse until each "
                   "is edited out or acknowledged (Acknowledged: header)", len(lines), len(identifiers))


def default_report_path(settings) -> str:
    """Beside the output folder, never inside it: the report is for editors."""
    output = os.path.abspath(settings["OUTPUT_PATH"])
    return os.path.join(os.path.dirname(output), ".unsigned", "build-report.json")


def _unique(errors: list[AnonymizeError]) -> list[AnonymizeError]:
    seen: dict[str, AnonymizeError] = {}
    for err in errors:
        seen.setdefault(str(err), err)
    return list(seen.values())


def register() -> None:
    signals.initialized.connect(on_initialized)
    signals.get_generators.connect(on_build_start)
    signals.readers_init.connect(on_readers_init)
    signals.article_generator_finalized.connect(link_responses)
    signals.article_generator_finalized.connect(mtimes.on_articles)
    signals.article_generator_finalized.connect(reading_time.on_articles)
    signals.article_generator_finalized.connect(related.add_related_posts)
    signals.article_generator_finalized.connect(audit_policy.on_articles)
    signals.finalized.connect(audit_policy.on_finalized)
    signals.static_generator_finalized.connect(image_publish.on_static_finalized)
    signals.finalized.connect(image_publish.on_finalized)
    signals.all_generators_finalized.connect(prescrub.on_generators)  # first: the workers are done
    signals.all_generators_finalized.connect(on_generators_finalized)
    signals.all_generators_finalized.connect(search_index.on_generators)
    signals.all_generators_finalized.connect(audit_ahead.on_generators)
    signals.all_generators_finalized.connect(fixed_urls.on_generators)  # last: nothing moves an essay after this
    signals.content_written.connect(audit_ahead.on_written)
    signals.content_written.connect(stale_output.on_written)
    signals.feed_written.connect(stale_output.on_written)
