"""Command line: build, check, serve, schema, new. Errors become plain messages and exit status 1."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import NoReturn

from tracker.build.annotate import escape_data, report_problems
from tracker.config import ROOT, SiteConfig, make_config
from tracker.errors import DataError, TrackerError


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="build.py", description="Build the Sanctuary Grants Tracker site.")
    add = parser.add_argument
    add(
        "command",
        nargs="?",
        default="build",
        choices=["build", "check", "serve", "schema", "new"],
        help="build (default): write the site; check: validate only, write nothing; serve: build, serve on "
        "127.0.0.1 and rebuild on change; schema: rewrite schema/jurisdictions.schema.json; new jurisdiction | new "
        "event ID | new case: print an entry to paste into the data file, the fields to fill marked",
    )
    add("what", nargs="?", help="for new: jurisdiction, event or case")
    add("target", nargs="?", help="for new event: the id of the jurisdiction")
    add("--out", type=Path, help="output folder (default: site/)")
    add("--base-url", help='path prefix of every link, e.g. "/tracker/" (default: the path of --site-url)')
    add("--site-url", help="absolute address the site is published at (default: from site.json)")
    add("--data", type=Path, help="data folder (default: data/)")
    add("--content", type=Path, help="content folder (default: content/)")
    add("--no-tiles", action="store_true", help="draw the map without OpenStreetMap tiles")
    add("--no-cache", action="store_true", help="render every page again instead of reusing unchanged ones")
    add("--port", type=int, default=8000, help="port for serve (default: 8000)")
    add("--debug", action="store_true", help="show Python tracebacks")
    new = parser.add_argument_group("new", "values to prefill in the printed entry").add_argument
    new("--id", help="new jurisdiction: its id (default: from --name and --state)")
    new("--name", help="new jurisdiction: its short display name")
    new("--state", help="new jurisdiction: its two-letter USPS state code")
    new("--kind", help="new jurisdiction: state, county, city or city-county; new event: its kind")
    new("--date", help="new event: its date, YYYY-MM-DD")
    new("--round", help="new jurisdiction: 2017 (default, with a letter) or 2025 (first targeted in 2025, no letter)")
    new("--role", help="new case: the federal government's role, defendant (default) or plaintiff")
    args = parser.parse_args(argv)
    if args.command != "new" and args.what is not None:
        parser.error(f'unexpected "{args.what}" after "{args.command}"')
    return args


def report(error: TrackerError) -> None:
    if isinstance(error, DataError):
        report_problems(error.problems)
    elif os.environ.get("GITHUB_ACTIONS") == "true":
        print(f"::error title=Build failed::{escape_data(str(error))}", file=sys.stderr)
    else:
        print(f"Build failed; nothing was published: {error}", file=sys.stderr)


def run(args: argparse.Namespace) -> None:
    if args.command == "new":
        # Imported before the build's modules: printing a block needs none of them.
        from tracker.scaffold import command as scaffold_command

        # Not a build: a mistake in the arguments is one plain line from scaffold, with status 1.
        raise SystemExit(scaffold_command.new(args))
    from tracker.build import pipeline  # imported late so --help stays fast
    from tracker.render import dictionary

    if args.command == "schema":
        for path, text in dictionary.generated_files().items():
            (ROOT / path).write_text(text, encoding="utf-8")
        print("Rewrote the JSON Schemas in schema/ and docs/data-dictionary.md.")
        return
    if args.command == "serve":
        from tracker.serve import server  # a build needs none of the preview

        return server.serve(args)
    config = make_config(
        data_dir=args.data,
        content_dir=args.content,
        out_dir=args.out,
        base_url=args.base_url,
        site_url=args.site_url,
        tiles=not args.no_tiles,
    )
    if args.command == "check":
        site = pipeline.check(config)
        print(f"OK: {len(site.jurisdictions)} jurisdictions and {len(site.pages)} pages are valid.")
    else:
        pipeline.build(config, use_cache=not args.no_cache, done=lambda files: end_process(built_message(config)))


def end_process(message: str) -> NoReturn:
    """Print the message and end the process at once. Freeing a build's millions of objects one by one, then
    Python's teardown, took a tenth of a rebuild at 10,000 records, to give the memory back to a system about to
    take it all back anyway."""
    print(message)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def built_message(config: SiteConfig) -> str:
    """Where the site is, and how to look at it: its links start with the published path, so a double-clicked
    index.html finds no stylesheet; the preview serves it as a reader would see it."""
    out = os.path.relpath(config.out_dir) if config.out_dir.is_absolute() else str(config.out_dir)
    broken = f"Its links start with {config.base_url}, so opening {out}/index.html directly shows a broken page."
    lines = [f"Built the site in {out}/ for {config.site_url}", *([broken] if config.base_url != "/" else [])]
    lines.append("To look at it: make serve (or .venv/bin/python build.py serve), then open http://127.0.0.1:8000/")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO if args.debug else logging.WARNING, format="%(message)s")
    try:
        run(args)
    except TrackerError as e:
        if args.debug:
            raise
        report(e)
        return 1
    except KeyboardInterrupt:
        print("Interrupted; the previous site was left as it was.", file=sys.stderr)
        return 130
    return 0
