"""Pelican's command line for our tasks: the same build, but errors end as one line per problem, exit status 1.

Pelican's own `main` logs any error that stops a build as CRITICAL with a full traceback, and logs every
source it could not read as well; an editor needs the file, the problem and what to do, once. Tracebacks come
back with UNSIGNED_DEBUG=1 (`invoke --debug build`). Run as `python -m anonymize.desk.pelican_main ARGS`
with Pelican's own arguments.
"""

from __future__ import annotations

import logging
import os
import sys


class _QuietSkips(logging.Filter):
    """Pelican's "Could not process X" (no reason given) is said again, with the reason, in our summary."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Could not process")


def problem_lines(exc: BaseException, where: str) -> list[str]:
    lines = getattr(exc, "lines", None)
    if isinstance(lines, list) and lines:
        summary = getattr(exc, "summary", None)
        return [str(line) for line in lines] + ([f"{where}: {summary}: fix each file named above; nothing "
                                                  "was written"] if summary else [])
    path = getattr(exc, "path", None)
    if path:
        return str(exc).splitlines()
    return [f"{where}: the build stopped: {type(exc).__name__}: {exc}: "
            "fix the settings or the file named, or run `invoke --debug build` for the traceback"]


def content_problem(settings) -> str | None:
    """A content folder that is not one: essays given without their essays/ folder, or nothing to build at all.
    (Pelican would build an empty site and Pagefind stop at "no html files".)"""
    root = settings["PATH"]
    missing = [f for f in settings.get("ARTICLE_PATHS", []) if not os.path.isdir(os.path.join(root, f))]
    pages = [f for f in settings.get("PAGE_PATHS", []) if os.path.isdir(os.path.join(root, f))]
    loose = [n for n in os.listdir(root) if n.endswith((".md", ".markdown", ".mdown", ".mkd"))]
    if missing and (loose or not pages):
        folder = missing[0]
        return (f"{root}: no {folder}/ folder" + (f" (it holds {len(loose)} essay file(s) directly)" if loose else "")
                + f": give the content folder that holds {folder}/ and pages/ (--content DIR), or move the essays "
                  f"into {folder}/")
    return None


def main(argv: list[str] | None = None) -> int:
    from pelican import LOG_HANDLERS, get_instance, parse_arguments
    from pelican.log import console
    from pelican.log import init as init_logging

    args = parse_arguments(argv)
    debug = bool(os.environ.get("UNSIGNED_DEBUG"))
    init_logging(level=logging.DEBUG if debug else args.verbosity, fatal=args.fatal, name="pelican",
                 handler=LOG_HANDLERS[args.log_handler],
                 logs_dedup_min_level=getattr(logging, args.logs_dedup_min_level))
    if not debug:
        logging.getLogger("pelican.generators").addFilter(_QuietSkips())
    try:
        pelican, settings = get_instance(args)
        problem = content_problem(settings)
        if problem:
            print(problem, file=sys.stderr)
            return 1
        with console.status("Building the site…"):
            pelican.run()
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - every error ends as lines; tracebacks only when asked for
        if debug:
            raise
        print("\n".join(problem_lines(exc, args.path or args.settings or "pelicanconf.py")), file=sys.stderr)
        return 1
    return 0


def _exit(code: int) -> None:
    """End the process once everything is said: its logs flushed, its files closed (each step closes its own, and
    the worker pools are shut down). Python's own teardown would free the whole site's objects one by one, a few
    tenths of a second of CPU that `invoke build` would wait for, taken from the audit running meanwhile."""
    if sys.getprofile() or sys.gettrace():  # a profiler or coverage writes its results at the normal exit
        sys.exit(code)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    _exit(main())
