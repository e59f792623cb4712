"""Read a YAML file into plain values, remembering where every value was written.

PyYAML's own loaders lose line numbers, keep the last of two duplicate keys and expand
aliases without limit, so we compose the node tree and convert it ourselves.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tracker.data.textfile import CONTROLS, control_words, line_col_at, read_text_file
from tracker.errors import DataError, Problem

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PathKey = tuple[str | int, ...]
MAX_DEPTH = 20
TOO_DEEP = f"the data is nested more than {MAX_DEPTH} levels deep; check the indentation and the brackets."
# Direction overrides can make a name display as something else ("Trojan Source"); they never belong in data.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
YAML_TAG = "tag:yaml.org,2002:"
CONTENT_LINE = re.compile(r"^[^\S\n]*[^\s#]", re.M)  # a line that is neither blank nor a comment
SCALAR_TAGS = {"null", "bool", "int", "float", "str", "timestamp"}
COLLECTION_TAGS = {yaml.MappingNode: "map", yaml.SequenceNode: "seq"}
CONSTRUCTOR = yaml.SafeLoader("")  # only used for its scalar constructors


@dataclass
class Located:
    """A document's values plus the (line, col) of each value and each mapping key."""

    value: Any
    path: str
    where: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_where: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    raw: dict[PathKey, str] = field(default_factory=dict)  # scalar text exactly as written
    _scan: tuple[str, bool] | None = field(default=None, repr=False)

    def scan(self) -> tuple[str, bool]:
        """Every text value between line breaks (one before the first too), and whether any number is NaN.

        Rules first look for a word in all the texts at once (C speed), and build paths only when it is there.
        """
        if self._scan is None:
            texts, nan, stack = [], False, [self.value]
            while stack:
                item = stack.pop()
                if isinstance(item, (dict, list)):
                    stack.extend(item.values() if isinstance(item, dict) else item)
                elif isinstance(item, str):
                    texts.append(item)
                elif isinstance(item, float):
                    nan = nan or math.isnan(item)
            self._scan = ("\n" + "\n".join(texts) + "\n", nan)
        return self._scan

    def line_col(self, path: PathKey, key: bool = False) -> tuple[int | None, int | None]:
        """Return where `path` was written, falling back to its nearest written parent."""
        table = self.key_where if key and path in self.key_where else self.where
        for end in range(len(path), -1, -1):
            if path[:end] in table:
                return table[path[:end]]
        return (None, None)


def _mark(node: yaml.Node | yaml.Event) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Converter:
    def __init__(self, doc: Located) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.doc.path, *_mark(node), message, title="YAML problem"))

    def convert(self, node: yaml.Node, path: PathKey) -> Any:
        self.doc.where[path] = _mark(node)
        expected = COLLECTION_TAGS.get(type(node))
        if expected and node.tag != YAML_TAG + expected:  # e.g. !!set or !!omap: not plain YAML data
            self.problem(node, f'the YAML tag "{node.tag}" is not allowed here; remove it.')
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, path + (i,)) for i, item in enumerate(node.value)]
        return self.scalar(node, path)

    def mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "a field name must be plain text.")
                continue
            key = key_node.value
            if key == "<<":
                self.problem(key_node, 'merge keys ("<<") are not allowed; write the fields out in full.')
                continue
            if key in result:
                first = self.doc.key_where[path + (key,)][0]
                self.problem(key_node, f'"{key}" is written twice in the same entry (first on line {first}); keep one.')
                continue
            self.doc.key_where[path + (key,)] = _mark(key_node)
            result[key] = self.convert(value_node, path + (key,))
        return result

    def scalar(self, node: yaml.ScalarNode, path: PathKey) -> Any:
        self.doc.raw[path] = node.value
        # Only YAML's own tags: "tag:example.com,2000:int" must not pass for an int (nor vanish into text).
        tag = node.tag.removeprefix(YAML_TAG) if node.tag.startswith(YAML_TAG) else node.tag
        if tag not in SCALAR_TAGS:
            self.problem(node, f'the YAML tag "{node.tag}" is not allowed here; remove it.')
            return node.value
        if tag == "timestamp":
            return node.value  # dates stay text; the validator checks that they are real dates
        if tag != "str":
            try:
                # The constructor itself, not construct_object, which caches every node it ever saw.
                return CONSTRUCTOR.yaml_constructors[node.tag](CONSTRUCTOR, node)
            except (ValueError, yaml.YAMLError):
                return node.value  # e.g. an int of more than 4,300 digits: the validator says it is not a number
        if control := CONTROLS.search(node.value):  # only through escapes in quotes: the file was checked when read
            self.problem(node, f"{control_words(control.group())}; remove it (look for a backslash escape).")
        return BIDI_CONTROLS.sub("", node.value)


