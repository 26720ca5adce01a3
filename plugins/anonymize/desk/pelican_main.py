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


def problem_lines(exc: BaseException, settings_file: str) -> list[str]:
    lines = getattr(exc, "lines", None)
    if isinstance(lines, list) and lines:
        return [str(line) for line in lines]
    path = getattr(exc, "path", None)
    if path:
        return str(exc).splitlines()
    return [f"{settings_file}: the build stopped: {type(exc).__name__}: {exc}: "
            "fix the settings or the file named, or run `invoke --debug build` for the traceback"]


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
        missing = [folder for folder in settings.get("ARTICLE_PATHS", [])
                   if not os.path.isdir(os.path.join(settings["PATH"], folder))]
        if missing:
            print("\n".join(f"{settings['PATH']}: no {folder}/ folder: give the content folder that holds "
                            f"{folder}/ and pages/ (--content DIR)" for folder in missing), file=sys.stderr)
            return 1
        with console.status("Building the site…"):
            pelican.run()
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - every error ends as lines; tracebacks only when asked for
        if debug:
            raise
        print("\n".join(problem_lines(exc, args.settings or "pelicanconf.py")), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
