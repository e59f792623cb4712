"""`build.py new`: print a jurisdiction, event or case to paste into a data file, with the fields to fill marked.

A printed block passes the schema and the rules, so it can be pasted and checked at once; its made-up values
are placeholders that placeholder_problems() finds, so the build can refuse to publish a half-filled entry.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import unicodedata
from pathlib import Path

from tracker.data.checks import FIPS_LENGTH, all_sources, records
from tracker.data.jurisdictions import display_path
from tracker.data.placeholders import FILL, FILL_ID, PLACEHOLDER_DATE, PLACEHOLDER_POINT, PLACEHOLDER_STATE
from tracker.data.schema import EVENT_KINDS, KINDS, SLUG
from tracker.data.schema_other import GOVERNMENT_ROLES, RESULTS
from tracker.data.states import STATE_FIPS, US_STATES
from tracker.data.yamlfile import Located, PathKey, load_yaml

COMMENT_COLUMN = 44
Row = tuple[str, str]  # (YAML text, comment)


def yaml_text(value: str) -> str:
    """A double-quoted YAML scalar; JSON's escapes are valid YAML ones."""
    return json.dumps(value, ensure_ascii=False)


def rows_to_yaml(rows: list[Row], indent: int) -> str:
    """Indent each row and line its comment up in one column, ready to paste."""
    lines = []
    for text, comment in rows:
        line = " " * indent + text
        if comment:
            line = f"{line.ljust(COMMENT_COLUMN)}  # {comment}" if text else " " * indent + f"# {comment}"
        lines.append(line.rstrip())
    return "\n".join(lines) + "\n"


