"""The rules a schema cannot express: unique ids, references, dates in order, places in the US."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from tracker.data.schema import STATUSES
from tracker.data.states import STATE_FIPS
from tracker.data.validate import as_date, describe_field, problem_at, shorten
from tracker.data.yamlfile import Located, PathKey
from tracker.errors import Problem

FIPS_LENGTH = {"state": 2, "county": 5, "city-county": 5, "city": 7}
# Generous boxes around the 50 states and the territories; a point outside is a typo (often a lost minus sign).
US_BOXES = ((17.5, 72.0, -180.0, -64.0), (13.0, 21.0, 144.0, 146.5), (-15.0, -10.0, -171.5, -168.0))
# A text of spaces only (or of nothing, or of line breaks), between the line breaks Located.scan puts
# around every text. A pattern that starts with a plain character is searched for at C speed.
BLANK_TEXT = re.compile(r"\n[^\S\n]*\n")

Finding = tuple[PathKey, str]  # where a rule found something, and what it says
Check = Callable[[Located], Iterator[Finding]]


def entries(record: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each set of fields in the list record[key], with its place; anything else is the schema's to report."""
    items = record.get(key) if isinstance(record, dict) else None
    for i, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict):
            yield i, item


def records(doc: Located) -> Iterator[tuple[int, dict[str, Any]]]:
    return entries(doc.value, "jurisdictions")


def all_sources(doc: Located) -> Iterator[tuple[PathKey, dict[str, Any]]]:
    for i, source in entries(doc.value, "shared_sources"):
        yield ("shared_sources", i), source
    for i, record in records(doc):
        for j, source in entries(record, "sources"):
            yield ("jurisdictions", i, "sources", j), source


def check_unique_ids(doc: Located) -> Iterator[Finding]:
    if all_unique([r.get("id") for _, r in records(doc)]) and all_unique([s.get("id") for _, s in all_sources(doc)]):
        return  # the common case, found without a path for each record
    yield from _repeated_ids(doc, [(("jurisdictions", i), r) for i, r in records(doc)], "jurisdiction id")
    yield from _repeated_ids(doc, all_sources(doc), "source id")


def _repeated_ids(doc: Located, items: Iterable[tuple[PathKey, dict[str, Any]]], what: str) -> Iterator[Finding]:
    seen: dict[str, PathKey] = {}
    for path, item in items:
        ident = item.get("id")
        if isinstance(ident, str) and ident in seen:
            first = doc.line_col(seen[ident] + ("id",))[0]
            yield path + ("id",), f'the {what} "{shorten(ident)}" is already used on line {first}; each must be unique.'
        elif isinstance(ident, str):
            seen[ident] = path


def all_unique(ids: list[Any]) -> bool:
    texts = [value for value in ids if isinstance(value, str)]
    return len(set(texts)) == len(texts)


def check_references(doc: Located) -> Iterator[Finding]:
    known = {s["id"] for _, s in all_sources(doc) if isinstance(s.get("id"), str)}
    # Anything but text (a list, say) is the schema's to report.
    if {ref for _, record in records(doc) for _, ref in citations(record) if isinstance(ref, str)} <= known:
        return  # the common case, found without a whole path for each citation
    for i, record in records(doc):
        for where, ref in citations(record):
            path = ("jurisdictions", i, *where)
            if isinstance(ref, str) and ref not in known:
                message = f'{describe_field(path)} cites the source "{shorten(ref)}", but no source has that id. Add it under "sources" or fix the id.'
                yield path, message


def citations(record: dict[str, Any]) -> Iterator[tuple[PathKey, Any]]:
    """Every source id a record cites, with its path within the record."""
    yield ("status_source",), record.get("status_source")
    for key in ("letters", "grants"):
        for j, item in entries(record, key):
            yield (key, j, "source"), item.get("source")
    for j, event in entries(record, "events"):
        ids = event.get("sources")
        for k, ref in enumerate(ids if isinstance(ids, list) else []):
            yield ("events", j, "sources", k), ref


def check_dates(doc: Located) -> Iterator[Finding]:
    last = as_date(doc.value.get("last_updated")) if isinstance(doc.value, dict) else None
    for i, record in records(doc):
        for j, letter in entries(record, "letters"):
            sent, due = as_date(letter.get("date")), as_date(letter.get("deadline"))
            if sent and due and due < sent:
                path = ("jurisdictions", i, "letters", j, "deadline")
                yield path, f"{describe_field(path)} ({due}) is before the letter's date ({sent})."
        if last is None:
            continue
        for path, when in _dated(i, record):
            if when > last:
                message = f'{describe_field(path)} ({when}) is after the file\'s "last_updated" date ({last}); is the year right?'
                yield path, message


