"""The JSON Schema of data/jurisdictions.yaml: one declaration drives the validator,
the committed schema file editors' tools read, and the data dictionary."""

from __future__ import annotations

import json
from typing import Any

from tracker.data.states import US_STATES

KINDS = ("state", "county", "city", "city-county")
STATUSES = {
    "letter-sent": "Received a letter from the Justice Department; no response or outcome recorded yet.",
    "responded": "Answered the Justice Department or publicly defended its policy; no determination recorded.",
    "litigating": "In court against the Justice Department over the grant conditions, with no final outcome recorded.",
    "cleared": "The Justice Department said it found no evidence of non-compliance, or released the withheld grant.",
    "won-in-court": "A court ruled for the jurisdiction on the grant conditions, and that ruling was the last word for it.",
    "resolved": "The dispute ended another way: settlement, dismissal or the 2021 withdrawal of the conditions.",
}
BATCHES = {
    "2017-04": "April 2017: letters to 9 jurisdictions",
    "2017-10": 'October 2017: "last chance" letters to 5 jurisdictions',
    "2017-11": "November 2017: letters to 29 jurisdictions",
    "2018-01": "January 2018: document demands to 23 jurisdictions",
    "2018-04": "April 2018: follow-up letters",
}
CONFIDENCES = {
    "exact": "An exact award figure from a primary record (award document, board item, government release).",
    "reported": "A figure stated by an official or a news report, not taken from the award record itself.",
    "approximate": 'A rounded figure ("about $72,000").',
    "lower-bound": 'A "more than" figure: the true amount is at least amount_min.',
    "joint": "A joint (disparate) award shared with another jurisdiction, not this jurisdiction's own share.",
    "secondary": "From a secondary or advocacy compilation that no primary source confirms.",
}
EVENT_KINDS = ("letter", "response", "lawsuit", "ruling", "clearance", "funding", "statement", "listed", "other")

SLUG = "^[a-z0-9]+(-[a-z0-9]+)*$"
ID = {"type": "string", "pattern": SLUG}
DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
TEXT = {"type": "string", "minLength": 1}
URL = {
    "type": "string",
    "pattern": "^https?://[^\\s]+$",
    "x-hint": "a full web address starting with https:// or http://",
}


def prop(description: str, example: Any, schema: dict[str, Any], nullable: bool = False) -> dict[str, Any]:
    """Describe one field: its rule, a description for editors and an example."""
    body = {"anyOf": [schema, {"type": "null"}]} if nullable else schema
    return {**body, "description": description, "examples": [example]}


def choice(
    description: str, example: str, values: dict[str, str] | tuple[str, ...], nullable: bool = False
) -> dict[str, Any]:
    """A field holding one of `values`, which its description lists (with their meanings, if given)."""
    listed = "; ".join(f"{k} = {v}" for k, v in values.items()) if isinstance(values, dict) else ", ".join(values)
    # One full stop at the end, whether or not the last meaning has its own.
    return prop(f"{description}: {listed.removesuffix('.')}.", example, {"enum": list(values)}, nullable)


