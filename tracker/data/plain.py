"""What PyYAML makes of a plain scalar, for the fast reader (tracker/data/fastyaml.py): YAML 1.1's meaning of
`yes`, `012` or `.inf`, which rapidyaml (YAML 1.2) reads otherwise. Anything it cannot reproduce exactly gives up."""

from __future__ import annotations

import functools
import math
from typing import Any

import ryml
import yaml

from tracker.data.yamlfile import CONSTRUCTOR, MAX_DEPTH, SCALAR_TAGS, YAML_TAG

# The first characters of plain scalars that PyYAML may read as something other than text.
_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_RESOLVER = yaml.resolver.Resolver()


class GiveUp(Exception):
    """Something only the sure reader handles exactly."""


def give_up(_: str) -> Any:
    raise GiveUp


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs) or "<<" in result or "" in result:
        raise GiveUp  # a key written twice, or an empty key: the sure reader says which and where
    return result


@functools.lru_cache(maxsize=65536)  # dates, years and amounts repeat across records
def _resolve(text: str) -> str:
    """The tag PyYAML gives a plain scalar, without "tag:yaml.org,2002:"."""
    return _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)).removeprefix(YAML_TAG)


def _construct(tag: str, text: str) -> Any:
    """What the sure reader makes of a plain scalar PyYAML tags `tag` (yamlfile._Converter.scalar)."""
    if tag not in SCALAR_TAGS:
        raise GiveUp  # e.g. "=" (PyYAML's !!value): the sure reader reports it
    if tag in ("str", "timestamp"):
        return text
    try:
        return CONSTRUCTOR.yaml_constructors[YAML_TAG + tag](CONSTRUCTOR, yaml.ScalarNode(YAML_TAG + tag, text))
    except (ValueError, yaml.YAMLError):
        return text


@functools.lru_cache(maxsize=65536)
def plain_number(text: str) -> Any:
    """A number in rapidyaml's JSON came from a plain scalar: read it the way PyYAML reads that scalar."""
    tag = _resolve(text)
    if tag == "str":
        raise GiveUp  # e.g. 1e5 (text to YAML 1.1): rapidyaml may have rewritten it
    return _construct(tag, text)


class Plain:
    """Give text that PyYAML would read as a number, true/false or null that meaning, if it was written plain."""

    def __init__(self, tree: Any) -> None:
        self.tree = tree
        self.children: dict[int, list[int]] = {}

    def fix(self, value: Any) -> tuple[list[str], bool]:
        """Fix plain scalars in place; return every text value, and whether a float is NaN (one loop: a million
        values at national scale)."""
        found, nan, stack = [], False, [(value, ())]
        while stack:
            container, path = stack.pop()
            for key, item in container.items() if type(container) is dict else enumerate(container):
                kind = type(item)
                if kind is str and (item[:1] in _RESOLVERS) and (tag := _resolve(item)) not in ("str", "timestamp"):
                    item = container[key] = self.meaning(path + (key,), tag, item)  # now e.g. a number
                    kind = type(item)
                if kind is str:
                    found.append(item)
                elif kind is dict or kind is list:
                    if len(path) >= MAX_DEPTH:
                        raise GiveUp
                    stack.append((item, path + (key,)))
                elif kind is float:
                    nan = nan or math.isnan(item)
        return found, nan

    def meaning(self, path: tuple[str | int, ...], tag: str, text: str) -> Any:
        node = self.node(path)
        if self.tree.is_val_quoted(node):
            return text
        if bytes(self.tree.val(node)).decode("utf-8") != text:
            raise GiveUp  # rapidyaml rewrote it (".NaN" as ".nan", "inf" as ".inf"): the sure reader decides
        return _construct(tag, text)

    def node(self, path: tuple[str | int, ...]) -> int:
        node = self.tree.root_id()
        for step in path:
            if isinstance(step, int):
                if node not in self.children:
                    self.children[node] = list(ryml.children(self.tree, node))
                node = self.children[node][step]
            else:
                node = self.tree.find_child(node, step.encode("utf-8"))
            if node == ryml.NONE:
                raise GiveUp
        return node
