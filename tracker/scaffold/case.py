"""`build.py new case`: a lawsuit to paste into data/cases.yaml, with the fields to fill marked."""

from __future__ import annotations

import argparse

from tracker.data.placeholders import FILL, FILL_ID, PLACEHOLDER_DATE
from tracker.data.schema_other import GOVERNMENT_ROLES, RESULTS
from tracker.data.yamlfile import Located
from tracker.scaffold.blocks import Row, choose, mark, rows_to_yaml, source_rows, yaml_text


def case_rows(role: str, unset: set[str]) -> list[Row]:
    source_id = f"{FILL_ID}-case-source"
    return [
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


def new_case(args: argparse.Namespace, doc: Located) -> str:
    """The YAML of a new case, indented to paste under `cases:`."""
    role = choose(args.role, tuple(GOVERNMENT_ROLES), "--role", "defendant")
    return rows_to_yaml(case_rows(role, set() if args.role else {"role"}), indent=2)