def slugify(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def unused(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… when it is taken, so two scaffolds never clash."""
    n = 1
    while (candidate := base if n == 1 else f"{base}-{n}") in taken:
        n += 1
    return candidate


def source_rows(source_id: str) -> list[Row]:
    return [
        (f"- id: {source_id}", f"{FILL}: short unique id, like publisher-yyyy-mm-dd"),
        ("  url: https://example.org/fill-in", f"{FILL}: the source's web address"),
        (f"  title: {yaml_text(FILL + ' title')}", "title of the article, document or page"),
        (f"  publisher: {yaml_text(FILL + ' publisher')}", "who published it"),
        ("  date: null", "publication date YYYY-MM-DD, or null when unknown"),
    ]


def mark(field: str, unset: set[str]) -> str:
    """Flag a value the command chose by default, rather than one the editor gave."""
    return f"{FILL}: " if field in unset else ""


FIRST_ROUND_ROWS: list[Row] = [
    ("  status: letter-sent", "change together with status_date and status_source"),
    ("  status_date: null", "date the status was established, or null"),
    ("  status_source: null", "source id; null only for letter-sent"),
]
# A jurisdiction first targeted in 2025 has no 2017-2018 letter, so no first-round status.
SECOND_ROUND_ROWS: list[Row] = [
    ("  status: null", "null: no 2017-2018 letter (first targeted in 2025)"),
    ("  status_date: null", ""),
    ("  status_source: null", ""),
]


def letter_rows(source_id: str, second_round: bool) -> list[Row]:
    if second_round:
        return [("  letters: []", "no 2017-2018 letter; its 2025 listing lives in data/lists.yaml")]
    return [
        ("  letters:", "at least one letter from the Justice Department"),
        (f"    - date: {PLACEHOLDER_DATE}", f"{FILL}: date of the letter"),
        ("      batch: 2017-11", f"{FILL}: 2017-04, 2017-10, 2017-11, 2018-01 or 2018-04"),
        ("      deadline: null", "date a reply was due, or null"),
        (f"      source: {source_id}", "id of the source for this letter"),
        (f"      note: {yaml_text(FILL + ': check the date and batch, then delete this note.')}", ""),
    ]


def jurisdiction_rows(
    jid: str, name: str | None, state: str, kind: str, source_id: str, unset: set[str], second_round: bool = False
) -> list[Row]:
    lat, lon = PLACEHOLDER_POINT
    fips = STATE_FIPS[state].ljust(FIPS_LENGTH[kind], "0")  # valid in form, never a real county or place code
    return [
        ("", f"New jurisdiction from `build.py new`: replace every {FILL}, then run `make check`."),
        ("", "The build refuses to publish while a placeholder is left. Delete these two lines when done."),
        (f"- id: {jid}", "name then state, like chicago-il; never change it once published"),
        (f"  name: {yaml_text(name or FILL + ' short name')}", "short display name: Chicago, Cook County"),
        (f"  official_name: {yaml_text(FILL + ' official name')}", "City of Chicago, County of Cook"),
        (f"  kind: {kind}", mark("kind", unset) + "state, county, city or city-county"),
        (f"  state: {state}", mark("state", unset) + "two-letter USPS code"),
        (f'  fips: "{fips}"', f"{FILL}: Census FIPS code, in quotes"),
        (f"  lat: {lat}", f"{FILL}: approximate point (city hall, county seat or capitol)"),
        (f"  lon: {lon}", f"{FILL}: negative in the Americas, 4 decimals at most"),
        *(SECOND_ROUND_ROWS if second_round else FIRST_ROUND_ROWS),
        (f"  summary: {yaml_text(FILL + ': one or two sentences in your own words.')}", ""),
        *letter_rows(source_id, second_round),
        ("  grants: []", "figures exactly as sources state them; see docs/data-format.md"),
        ("  events: []", "add with `build.py new event <id>`"),
        ("  sources:", "the sources this jurisdiction's facts cite"),
        *[("    " + text, comment) for text, comment in source_rows(source_id)],
    ]


def event_rows(date: str, kind: str, source_id: str, unset: set[str]) -> list[Row]:
    return [
        (f"- date: {date}", mark("date", unset) + "date of the event, YYYY-MM-DD"),
        (f"  kind: {kind}", mark("kind", unset) + ", ".join(EVENT_KINDS)),
        (f"  summary: {yaml_text(FILL + ': one or two sentences in your own words.')}", ""),
        (f"  sources: [{source_id}]", "ids of the sources for this event"),
    ]


class ScaffoldError(Exception):
    """A mistake in the command's arguments, reported as one plain line."""


def read_data(file: Path) -> Located:
    """The data file's values, unvalidated (scaffolds are made mid-edit); no values when there is no file yet."""
    return load_yaml(file, display_path(file)) if file.exists() else Located(value=None, path=display_path(file))


def new_source_id(doc: Located) -> str:
    return unused(f"{FILL_ID}-source", {s.get("id") for _, s in all_sources(doc)})


def choose(value: str | None, choices: tuple[str, ...] | list[str], option: str, default: str) -> str:
    if value is None:
        return default
    if value not in choices:
        raise ScaffoldError(f'{option} must be one of {", ".join(choices)}; it is "{value}".')
    return value


def new_jurisdiction(args: argparse.Namespace, doc: Located) -> str:
    """The YAML of a new jurisdiction, indented to paste under `jurisdictions:`."""
    state = choose(args.state.upper() if args.state else None, US_STATES, "--state", PLACEHOLDER_STATE)
    kind = choose(args.kind, KINDS, "--kind", "city")
    taken = {r.get("id") for _, r in records(doc)}
    jid = args.id
    if jid is None and args.name and args.state:  # the documented convention: name then state
        jid = slugify(args.name) if kind == "state" else f"{slugify(args.name)}-{state.lower()}"
    jid = jid or unused(f"{FILL_ID}-id", taken)
    if not re.match(SLUG, jid):
        raise ScaffoldError(f'--id must be lowercase letters, digits and hyphens, like chicago-il; it is "{jid}".')
    if jid in taken:
        raise ScaffoldError(f'the id "{jid}" is already used in the data file; choose another.')
    unset = {field for field in ("kind", "state") if getattr(args, field) is None}
    second_round = choose(args.round, ("2017", "2025"), "--round", "2017") == "2025"
    rows = jurisdiction_rows(jid, args.name, state, kind, new_source_id(doc), unset, second_round)
    return rows_to_yaml(rows, indent=2)


def where_to_paste(doc: Located, path: PathKey, what: str) -> tuple[str, int]:
    """Say where a block goes, and the indentation the file's own entries use there."""
    line, col = doc.key_where.get(path, (None, 5))
    value = doc.value["jurisdictions"][path[1]].get(path[2])
    at = f"{path[2]}: on line {line} of {doc.path}" if line else f'"{path[2]}:"'
    how = f'replace "{path[2]}: []" by "{path[2]}:" and paste' if value == [] else "paste"
    return f"{what}: {how} under {at}", (col or 5) + 1


def new_event(args: argparse.Namespace, doc: Located) -> str:
    """The YAML of an event, plus a source for it, to paste into one jurisdiction's lists."""
    found = dict(records(doc))
    ids = [r.get("id") for r in found.values() if isinstance(r.get("id"), str)]
    if not args.target:
        raise ScaffoldError("name the jurisdiction: python build.py new event <jurisdiction id>.")
    if args.target not in ids:
        close = difflib.get_close_matches(args.target, ids, n=3, cutoff=0.5)
        hint = f"Did you mean: {', '.join(close)}?" if close else f"The ids are: {', '.join(sorted(ids))}."
        raise ScaffoldError(f'no jurisdiction has the id "{args.target}". {hint}')
    i = next(n for n, r in found.items() if r.get("id") == args.target)
    kind = choose(args.kind, EVENT_KINDS, "--kind", "other")
    date = args.date or PLACEHOLDER_DATE
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise ScaffoldError(f'--date must be written YYYY-MM-DD, like 2018-01-24; it is "{date}".')
    source_id = new_source_id(doc)
    unset = {field for field in ("date", "kind") if getattr(args, field) is None}
    event_hint, event_indent = where_to_paste(doc, ("jurisdictions", i, "events"), "The event")
    source_hint, source_indent = where_to_paste(doc, ("jurisdictions", i, "sources"), "Its source")
    name = found[i].get("name")
    return (
        f"# New event for {name} (id: {args.target}) from `build.py new`. Replace every {FILL}, then run `make check`.\n"
        f"# {event_hint}.\n{rows_to_yaml(event_rows(date, kind, source_id, unset), event_indent)}"
        f"# {source_hint} (or cite a source it already lists and leave this out).\n"
        f"{rows_to_yaml(source_rows(source_id), source_indent)}"
    )


def new_case(args: argparse.Namespace, doc: Located) -> str:
    """The YAML of a new case, indented to paste under `cases:`."""
    role = choose(args.role, tuple(GOVERNMENT_ROLES), "--role", "defendant")
    unset = set() if args.role else {"role"}
    source_id = f"{FILL_ID}-case-source"
    rows = [
        ("", f"New case from `build.py new case`: replace every {FILL}, then run `make check`."),
        ("", "Paste under `cases:` in data/cases.yaml. Delete these two lines when done."),
        (f"- id: {FILL_ID}-case", f"{FILL}: slug for /cases/<id>/, like us-v-boston-2025"),
        (f"  name: {yaml_text(FILL + ' case name')}", "as the court styles it: United States v. City of Boston"),
        (f"  court: {yaml_text(FILL + ' court')}", "U.S. District Court for the District of Massachusetts"),
        ("  docket: null", "docket number in quotes, or null when no source gives it"),
        (f"  filed: {PLACEHOLDER_DATE}", f"{FILL}: date filed, or null"),
        (f"  plaintiffs: {yaml_text(FILL + ' plaintiffs')}", "as named"),
        (f"  defendants: {yaml_text(FILL + ' defendants')}", "as named"),
        ("  jurisdictions: []", "ids of tracked jurisdictions that are parties"),
        ("  fiscal_years: []", "grant years at issue, if any"),
        ("  status: pending", "pending, decided, dismissed, settled or unknown"),
        ("  status_note: null", "one sentence on where it stands, or null"),
        (f"  summary: {yaml_text(FILL + ': one or two sentences in your own words.')}", ""),
        (f"  filing_sources: [{source_id}]", "ids of the sources for the filing and summary"),
        ("  rulings: []", "dated rulings, each with its sources"),
        (f"  government_role: {role}", mark("role", unset) + ", ".join(GOVERNMENT_ROLES)),
        ("  result: pending", ", ".join(RESULTS) + ": from the state and local side"),
        ("  result_note: null", "one sentence justifying the mark, or null"),
        ("  challenges: []", "ids of measures in data/measures.yaml the case is about"),
        ("  sources:", "sources first defined for this case"),
        *[("    " + text, comment) for text, comment in source_rows(source_id)],
    ]
    return rows_to_yaml(rows, indent=2)