def _yaml_problem(path: str, e: yaml.YAMLError, text: str) -> Problem:
    if isinstance(e, yaml.reader.ReaderError):  # a character YAML refuses, e.g. from load_yaml_text's callers
        line, col = line_col_at(text, e.position)
        return Problem(path, line, col, f"{control_words(chr(e.character))}; delete it.", title="YAML syntax error")
    if not isinstance(e, yaml.MarkedYAMLError):
        return Problem(path, None, None, f"the YAML cannot be read: {e}", title="YAML syntax error")
    if e.problem_mark and "nesting depth" in str(e.problem):
        # libyaml's own limit, met while it scans ahead of the depth count in _checked_events: say it the same way.
        return Problem(path, e.problem_mark.line + 1, e.problem_mark.column + 1, TOO_DEEP, title="YAML problem")
    mark = e.problem_mark or e.context_mark
    message = f"the YAML cannot be read: {e.problem}" + (f" ({e.context})" if e.context else "")
    opened = e.context_mark
    if e.problem_mark and opened and e.problem_mark.index >= len(text.rstrip()) and opened.line < mark.line:
        # The file ran out inside an unclosed quote or bracket: the line that opened it is the one to fix.
        mark = opened
        message = (
            "the YAML cannot be read: it ends before the quote, bracket or brace opened here is closed "
            f"({e.problem}, {e.context})"
        )
    lines = text.splitlines()
    if mark and mark.line < len(lines) and "\t" in lines[mark.line]:
        message += ". This line contains a tab character: YAML allows only spaces for indentation"
    line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
    return Problem(path, line, col, message + ".", title="YAML syntax error")


class _EventComposer(yaml.composer.Composer, yaml.resolver.Resolver):
    """Build the node tree from events already parsed (and checked) once, instead of parsing twice."""

    def __init__(self, events: list[yaml.Event]) -> None:
        self.events, self.next = events, 0
        yaml.composer.Composer.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    def check_event(self, *choices: type) -> bool:
        return self.next < len(self.events) and (not choices or isinstance(self.events[self.next], choices))

    def peek_event(self) -> yaml.Event:
        return self.events[self.next]

    def get_event(self) -> yaml.Event:
        self.next += 1
        return self.events[self.next - 1]


def _checked_events(path: str, text: str) -> list[yaml.Event]:
    """Parse into events, refusing aliases (an alias bomb is cheap to write and costly to expand) and deep nesting
    (it exhausts recursion) before any tree is built."""
    depth = 0
    events: list[yaml.Event] = []
    for event in yaml.parse(text, Loader=Loader):
        events.append(event)
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _located(path, event, "anchors and aliases (& and *) are not allowed; write each value out in full.")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _located(path, event, TOO_DEEP)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return events


def _located(path: str, event: yaml.Event, message: str) -> DataError:
    return DataError([Problem(path, *_mark(event), message, title="YAML problem")])


def load_yaml_text(text: str, display: str, first_line: int = 1) -> Located:
    """Load YAML text (e.g. front matter starting on `first_line` of its file)."""
    text = "\n" * (first_line - 1) + text  # the padding keeps reported lines true to the file
    try:
        node = _EventComposer(_checked_events(display, text)).get_single_node()
    except yaml.YAMLError as e:
        raise DataError([_yaml_problem(display, e, text)]) from e
    if node is None:
        message = "there is nothing here but comments or blank lines."
        raise DataError([Problem(display, first_line, None, message, title="Empty")])
    doc = Located(value=None, path=display)
    converter = _Converter(doc)
    doc.value = converter.convert(node, ())
    if converter.problems:
        raise DataError(converter.problems)
    return doc


def read_yaml_file(file: Path, display: str) -> str:
    """The text of a YAML file, refusing a file that holds nothing but comments or blank lines."""
    text = read_text_file(file, display)
    if CONTENT_LINE.search(text) is None:
        raise DataError([Problem(display, 1, None, "the file is empty (or holds only comments).", title="Empty file")])
    return text


def load_yaml(file: Path, display: str) -> Located:
    """Load one YAML file; raise DataError listing every problem with its line."""
    return load_yaml_text(read_yaml_file(file, display), display)
