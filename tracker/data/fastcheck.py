"""A compiled JSON Schema validator (jsonschema-rs) for the common case of valid data.

Python's jsonschema writes the messages editors read, but takes seconds on a national data set;
the compiled validator only answers "valid or not". When it says valid we are done; otherwise the
Python validator runs to explain every problem. Both read the same schema, with date formats checked.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import jsonschema_rs

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

_COMPILED: dict[str, Any] = {}


def quick_valid(schema: dict[str, Any], value: Any) -> bool:
    key = json.dumps(schema, sort_keys=True)
    if key not in _COMPILED:
        _COMPILED[key] = jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
    return bool(_COMPILED[key].is_valid(value))


def explaining(schema: dict[str, Any]) -> Draft202012Validator:
    """Python's validator, which says where and why: imported only when a problem is found (the import is 0.05 s,
    a sixth of a build's start-up)."""
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(schema, format_checker=FormatChecker())
