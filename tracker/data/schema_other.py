"""JSON Schemas of data/waves.yaml, cases.yaml, lists.yaml, measures.yaml and changelog.yaml."""

from __future__ import annotations

import json
from typing import Any

from tracker.data.schema import BATCHES, DATE, ID, REFS, SOURCE, SOURCE_REF, TEXT, YEAR, choice, prop, record

CASE_STATUSES = {
    "pending": "Still before a court.",
    "decided": "A final ruling was issued.",
    "dismissed": "Dismissed without a final ruling on the merits (for example by agreement of the parties).",
    "settled": "Ended by an agreement between the parties.",
    "unknown": "No outcome found in the sources so far.",
}
RULING_KINDS = (
    "preliminary-injunction",
    "summary-judgment",
    "permanent-injunction",
    "appeal",
    "en-banc",
    "stay",
    "dismissal",
    "settlement",
    "other",
)
GOVERNMENT_ROLES = {
    "defendant": "A state or local government sued the federal government.",
    "plaintiff": "The federal government sued the state or local government.",
}
RESULTS = {
    "won": "The state or local governments won: the last ruling went their way.",
    "lost": "The federal government won.",
    "partly": "Each side won part of it.",
    "pending": "Not yet decided, or no outcome found so far.",
}
MEASURE_KINDS = {
    "executive-order": "A presidential executive order.",
    "directive": "A directive or memorandum of the Attorney General or a department.",
    "grant-condition": "A condition attached to a federal grant program.",
    "list": "A published list of jurisdictions.",
    "other": "Another national measure.",
}
PROGRAMS = ("Byrne JAG", "VOCA", "VAWA", "FEMA/DHS", "all federal funds")
LIST_CATEGORIES = ("state", "county", "city")
CHANGE_KINDS = ("added", "updated", "correction")
IDS = {"type": "array", "items": ID}  # ids of jurisdictions or measures
SOURCES = prop(
    "Sources defined in this file (ids unique across all data files).", [], {"type": "array", "items": SOURCE}
)


def document(title: str, key: str, item: dict[str, Any], description: str) -> dict[str, Any]:
    """The schema of a file holding one list under `key`, and the sources its items cite."""
    body = record({key: prop(description, [], {"type": "array", "items": item}), "sources": SOURCES}, ("sources",))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Sanctuary Grants Tracker: {title}",
        **body,
        "description": f"Sanctuary Grants Tracker: {description.lower()}",
    }


WAVE = record(
    {
        "id": prop("The batch id letters use in jurisdictions.yaml.", "2017-04", {"enum": list(BATCHES)}),
        "name": prop("Short title.", "April 2017 letters", TEXT),
        "date": prop("Date the letters were sent (the first day if over several).", "2017-04-21", DATE),
        "sender": prop("Who sent or signed them, as the source says.", "Office of Justice Programs", TEXT),
        "demand": prop(
            "What the letters demanded, in your own words.", "Proof of compliance with 8 U.S.C. 1373.", TEXT
        ),
        "deadline": prop("Reply deadline, or null.", "2017-06-30", DATE, nullable=True),
        "recipients": prop(
            "How many jurisdictions the source says were written to, or null.",
            9,
            {"type": "integer", "minimum": 1},
            nullable=True,
        ),
        "sources": prop("Ids of the sources (at least one).", ["doj-2017-04-21"], REFS),
        "outcome": prop("What became of the wave, or null.", "Two were cleared by August 2017.", TEXT, nullable=True),
    }
) | {"description": "One wave of letters."}

RULING = record(
    {
        "date": prop("Date of the ruling.", "2017-09-15", DATE),
        "court": prop("Short court name.", "N.D. Ill.", TEXT),
        "kind": choice("Kind of ruling", "preliminary-injunction", RULING_KINDS),
        "holding": prop(
            "What it held, in one line of your own words.", "Blocked the notice and access conditions.", TEXT
        ),
        "citation": prop("Reporter citation, or null.", "264 F. Supp. 3d 933", TEXT, nullable=True),
        "for_jurisdiction": prop(
            "true if it went the jurisdiction's way, false if not, null if mixed.",
            True,
            {"type": "boolean"},
            nullable=True,
        ),
        "sources": prop("Ids of the sources (at least one).", ["casetext-2017-09-15"], REFS),
    }
) | {"description": "A court ruling in the case."}