def record(properties: dict[str, Any], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    """An object with exactly these fields (unknown fields are errors), all required but the `optional` ones."""
    return {
        "type": "object",
        "properties": properties,
        "required": [key for key in properties if key not in optional],
        "additionalProperties": False,
    }


SOURCE = record(
    {
        "id": prop(
            "Short unique name for this source, used to cite it. Lowercase letters, digits, hyphens.",
            "wapo-2018-01-24",
            {**ID, "x-hint": "lowercase letters, digits and hyphens, like wapo-2018-01-24"},
        ),
        "url": prop("Web address of the source.", "https://www.justice.gov/opa/pr/example", URL),
        "title": prop(
            "Title of the article, document or page.",
            "Justice Department demands documents from 23 jurisdictions",
            TEXT,
        ),
        "publisher": prop("Who published it.", "U.S. Department of Justice", TEXT),
        "date": prop("Publication date (YYYY-MM-DD), or null when unknown.", "2018-01-24", DATE, nullable=True),
    }
) | {"description": "A document a fact comes from."}

SOURCE_REF = {**ID, "x-hint": "the id of a source, like wapo-2018-01-24"}
REFS = {"type": "array", "items": SOURCE_REF, "minItems": 1}

LETTER = record(
    {
        "date": prop("Date of the letter.", "2018-01-24", DATE),
        "batch": choice("Which wave of letters", "2018-01", BATCHES),
        "deadline": prop("Date a reply was due, or null when none is recorded.", "2018-02-23", DATE, nullable=True),
        "source": prop("Id of the source for this letter.", "doj-2018-01-24", SOURCE_REF),
        "note": prop("Optional one-line note.", "Addressed to the police superintendent.", TEXT),
    },
    optional=("note",),
) | {"description": "A letter from the Justice Department to this jurisdiction."}

EXAMPLE_LETTER = {"date": "2018-01-24", "batch": "2018-01", "deadline": "2018-02-23", "source": "wapo-2018-01-24"}
# An illustration of the shape only: "Example City" is not a real jurisdiction.
EXAMPLE_JURISDICTION = {
    "id": "example-city-il",
    "name": "Example City",
    "official_name": "City of Example",
    "kind": "city",
    "state": "IL",
    "fips": "1700000",
    "lat": 40.0,
    "lon": -89.0,
    "status": "letter-sent",
    "status_date": None,
    "status_source": None,
    "summary": "An example entry.",
    "letters": [EXAMPLE_LETTER],
    "grants": [],
    "events": [],
    "sources": [],
}
MONEY = {"type": "integer", "minimum": 0}
YEAR = {"type": "integer", "minimum": 2005, "maximum": 2030}
GRANT = record(
    {
        "program": prop("Grant program.", "Byrne JAG", {"enum": ["Byrne JAG"]}),
        "fiscal_year": prop(
            "Federal fiscal year of the award, or null when the source does not say.", 2016, YEAR, nullable=True
        ),
        "amount": prop(
            "Amount in whole US dollars, or null (then amount_min must be set).", 260499, MONEY, nullable=True
        ),
        "amount_min": prop(
            'For "more than" figures: the lower bound in whole dollars; otherwise null.', 2000000, MONEY, nullable=True
        ),
        "confidence": choice("What kind of figure this is", "reported", CONFIDENCES),
        "note": prop("Optional one-line note, e.g. about joint awards.", "Joint award shared with Cook County.", TEXT),
        "source": prop("Id of the source for this figure.", "clarion-2017-11-15", SOURCE_REF),
    },
    optional=("note",),
) | {"description": "A grant figure, exactly as a source states it."}

EVENT = record(
    {
        "date": prop("Date of the event.", "2017-08-07", DATE),
        "kind": choice("Kind of event", "lawsuit", EVENT_KINDS),
        "summary": prop(
            "One or two sentences in your own words.",
            "The city sued the Justice Department over the grant conditions.",
            TEXT,
        ),
        "sources": prop("Ids of the sources for this event (at least one).", ["clearinghouse-16080"], REFS),
    }
) | {"description": "A dated event in this jurisdiction's story."}

JURISDICTION = record(
    {
        "id": prop(
            "Stable slug used in web addresses; never change it once published.",
            "chicago-il",
            {**ID, "x-hint": "lowercase letters, digits and hyphens, like chicago-il"},
        ),
        "name": prop("Short display name.", "Chicago", TEXT),
        "official_name": prop("Full official name.", "City of Chicago", TEXT),
        "kind": choice("Kind of government", "city", KINDS),
        "state": prop("Two-letter USPS state code.", "IL", {"enum": US_STATES}),
        "fips": prop(
            "Census FIPS code, in quotes: 2 digits for a state, 5 for a county or city-county, 7 for a city.",
            "1714000",
            {"type": "string", "pattern": "^[0-9]+$", "x-hint": 'digits only, in quotes, like "1714000"'},
        ),
        "lat": prop(
            "Approximate latitude of a point for the map (city hall, county seat or capitol).",
            41.8837,
            {"type": "number", "minimum": -90, "maximum": 90},
        ),
        "lon": prop(
            "Approximate longitude of that point (negative in the Americas).",
            -87.6319,
            {"type": "number", "minimum": -180, "maximum": 180},
        ),
        "status": choice(
            "Where its 2017–2021 dispute stands, or null for a jurisdiction first targeted in 2025 (no letters)",
            "cleared",
            STATUSES,
            nullable=True,
        ),
        "status_date": prop(
            "Date the status was established, or null when unknown.", "2019-03-02", DATE, nullable=True
        ),
        "status_source": prop(
            "Id of the source for the status (null only for letter-sent).", "ap-2019-03-02", SOURCE_REF, nullable=True
        ),
        "status_note": prop(
            "Optional sentence explaining the status.",
            "The Justice Department said it found no evidence of non-compliance.",
            TEXT,
        ),
        "summary": prop(
            "One or two sentences in your own words: what happened to this jurisdiction.",
            "Chicago sued in August 2017 and won.",
            TEXT,
        ),
        "letters": prop(
            "Letters from the Justice Department in 2017–2018; empty ([]) for a jurisdiction first targeted in 2025.",
            [EXAMPLE_LETTER],
            {"type": "array", "items": LETTER},
        ),
        "grants": prop("Grant figures, as sources state them (may be empty).", [], {"type": "array", "items": GRANT}),
        "events": prop("Dated events (may be empty).", [], {"type": "array", "items": EVENT}),
        "sources": prop("Sources cited by this jurisdiction's facts.", [], {"type": "array", "items": SOURCE}),
    },
    optional=("status_note",),
) | {"description": "A city, county or state the Justice Department targeted."}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://sanctuary-grants-tracker.github.io/tracker/schema/jurisdictions.schema.json",
    "title": "Sanctuary Grants Tracker: jurisdictions",
    **record(
        {
            "last_updated": prop("Date of the last editorial change to this file.", "2026-11-28", DATE),
            "shared_sources": prop("Sources cited by several jurisdictions.", [], {"type": "array", "items": SOURCE}),
            "jurisdictions": prop(
                "The jurisdictions the tracker follows.",
                [EXAMPLE_JURISDICTION],
                {"type": "array", "items": JURISDICTION, "minItems": 1},
            ),
        }
    ),
    "description": "Every fact the tracker publishes, each with its source.",
}


def schema_json() -> str:
    """Return the schema as the text committed in schema/jurisdictions.schema.json."""
    return json.dumps(SCHEMA, indent=2, ensure_ascii=False) + "\n"
