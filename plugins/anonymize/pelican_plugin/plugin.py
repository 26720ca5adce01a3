"""Pelican glue: one receiver per signal, running the steps `STEPS` declares for it, in order.

Read this file to know what a build does and when. The steps are small functions in the plugin's other
modules; the scrubbing itself is the library's (`anonymize.scrub`). Per-build state lives in one object
(`state.current()`), made when `Pelican.run` starts and dropped when it ends, whatever ran it.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable

from pelican import signals

from anonymize import paths
from anonymize.pelican_plugin import confine, state
from anonymize.pelican_plugin import settings as plugin_settings
from anonymize.pelican_plugin.features import reading_time, related
from anonymize.pelican_plugin.features.responses import link_responses
from anonymize.pelican_plugin.output import (
    audit_handover,
    image_publish,
    mtimes,
    prepare_page,
    search_index,
    sitemap_dates,
)
from anonymize.pelican_plugin.reader import AnonymizingMarkdownReader
from anonymize.pelican_plugin.speed import (
    audit_ahead,
    fixed_urls,
    prescrub,
    scrub_cache,
    stale_output,
    taxonomy_lists,
    unchanged_writes,
)
from anonymize.scrub.errors import AnonymizeError, BuildRefused
from anonymize.scrub.report import report_logger

logger = logging.getLogger("anonymize")


# --- steps that belong to no other module ----------------------------------------------------------------------


def enforce_settings(pelican) -> None:
    plugin_settings.enforce(pelican.settings)


def guard_run(pelican) -> None:
    """Wrap `Pelican.run`: every build gets a fresh state, and a build that fails leaves an empty output folder.

    `pelican`, `pelican --autoreload` (livereload) and `invoke build` all call `run()`; Pelican has no
    signal for a failed build, so the guard is where one is seen, whatever started it.
    """
    run = pelican.run

    def guarded_run(*args, **kwargs):
        state.begin(pelican.settings)
        try:
            result = run(*args, **kwargs)
        except BaseException:
            stale_output.empty_after_failure(pelican)  # what Pelican's wipe first would have left
            state.end()
            raise
        state.end()
        return result

    pelican.run = guarded_run


def keep_compiled_templates(pelican) -> None:
    """Jinja's compiled templates kept in Pelican's cache folder, so a rebuild does not compile them again.

    Jinja reuses a compiled template only while its source's checksum is unchanged: an edited template is
    compiled afresh. Optional: `ANONYMIZE_TEMPLATE_CACHE = False`.
    """
    from jinja2 import FileSystemBytecodeCache

    settings = pelican.settings
    env = settings.get("JINJA_ENVIRONMENT") or {}
    if not settings.get("ANONYMIZE_TEMPLATE_CACHE", True) or "bytecode_cache" in env or not settings.get("CACHE_PATH"):
        return
    # Jinja keys a compiled template by its source only, but options such as autoescape are compiled into it:
    # a folder per set of options, so a template compiled under other options (an older release) is never reused.
    import hashlib

    import jinja2

    options = repr(sorted((k, repr(v)) for k, v in env.items())) + jinja2.__version__
    folder = os.path.join(paths.template_cache_path(settings), hashlib.sha256(options.encode()).hexdigest()[:16])
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return  # no cache: templates are compiled, as without this
    settings["JINJA_ENVIRONMENT"] = {**env, "bytecode_cache": FileSystemBytecodeCache(folder)}


def connect_finalized(pelican) -> None:
    """The end-of-build receiver is connected once every plugin has registered: it runs after theirs
    (the sitemap plugin writes the sitemap that `sitemap_dates` fixes)."""
    signals.finalized.connect(on_finalized)


def start_build(pelican) -> None:
    """Sent as `get_generators` at the start of every run; it adds no generator."""
    stale_output.on_build_start(pelican)  # before Pelican would empty the output folder


def start_prescrub(readers) -> None:
    """Once per build, before the first generator reads: scrub changed sources on every core."""
    current = state.current()
    if not current.prescrubbed:
        current.prescrubbed = True
        prescrub.prescrub(readers.settings)


def use_our_reader(readers) -> None:
    """Every Markdown extension is read by our reader, never Pelican's own (sent before Pelican instantiates
    its readers, so classes are enough); Pelican's HTML and reStructuredText readers do not scrub: never used."""
    for ext in AnonymizingMarkdownReader.file_extensions:
        readers.reader_classes[ext] = AnonymizingMarkdownReader
    for ext in ("html", "htm", "rst"):
        readers.reader_classes[ext] = None


def refuse_if_errors(generators) -> None:
    """Fail closed: if any source was refused, stop before writing anything."""
    errors = sorted(_unique(state.current().errors), key=lambda err: err.path)
    # A source Pelican skipped (unreadable, a save path outside the output) is refused too: nothing vanishes.
    skipped = confine.skipped_sources(generators[0].context, {err.path for err in errors}) if generators else []
    if errors or skipped:
        raise BuildRefused([line for err in errors for line in str(err).splitlines()] + skipped)


def fix_urls(generators) -> None:
    if generators and generators[0].settings.get("ANONYMIZE_FIXED_URLS", True):
        fixed_urls.on_generators(generators)


def fast_taxonomy(generators) -> None:
    if generators and generators[0].settings.get("ANONYMIZE_FAST_TAXONOMY", True):
        taxonomy_lists.on_generators(generators)