CASE = record(
    {
        "id": prop(
            "Slug used in the address /cases/<id>/.",
            "chicago-v-sessions-2017",
            {**ID, "x-hint": "lowercase letters, digits and hyphens"},
        ),
        "name": prop("Case name.", "City of Chicago v. Sessions", TEXT),
        "court": prop("Court where it was filed.", "U.S. District Court for the Northern District of Illinois", TEXT),
        "docket": prop("Docket number in quotes, or null.", "1:17-cv-05720", TEXT, nullable=True),
        "filed": prop("Date filed, or null.", "2017-08-07", DATE, nullable=True),
        "plaintiffs": prop("Plaintiffs as named.", "City of Chicago", TEXT),
        "defendants": prop("Defendants as named.", "Attorney General Jefferson B. Sessions III", TEXT),
        "jurisdictions": prop("Ids of tracked jurisdictions that are parties.", ["chicago-il"], IDS),
        "fiscal_years": prop("Grant years at issue.", [2017], {"type": "array", "items": YEAR}),
        "status": choice("Where the case stands", "decided", CASE_STATUSES),
        "status_note": prop(
            "One sentence on where it ended, or null.", "The appeals court affirmed.", TEXT, nullable=True
        ),
        "summary": prop("One or two sentences in your own words.", "Chicago challenged the FY2017 conditions.", TEXT),
        "filing_sources": prop(
            "Ids of the sources for the filing and the summary (at least one).", ["clearinghouse-16080"], REFS
        ),
        "rulings": prop("Rulings in the case.", [], {"type": "array", "items": RULING}),
        "sources": prop("Sources defined for this case.", [], {"type": "array", "items": SOURCE}),
        "note": prop("Optional note.", "The docket number is from the appeal.", TEXT),
        "government_role": choice("The federal government's role", "defendant", GOVERNMENT_ROLES),
        "result": choice("Plain result mark, from the state and local side", "won", RESULTS),
        "result_note": prop("One sentence justifying the result mark, or null.", None, TEXT, nullable=True),
        "challenges": prop("Ids of the national measures (measures.yaml) the case is about.", ["eo-14159"], IDS),
    },
    optional=("filing_sources", "note"),
) | {"description": "A lawsuit over the grant conditions or the sanctuary measures."}

ENTRY = record(
    {
        "label": prop("The entry's name exactly as the list prints it.", "San Francisco County", TEXT),
        "category": choice("The list's own category for it", "county", LIST_CATEGORIES),
        "jurisdiction": prop("Id of the one jurisdiction record it means.", "san-francisco-ca", ID),
    }
) | {"description": "One entry of a published list, as published."}

PUBLISHED_LIST = record(
    {
        "id": prop("Slug used in the address /lists/<id>/.", "doj-2025-08-05", ID),
        "name": prop("Short title.", "Justice Department list of sanctuary jurisdictions", TEXT),
        "publisher": prop("Who published the list.", "U.S. Department of Justice", TEXT),
        "published": prop("Date the list was published.", "2025-08-05", DATE),
        "caveat": prop("The publisher's own caveat, or null.", "Not exhaustive; will be updated.", TEXT, nullable=True),
        "note": prop("What a reader should know about it, or null.", None, TEXT, nullable=True),
        "sources": prop("Ids of the sources (at least one).", ["doj-2025-08-05"], REFS),
        "entries": prop("The entries, as published, in the published order.", [], {"type": "array", "items": ENTRY}),
    }
) | {"description": "A published list of jurisdictions, kept as a dated snapshot: a new version is a new list."}

MEASURE = record(
    {
        "id": prop("Slug used in the address /measures/<id>/.", "eo-14159", ID),
        "kind": choice("Kind of measure", "executive-order", MEASURE_KINDS),
        "name": prop("Its name.", "Executive Order 14159", TEXT),
        "date": prop("Date signed or issued, or null when no source gives the day.", "2025-01-20", DATE, nullable=True),
        "effective": prop("Date it took effect, or null.", None, DATE, nullable=True),
        "programs": prop(
            "Grant programs it conditions: " + ", ".join(PROGRAMS) + ".",
            ["Byrne JAG"],
            {"type": "array", "items": {"enum": list(PROGRAMS)}},
        ),
        "summary": prop("What it does to sanctuary jurisdictions, in your own words.", "Orders a review.", TEXT),
        "status_note": prop("Where it stands now, or null.", None, TEXT, nullable=True),
        "sources": prop("Ids of the sources (at least one).", ["fr-2025-02006"], REFS),
    }
) | {"description": "A national measure: an executive order, directive, grant condition or list."}

CHANGE = record(
    {
        "date": prop("Date of the change.", "2026-11-28", DATE),
        "kind": prop("added, updated or correction.", "correction", {"enum": list(CHANGE_KINDS)}),
        "summary": prop("What changed, in one or two sentences.", "Corrected Lawrence's FY2016 figure.", TEXT),
        "jurisdictions": prop("Ids of the jurisdictions concerned.", ["lawrence-ma"], IDS),
        "source": prop("Id of the source a correction rests on, or null.", None, SOURCE_REF, nullable=True),
    }
) | {"description": "A dated change to the tracker."}

SCHEMAS: dict[str, dict[str, Any]] = {
    "waves": document("letter waves", "waves", WAVE, "The waves of Justice Department letters."),
    "cases": document("lawsuits", "cases", CASE, "The lawsuits over the grant conditions."),
    "lists": document("published lists", "lists", PUBLISHED_LIST, "Published lists of jurisdictions."),
    "measures": document("national measures", "measures", MEASURE, "The national measures."),
    "changelog": document("changelog", "entries", CHANGE, "Dated updates and corrections."),
}


def other_schema_json(name: str) -> str:
    return json.dumps(SCHEMAS[name], indent=2, ensure_ascii=False) + "\n"
