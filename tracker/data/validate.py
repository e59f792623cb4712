"""Turn JSON Schema findings into messages an editor can act on."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from tracker.data.fastcheck import explaining, quick_valid
from tracker.data.schema import SCHEMA
from tracker.data.yamlfile import Located, PathKey
from tracker.errors import Problem

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

# The word for one item of a list, as in "grant 2".
SINGULAR = {name: name[:-1] for name in ("jurisdictions", "letters", "grants", "events", "sources", "rulings")}
SINGULAR |= {"shared_sources": "shared source", "entries": "entry"}
# The top-level lists whose items the subject of a message already names ("Chicago (id: chicago-il)", "case x").
NAMED_ITEMS = ("jurisdictions", "waves", "cases", "lists", "measures", "entries")
TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "array": "a list",
    "object": "a set of fields",
    "boolean": "true or false",
}
YAML_BOOLEANS = {"yes", "no", "on", "off", "y", "n", "true", "false"}


def subject_of(doc: Located, path: PathKey) -> str | None:
    """Name the jurisdiction a path belongs to, as "Chicago (id: chicago-il)"."""
    if len(path) < 2 or path[0] != "jurisdictions" or not isinstance(path[1], int):
        return None
    try:
        record = doc.value["jurisdictions"][path[1]]
    except (IndexError, KeyError, TypeError):
        return None
    if isinstance(record, dict) and isinstance(record.get("id"), str):
        name, ident = record.get("name"), shorten(record["id"])
        return f"{shorten(name)} (id: {ident})" if isinstance(name, str) and name.strip() else f"id {ident}"
    return f"jurisdiction number {path[1] + 1}"


def describe_field(path: PathKey) -> str:
    """Say which field a path names, in words: 'grant 2: "amount"'."""
    words: list[str] = []
    # Inside a jurisdiction, case or list the subject already names it; the list itself is named like any field.
    items = list(path[2:]) if len(path) >= 2 and path[0] in NAMED_ITEMS and isinstance(path[1], int) else list(path)
    for i, part in enumerate(items):
        if isinstance(part, int) and i > 0 and isinstance(items[i - 1], str):
            words[-1] = f"{SINGULAR.get(str(items[i - 1]), str(items[i - 1]))} {part + 1}"
        elif isinstance(part, str):
            words.append(f'"{part}"')
    return ", ".join(words) if words else "this entry"


def shorten(text: str, limit: int = 200) -> str:
    """Quote at most `limit` characters of a value: a pasted page must not become a page of errors."""
    return text if len(text) <= limit else f"{text[: limit - 40]}… ({len(text):,} characters)"


def describe_value(value: Any, raw: str | None) -> str:
    if value is None:
        return "empty (null)"  # whether written as nothing, "~" or "null"
    if raw is not None and not isinstance(value, str):
        return f"{shorten(raw)} (which YAML reads as {type_word(value)})"
    if isinstance(value, str):
        return f'"{shorten(value)}"'
    return type_word(value)


def type_word(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {shorten(str(value))}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    return "null" if value is None else f'"{value}"'


def did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f' Did you mean "{close[0]}"?' if close else ""


def type_hint(expected: str, value: Any, raw: str | None) -> str:
    if isinstance(value, bool) and raw is not None and raw.lower() in YAML_BOOLEANS:
        return f' YAML reads a bare {raw} as true/false; to mean the text, put it in quotes: "{raw}".'
    if expected == "string" and isinstance(value, (int, float)) and raw is not None:
        if raw.startswith("0") and raw.isdigit():
            return f' Put it in quotes to keep the leading zero: "{raw}".'
        return f' Put it in quotes: "{shorten(raw)}".'
    if expected in ("integer", "number") and isinstance(value, str) and value.isdigit():
        return " That is far too many digits for a real figure."
    if expected in ("integer", "number") and isinstance(value, str):
        return " Write digits only, without quotes, $ signs, commas or words (for example 2000000)."
    if expected == "integer" and isinstance(value, float):
        return " Write whole dollars, without cents."
    return ""


def schema_message(error: ValidationError, doc: Located) -> str:
    path = tuple(error.absolute_path)
    field = describe_field(path)
    value, raw, kind = error.instance, doc.raw.get(path), error.validator
    if kind == "type" and not path:
        return f"the top of the file must be a set of fields (last_updated, shared_sources, jurisdictions), but it is {type_word(value)}."
    if kind in ("type", "anyOf"):
        expected = error.schema.get("anyOf", [error.schema])[0].get("type", "null")  # not the anyOf allowing null
        wanted, found = TYPE_WORDS.get(expected, expected), describe_value(value, raw)
        return f"{field} must be {wanted}, but it is {found}.{type_hint(expected, value, raw)}"
    if kind == "enum":
        choices = [str(c) for c in error.validator_value]
        listed = ", ".join(choices) if len(choices) <= 12 else "a valid two-letter USPS code"
        hint = did_you_mean(str(value), choices)
        return f"{field} must be one of: {listed}; it is {describe_value(value, raw)}.{hint}"
    if kind in ("format", "pattern") and error.schema.get("format") == "date":
        return date_message(field, value)
    if kind == "pattern":
        return f"{field} is {describe_value(value, raw)}, which is not in the expected form: {error.schema.get('x-hint', error.validator_value)}."
    if kind in ("minimum", "maximum"):
        word = "at least" if kind == "minimum" else "at most"
        # The number as written, saying what YAML made of it when that differs (41:53 is read as 2513).
        shown = f"{value}" if raw is None or raw == str(value) else describe_value(value, raw)
        return f"{field} must be {word} {error.validator_value}, but it is {shown}."
    if kind == "minItems":
        return f"{field} needs at least {error.validator_value} entry."
    if kind == "minLength":
        return f"{field} must not be empty."
    return f"{field}: {error.message}."


def as_date(value: Any) -> dt.date | None:
    """The date a YYYY-MM-DD text names, or None when it names none."""
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def date_message(field: str, value: Any) -> str:
    if isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-" and as_date(value) is None:
        return f'{field} is "{value}", which is not a real date (check the day and month).'
    return (
        f"{field} must be a date written YYYY-MM-DD (for example 2018-01-24), but it is {describe_value(value, None)}."
    )


def unknown_key_problems(error: ValidationError, doc: Located) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    allowed = list(error.schema.get("properties", {}))
    for key in sorted(set(error.instance) - set(allowed)):
        message = f'{describe_field(path)}: unknown field "{key}".{did_you_mean(key, allowed)} Allowed fields: {", ".join(allowed)}.'
        if not path[2:]:
            message = message.replace("this entry: ", "")
        yield Problem(doc.path, *doc.line_col(path + (key,), key=True), message, subject_of(doc, path), "Unknown field")


def best_errors(errors: list[ValidationError]) -> Iterator[ValidationError]:
    """Each error, an anyOf (a value or null) replaced by what is wrong with the value (jsonschema's best_match)."""
    from jsonschema.exceptions import best_match, relevance  # only once a mistake is found: imported in 0.1 s

    def null_last(error: ValidationError) -> tuple[Any, ...]:
        # The keyword's name last: best_match gives up on a tie (a bad date breaks both format and pattern).
        return (*relevance(error), error.validator == "type" and error.validator_value == "null", error.validator)

    for error in errors:
        yield best_match([error], key=null_last) if error.validator == "anyOf" else error


def missing_problems(error: ValidationError, doc: Located, misspelt: set[tuple[PathKey, str]]) -> Iterator[Problem]:
    """One problem per field the object lacks: a "required" error's value is the schema's whole list of them."""
    path = tuple(error.absolute_path)
    where = "" if path[:1] == ("jurisdictions",) and not path[2:] else f"{describe_field(path)}: "
    for missing in [name for name in error.validator_value if name not in error.instance]:
        if any(p == path and difflib.get_close_matches(key, [missing], n=1, cutoff=0.6) for p, key in misspelt):
            continue  # 'unknown field "sate". Did you mean "state"?' already says it
        message = f'"{missing}" is missing at the top of the file.' if not path else ""
        message = message or f'{where}"{missing}" is missing. Add it (write null if it is not known).'
        yield problem_at(doc, path, message)


def problem_at(doc: Located, path: PathKey, message: str, title: str = "Invalid value") -> Problem:
    """A problem at the line of the value `path` names, said of the jurisdiction it belongs to."""
    return Problem(doc.path, *doc.line_col(path), message, subject_of(doc, path), title)


def schema_problems(doc: Located, schema: dict[str, Any] = SCHEMA) -> list[Problem]:
    """Check the document against the schema; one plain message per finding."""
    if quick_valid(schema, doc.value):
        return []  # the usual case: a compiled validator says so in milliseconds
    problems: list[Problem] = []
    errors = sorted(explaining(schema).iter_errors(doc.value), key=lambda e: [str(p) for p in e.absolute_path])
    misspelt = {  # the unknown keys (not every key of their object: "id" must not hide a missing "kind")
        (tuple(e.absolute_path), k)
        for e in errors
        if e.validator == "additionalProperties"
        for k in set(e.instance) - set(e.schema.get("properties", {}))
    }
    for error in best_errors(errors):
        # "required" and "additionalProperties" give one error each, whatever the number of fields.
        if error.validator == "required":
            found: Iterable[Problem] = missing_problems(error, doc, misspelt)
        elif error.validator == "additionalProperties":
            found = unknown_key_problems(error, doc)
        else:
            found = [problem_at(doc, tuple(error.absolute_path), schema_message(error, doc))]
        problems.extend(p for p in found if p not in problems)  # a bad date breaks both its pattern and its format
    return problems