def write_report(pelican) -> None:
    """Log every removal and write the machine-readable report (with the findings the publish gate reads)."""
    current = state.current()
    current.report.log()
    cache = scrub_cache.for_settings(pelican.settings)
    if cache:
        cache.prune()
        logger.info("anonymize: scrub cache: %d reused, %d scrubbed", cache.hits, cache.misses)
    path = paths.report_path(pelican.settings)
    current.report.write(path, unacknowledged=current.identifiers)
    logger.info("anonymize: build report written to %s", path)
    warn_identifiers(current.identifiers)


def tell_written(pelican) -> None:
    """Tell `invoke build` (which passes a pipe in UNSIGNED_WRITTEN_FD) that every file is written and final.

    Only when our receiver is provably the last of `finalized`: if another plugin's receiver runs after ours,
    it may still change the output, so `invoke build` then audits once Pelican has exited.
    """
    fd = os.environ.pop("UNSIGNED_WRITTEN_FD", None)
    if not fd:
        return
    receivers = list(signals.finalized.receivers_for(pelican))  # in the order blinker calls them
    try:
        if receivers and receivers[-1] is on_finalized:
            # With the audit hand-over's path, so that `invoke build` need not read the settings to find it.
            settings = getattr(pelican, "settings", None) or {}
            handover = paths.policy_path(settings, settings["OUTPUT_PATH"]) if "OUTPUT_PATH" in settings else ""
            os.write(int(fd), b"written " + os.fsencode(handover) + b"\n")
        os.close(int(fd))
    except (OSError, ValueError):
        pass  # then invoke build audits once Pelican has exited


# --- the order of everything -------------------------------------------------------------------------------------

Step = Callable[..., None]

STEPS: dict[str, tuple[Step, ...]] = {
    "initialized": (enforce_settings, guard_run, keep_compiled_templates, connect_finalized,
                    prepare_page.on_initialized),
    "get_generators": (confine.refuse_symlinks, start_build),  # links first: Pelican's walk follows them
    "readers_init": (start_prescrub, use_our_reader),
    "article_generator_finalized": (
        link_responses, reading_time.on_articles, related.add_related_posts, audit_handover.on_articles,
        prepare_page.on_articles,  # the prepare page's parts and the submit channels, before templates are written
    ),
    "static_generator_finalized": (image_publish.on_static_finalized,),
    "all_generators_finalized": (
        prescrub.on_generators,  # first: the workers are done
        refuse_if_errors,
        search_index.on_generators,
        audit_ahead.on_generators,
        fast_taxonomy,  # nothing adds an essay to a tag after this
        fix_urls,  # last: nothing moves an essay after this
    ),
    "content_written": (audit_ahead.on_written, stale_output.on_written),
    "feed_written": (audit_ahead.on_written, stale_output.on_written),
    "finalized": (
        image_publish.on_finalized,  # the build passed: cleaned images into the output
        sitemap_dates.on_finalized,
        stale_output.before_search,  # what earlier builds left goes before Pagefind reads the folder
        audit_handover.write,  # the pages are final: the audit's hand-over names them
        search_index.on_finalized,  # Pagefind runs while the audit hand-over and the report are written
        audit_ahead.on_finalized,
        write_report,
        search_index.on_finalized_wait,
        stale_output.on_finalized,  # the earlier indexes' files the new one does not read
        mtimes.on_finalized,  # file times last: every file is in place
        tell_written,  # the very last: nothing in the output changes after it
    ),
}


def _receiver(name: str) -> Callable[..., object]:
    steps = STEPS[name]
    timed = name not in ("content_written", "feed_written") and bool(os.environ.get("UNSIGNED_STEP_TIMES"))

    def receive(sender, **kwargs):
        for step in steps:
            start = time.perf_counter() if timed else 0.0
            step(sender, **kwargs) if kwargs else step(sender)
            if timed:  # where a build's time goes, for bench/ work: UNSIGNED_STEP_TIMES=1 invoke build
                print(f"step {name}: {getattr(step, '__qualname__', step)} {time.perf_counter() - start:.3f}s",
                      file=sys.stderr)
        return None  # get_generators: no generator of ours

    receive.__name__ = receive.__qualname__ = f"on_{name}"
    return receive


RECEIVERS = {name: _receiver(name) for name in STEPS}
on_finalized = RECEIVERS["finalized"]


def register() -> None:
    for name, receiver in RECEIVERS.items():
        if name != "finalized":  # connected at `initialized`, after every plugin's own (connect_finalized)
            getattr(signals, name).connect(receiver)
    signals.get_writer.connect(unchanged_writes.get_writer)  # the one signal whose answer Pelican uses: a class


# --- helpers ---------------------------------------------------------------------------------------------------


def warn_identifiers(identifiers: dict[str, list[str]]) -> None:
    """The build warns where `invoke publish` would refuse: each unacknowledged identifier, by essay."""
    if not identifiers:
        return
    lines = [f"warning: unacknowledged finding: {source}: {line}"
             for source in sorted(identifiers) for line in identifiers[source]]
    report_logger.warning("\n".join(lines))  # the plain handler: thousands of lines stay cheap
    logger.warning("anonymize: %d unacknowledged finding(s) in %d essay(s); invoke publish will refuse until each "
                   "is edited out or acknowledged (Acknowledged: header)", len(lines), len(identifiers))


def _unique(errors: list[AnonymizeError]) -> list[AnonymizeError]:
    seen: dict[str, AnonymizeError] = {}
    for err in errors:
        seen.setdefault(str(err), err)
    return list(seen.values())
