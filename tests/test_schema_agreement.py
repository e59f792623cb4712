"""The committed JSON Schema (what editors' tools check) and the build's validator (what refuses to publish)
agree: the real data passes both, and breaking any one schema rule in the tiny data fails both."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from tests.conftest import ROOT, TINY
from tracker.data.jurisdictions import load_document
from tracker.data.yamlfile import PathKey, load_yaml
from tracker.errors import DataError

SCHEMA = json.loads((ROOT / "schema" / "jurisdictions.schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=FormatChecker())
TINY_DATA = load_yaml(TINY / "data" / "jurisdictions.yaml", "tiny").value
KEYWORDS = ("type", "enum", "pattern", "format", "minimum", "maximum", "minItems", "minLength")
WRONG_TYPE = {"string": 12345, "integer": "12", "number": "12.5", "array": "a list", "object": "some fields"}
NOT_A_PATTERN = "Not a valid value!"
# jsonschema's own wording; the validator promises editors plain sentences instead.
RAW_WORDING = ("is not valid under", "is not of type", "does not match", "is a required property", "should be non")
Rule = tuple[str, PathKey, Any]  # (keyword, path of a value in the tiny data it applies to, the keyword's value)


def rules(schema: dict[str, Any], path: PathKey = ()) -> Iterator[Rule]:
    """Every rule in the schema, placed on the first value of the tiny data it governs."""
    for branch in schema.get("anyOf", []):
        if branch != {"type": "null"}:  # "or null" is not a rule a value can break on its own
            yield from rules(branch, path)
    for keyword in KEYWORDS:
        if keyword in schema:
            yield keyword, path, schema[keyword]
    for name in schema.get("required", []):
        yield "required", path + (name,), None
    if schema.get("additionalProperties") is False:
        yield "additionalProperties", path, None
    for name, sub in schema.get("properties", {}).items():
        yield from rules(sub, path + (name,))
    if "items" in schema:
        yield from rules(schema["items"], path + (0,))


RULES = [r for r in rules(SCHEMA) if not (r[0] == "format" and r[2] != "date")]


def rule_id(rule: Rule) -> str:
    return f"{rule[0]} {'/'.join(str(p) for p in rule[1]) or 'top'}"


def bad_value(keyword: str, value: Any, current: Any) -> Any:
    """A value that breaks this one rule."""
    if keyword == "type":
        return WRONG_TYPE[value]
    if keyword == "enum":
        return "not-a-choice"
    if keyword == "pattern":
        assert not re.search(value, NOT_A_PATTERN)
        return NOT_A_PATTERN
    if keyword == "format":
        return "2018-02-30"  # written like a date, but February has no 30th
    if keyword in ("minimum", "maximum"):
        return value - 1 if keyword == "minimum" else value + 1
    if keyword == "minItems":
        return current[: value - 1]
    return ""  # minLength (always 1 here)


def broken(rule: Rule) -> Any:
    """The tiny data with this one rule broken."""
    keyword, path, value = rule
    data = copy.deepcopy(TINY_DATA)
    if not path:
        return [data] if keyword == "type" else {**data, "unexpected_field": "x"}
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    if keyword == "required":
        del parent[path[-1]]
    elif keyword == "additionalProperties":
        parent[path[-1]]["unexpected_field"] = "x"
    else:
        parent[path[-1]] = bad_value(keyword, value, parent.get(path[-1]) if isinstance(parent, dict) else None)
    return data


def keywords(errors: list[ValidationError]) -> set[str]:
    """The keywords that failed, looking inside "or null" alternatives."""
    found = set()
    for error in errors:
        found.add(str(error.validator))
        found |= keywords(list(error.context or []))
    return found


def test_the_rules_walk_covers_the_whole_schema() -> None:
    found = {keyword for keyword, _, _ in RULES}
    assert found == {*KEYWORDS, "required", "additionalProperties"}
    assert len(RULES) > 100


def test_the_real_data_passes_the_schema_and_the_validator() -> None:
    file = ROOT / "data" / "jurisdictions.yaml"
    assert list(VALIDATOR.iter_errors(load_yaml(file, "data").value)) == []
    load_document(file)


@pytest.mark.parametrize("rule", RULES, ids=[rule_id(r) for r in RULES])
def test_breaking_a_schema_rule_fails_both_the_schema_and_the_validator(rule: Rule, tmp_path: Path) -> None:
    file = tmp_path / "jurisdictions.yaml"
    file.write_text(yaml.safe_dump(broken(rule), sort_keys=False, allow_unicode=True), encoding="utf-8")
    errors = list(VALIDATOR.iter_errors(load_yaml(file, "broken").value))
    assert rule[0] in keywords(errors), [e.message for e in errors]
    with pytest.raises(DataError) as caught:
        load_document(file)
    messages = [p.message for p in caught.value.problems]
    assert all(p.line is not None for p in caught.value.problems), messages
    assert not [m for m in messages if any(words in m for words in RAW_WORDING)]


def properties(schema: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    for branch in schema.get("anyOf", []):
        yield from properties(branch, path)
    for name, sub in schema.get("properties", {}).items():
        yield f"{path}{name}", sub
        yield from properties(sub, f"{path}{name}.")
    if "items" in schema:
        yield from properties(schema["items"], path.removesuffix(".") + "[].")


PROPERTIES = list(properties(SCHEMA))


@pytest.mark.parametrize(("name", "schema"), PROPERTIES, ids=[p[0] for p in PROPERTIES])
def test_every_property_is_described_with_an_example(name: str, schema: dict[str, Any]) -> None:
    assert isinstance(schema.get("description"), str) and schema["description"].strip()
    assert isinstance(schema.get("examples"), list) and schema["examples"]


@pytest.mark.parametrize(("name", "schema"), PROPERTIES, ids=[p[0] for p in PROPERTIES])
def test_every_example_is_itself_valid(name: str, schema: dict[str, Any]) -> None:
    checker = Draft202012Validator(schema, format_checker=FormatChecker())
    assert [e.message for e in checker.iter_errors(schema["examples"][0])] == []
