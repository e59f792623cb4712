"""A compiled JSON Schema validator (jsonschema-rs) for the common case of valid data.

Python's jsonschema writes the messages editors read, but takes seconds on a national data set;
the compiled validator only answers "valid or not". When it says valid we are done; otherwise the
Python validator runs to explain every problem. Both read the same schema, with date formats checked.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema_rs

_COMPILED: dict[str, Any] = {}


def quick_valid(schema: dict[str, Any], value: Any) -> bool:
    key = json.dumps(schema, sort_keys=True)
    if key not in _COMPILED:
        _COMPILED[key] = jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
    return bool(_COMPILED[key].is_valid(value))
