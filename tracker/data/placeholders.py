"""Values `build.py new` prints for the editor to fill in, and the check that none is left: a placeholder is
valid in form (a pasted block passes the schema), but must never be published."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from tracker.data.checks import records, scalars
from tracker.data.schema import SLUG
from tracker.data.validate import describe_field, problem_at
from tracker.data.yamlfile import Located, PathKey
from tracker.errors import Problem

FILL = "FILL IN"
FILL_ID = "fill-in"  # ids are slugs, so their placeholder is the slug of FILL
# The geographic centre of the contiguous United States (near Lebanon, Kansas): inside the map, yet no
# jurisdiction's point, so it can be recognised as a placeholder.
PLACEHOLDER_POINT = (39.8283, -98.5795)
PLACEHOLDER_STATE = "KS"  # the state of that point, so the placeholder FIPS code agrees with it
# A real date is needed to pass validation; this one is too early to be any fact the tracker records.
PLACEHOLDER_DATE = "1900-01-01"
PLACEHOLDER_HOSTS = ("example.org", "example.com", "example.net")
# A cheap superset of what placeholder_message reports, tried on all the texts at once (see Located.scan);
# each alternative starts with a plain character, so the search runs at C speed.
MAYBE_PLACEHOLDER = re.compile(rf"{FILL}|example\.|\n(?:{FILL_ID}-|{PLACEHOLDER_DATE}\n|[0-9]{{2}}0+\n)")


def hostname(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:  # a malformed address is the schema's to report, not ours
        return ""


def placeholder_message(path: PathKey, value: Any) -> str | None:
    """Why this value is still a placeholder, or None when it is not one."""
    if not isinstance(value, str):
        return None
    if FILL in value or (value.startswith(FILL_ID + "-") and re.match(SLUG, value)):
        return f'{describe_field(path)} is still the placeholder "{value}"; replace it with the real value.'
    if value == PLACEHOLDER_DATE:
        return f"{describe_field(path)} is still the placeholder date {value}; put the real date."
    host = hostname(value) if path[-1:] == ("url",) and "example." in value else ""
    if any(host == h or host.endswith("." + h) for h in PLACEHOLDER_HOSTS):
        return f"{describe_field(path)} is still a placeholder address ({value}); put the source's real web address."
    if path[-1:] == ("fips",) and len(value) > 2 and value.isdigit() and not value[2:].strip("0"):
        return (
            f'{describe_field(path)} "{value}" is a placeholder (only zeros after the state code); '
            "put the real Census code."
        )
    return None


def placeholder_problems(doc: Located) -> list[Problem]:
    """Values `build.py new` printed that were never filled in; they must not be published."""
    found: list[tuple[PathKey, str]] = []
    if MAYBE_PLACEHOLDER.search(doc.scan()[0]):  # paths only when worth building
        found = [(path, msg) for path, value in scalars(doc.value) if (msg := placeholder_message(path, value))]
    for i, record in records(doc):
        if (record.get("lat"), record.get("lon")) == PLACEHOLDER_POINT:
            message = (
                "the point is still the placeholder from `build.py new`; put the "
                "approximate point of city hall, county seat or capitol."
            )
            found.append((("jurisdictions", i, "lat"), message))
    problems = [problem_at(doc, path, message, "Placeholder") for path, message in found]
    return sorted(problems, key=lambda p: (p.line or 0, p.col or 0))
