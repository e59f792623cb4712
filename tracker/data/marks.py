"""Marks in a YAML text that only the sure reader (PyYAML) reads exactly: the fast reader leaves such a file to it."""

from __future__ import annotations

import re

from tracker.data.yamlfile import CONTENT_LINE

# Text this reader leaves to the sure one: escapes (which can hide control characters), anchors, aliases
# and tags, reserved characters, merge keys, directives and document markers, complex keys, tabs, and line breaks other than
# "\n" (PyYAML also breaks lines at CR, NEL and U+2028/2029), and direction overrides (which it strips).
# Plain substring tests first: a regular expression tried at every position of 25 MB costs seconds.
SURE_ONLY = ("\\", "\t", "\r", "<<", "\n---", "\n...", "\n%")
UNICODE_BREAKS = "\x85\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Anchors, aliases and tags, and the characters YAML reserves ("@", "`"), which PyYAML refuses to start a value.
INDICATORS = "&*!@`"
COMPLEX_KEY = re.compile(r"\n[ -]*\?\s")
# rapidyaml writes a plain "-.5" as -0.5 (to YAML 1.1 it is text), and "inf" or "nan" as .inf or .nan.
REWRITTEN_NUMBER = re.compile(r"[-+]\.[0-9]")
FIRST_MARKS = ("-", ".", "%", "?", "{", "[")  # at the start of a file: markers, directives, keys; top-level flow


def needs_sure_reader(text: str) -> bool:
    return first_content(text) in FIRST_MARKS or line_marks(text)


def line_marks(text: str) -> bool:
    """Marks that lie within a line, or start at a line break: a file has them when one of its lines does."""
    return (
        any(mark in text for mark in SURE_ONLY)
        or (not text.isascii() and any(c in text for c in UNICODE_BREAKS))
        or (any(c in text for c in INDICATORS) and _starts_a_value_with_an_indicator(text))
        or ("?" in text and COMPLEX_KEY.search(text) is not None)
        or (("-." in text or "+." in text) and REWRITTEN_NUMBER.search(text) is not None)
    )


def first_content(text: str) -> str:
    """The first character that is neither space nor part of a comment."""
    found = CONTENT_LINE.search(text)
    return found.group()[-1] if found else ""


def _starts_a_value_with_an_indicator(text: str) -> bool:
    """Whether a key or value begins with one of INDICATORS: one after nothing but spaces since the start of a line,
    a "- ", a ":" or a flow bracket or comma. Prose such as "Smith & Wesson" is fine; any doubt goes to the sure reader.
    """
    for char in INDICATORS:
        at = text.find(char)
        while at != -1:
            before = text[text.rfind("\n", 0, at) + 1 : at].rstrip(" ")
            if not before or before[-1] in ":-[{,":
                return True
            at = text.find(char, at + 1)
    return False