def _dated(i: int, record: dict[str, Any]) -> Iterator[tuple[PathKey, dt.date]]:
    base: PathKey = ("jurisdictions", i)
    for key in ("letters", "events"):
        for j, item in entries(record, key):
            if when := as_date(item.get("date")):
                yield base + (key, j, "date"), when
    if when := as_date(record.get("status_date")):
        yield base + ("status_date",), when


def check_places(doc: Located) -> Iterator[Finding]:
    for i, record in records(doc):
        base: PathKey = ("jurisdictions", i)
        # Only text can be looked up: a list where a word belongs is the schema's to report, not a crash here.
        fips, kind, state = (_text(record.get(key)) for key in ("fips", "kind", "state"))
        length = FIPS_LENGTH.get(kind or "")
        if fips and fips.isdigit() and length and len(fips) != length:
            message = f'"fips" is "{fips}" ({len(fips)} digits), but a {kind} has a {length}-digit FIPS code.'
            yield base + ("fips",), message
        elif fips and fips.isdigit() and state in STATE_FIPS and not fips.startswith(STATE_FIPS[state]):
            yield base + ("fips",), f'"fips" is "{fips}", but codes in {state} start with {STATE_FIPS[state]}.'
        lat, lon = record.get("lat"), record.get("lon")
        if not (_number(lat) and _number(lon) and abs(lat) <= 90 and abs(lon) <= 180):
            continue  # not a point at all: the schema's message says why, once
        if not any(a <= lat <= b and c <= lon <= d for a, b, c, d in US_BOXES):
            hint = " Longitudes in the United States are negative: is a minus sign missing?" if lon > 0 else ""
            yield base + ("lat",), f"the point {lat}, {lon} is outside the United States.{hint}"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def scalars(value: Any, path: PathKey = ()) -> Iterator[tuple[PathKey, Any]]:
    """Every value that is not a list or a set of fields, with its path."""
    if isinstance(value, (dict, list)):
        for key, item in value.items() if isinstance(value, dict) else enumerate(value):
            yield from scalars(item, path + (key,))
    else:
        yield path, value


def check_values(doc: Located) -> Iterator[Finding]:
    """Values the schema lets through but a reader would see as blank or broken."""
    texts, nan = doc.scan()
    if not nan and BLANK_TEXT.search(texts) is None:
        return  # the common case, found without building a path for each of a million values
    for path, value in scalars(doc.value):
        if isinstance(value, str) and value and not value.strip():
            yield path, f"{describe_field(path)} holds only spaces; write the text it should hold."
        elif isinstance(value, float) and math.isnan(value):
            message = f'{describe_field(path)} is {doc.raw.get(path, "nan")}, which YAML reads as "not a number"; write digits.'
            yield path, message


def check_grants_and_status(doc: Located) -> Iterator[Finding]:
    for i, record in records(doc):
        base: PathKey = ("jurisdictions", i)
        # The status is the outcome of the 2017–2021 letters: a record has one exactly when it has letters.
        letters, status = record.get("letters"), record.get("status", "")
        if letters == [] and status is not None:
            message = '"letters" is empty, so "status" (the outcome of the 2017–2021 letters) must be null.'
            yield base + ("status",), message
        elif letters and status is None:
            message = '"status" is null, but the record has letters: give the status of its 2017–2021 dispute.'
            yield base + ("status",), message
        if record.get("status_source") is None and _text(status) in STATUSES and status != "letter-sent":
            yield base + ("status_source",), f'"status_source" is null, but the status "{status}" needs a source.'
        for j, grant in entries(record, "grants"):
            path = base + ("grants", j)
            amount, minimum = grant.get("amount"), grant.get("amount_min")
            if (amount is None) == (minimum is None):
                message = 'set exactly one of "amount" (a figure) and "amount_min" (a "more than" figure); write null in the other.'
                yield path + ("amount",), f"{describe_field(path)}: {message}"
            elif (minimum is not None) != (grant.get("confidence") == "lower-bound"):
                message = '"amount_min" goes with confidence "lower-bound", and "lower-bound" with "amount_min".'
                yield path + ("confidence",), f"{describe_field(path)}: {message}"


CHECKS: tuple[Check, ...] = (
    check_values,
    check_unique_ids,
    check_references,
    check_dates,
    check_places,
    check_grants_and_status,
)
# The rules that see one record and the rest of the file (last_updated), not the other records.
RECORD_CHECKS = (check_values, check_dates, check_places, check_grants_and_status)


def rule_problems(doc: Located, checks: tuple[Check, ...] = CHECKS) -> list[Problem]:
    """Run the rules; report each finding at the line of the value it is about."""
    return [problem_at(doc, path, message) for check in checks for path, message in check(doc)]
