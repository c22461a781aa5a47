"""The fast way through an ordinary file: a node tree composed in C, then one pass to plain data.

libyaml composes the document in C, and one iterative pass turns the nodes into the plain data
the event builder in loader.py makes, under the same limits. Whatever is out of the ordinary (a
YAML error, a tag, an alias, a merge key, a key that is not text, a limit reached, a file that
could nest too deep for C's recursion or grow too big to compose) raises Unusual: the caller
then reads the text with the event builder, whose messages and positions are the reference.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from cosmecheck.model import Limits

# The tags of plain data, shared with the event builder in loader.py.
CORE = "tag:yaml.org,2002:"
STR, NULL, MAP, SEQ, INT = (CORE + t for t in ("str", "null", "map", "seq", "int"))
TEXT_TAGS = {STR, CORE + "timestamp", CORE + "merge"}
_CONSTRUCTOR = SafeConstructor()
# Scalars YAML reads as something other than text, and how.
CONSTRUCTORS = {
    INT: _CONSTRUCTOR.construct_yaml_int,
    CORE + "float": _CONSTRUCTOR.construct_yaml_float,
    CORE + "bool": _CONSTRUCTOR.construct_yaml_bool,
}
AVAILABLE = hasattr(yaml, "CSafeLoader")
# libyaml's composer recurses once a level, with about 330 bytes of C stack each: a thousand
# levels fit in half a megabyte, less than any thread Python starts has.
SAFE_DEPTH = 1_000
# A tag starts with "!" after a separator; "!" after a letter or digit is text or an error.
_TAG = re.compile(r"(?<!\w)!")
# Spaces and the indicators of compact collections at the start of each line (libyaml also
# breaks lines at CR, NEL, LS and PS).
_LEADING = re.compile("(?:^|[\r\n\x85\u2028\u2029])[ \t\ufeff?:-]*")
_IMPLICIT = Resolver.yaml_implicit_resolvers


# The tags of plain scalars already resolved: keys and values such as "true", "registered" or
# "cluster_organisation" recur in every file, and each regex match costs more than a lookup.
_RESOLVED: dict[str, str] = {}
_RESOLVED_MAX = 1_024


def _plain_tag(value: str) -> str:
    for tag, pattern in _IMPLICIT.get(value[:1], ()):
        if pattern.match(value):
            return str(tag)
    return STR


class Unusual(Exception):
    """The fast path declines: the event builder must read this text."""


def read(text: str, limits: Limits) -> tuple[Node | None, Any]:
    """The node tree of ``text`` and its plain data; Unusual where the event builder decides."""
    if not AVAILABLE or _risky(text, limits):
        raise Unusual
    try:
        root = _Composer(text).get_single_node()
    except (yaml.YAMLError, UnicodeError):
        raise Unusual from None
    if root is None:
        return None, None
    return root, _plain_data(root, limits, aliases="*" in text)


def _risky(text: str, limits: Limits) -> bool:
    """Whether the text may hold too many nodes or nest too deep to compose, or has a tag.

    Every collection needs one of ``- : ? [ {`` of its own, and every scalar is a key or value
    next to one of them or to a comma, so their counts over-estimate both nodes and depth.
    """
    collections = sum(map(text.count, "-:?[{"))
    if 3 * (collections + text.count(",")) + 1 > 2 * limits.max_nodes:
        return True
    if collections > SAFE_DEPTH and nesting_bound(text) > SAFE_DEPTH:
        return True
    # libyaml resolves a scalar tagged "!" as if it were plain; the event builder keeps text.
    return "!" in text and _TAG.search(text) is not None


def nesting_bound(text: str) -> int:
    """An over-estimate of how deep ``text`` can nest, in one pass of a regular expression.

    A block collection opens at a column past the one around it (libyaml's indentation
    stack), except a list right under a mapping key; before that column its line holds only
    spaces and the ``- ? :`` of the collections around it. A flow collection needs a bracket
    of its own, or sits inside a ``[`` as a one-pair mapping.
    """
    longest = max(map(len, _LEADING.findall(text)))
    return 2 * (longest + 1) + 2 * text.count("[") + text.count("{")


def _plain_data(root: Node, limits: Limits, aliases: bool) -> Any:
    """The data the event builder makes of a tree without aliases; Unusual otherwise."""
    if isinstance(root, ScalarNode):
        if limits.max_nodes < 1:
            raise Unusual
        return _scalar(root, limits.max_scalar_chars)
    data = _collection(root, 0, limits.max_depth)
    todo: list[tuple[Node, Any, int]] = [(root, data, 0)]
    seen: set[int] | None = {id(root)} if aliases else None
    nodes = 1
    while todo:
        node, container, depth = todo.pop()
        nodes += _fill(node, container, depth, limits, todo, seen)
        if nodes > limits.max_nodes:
            raise Unusual
    return data


def _fill(
    node: Node,
    container: Any,
    depth: int,
    limits: Limits,
    todo: list[tuple[Node, Any, int]],
    seen: set[int] | None,
) -> int:
    """Put a collection's children in its container; return how many nodes they are."""
    pairs = isinstance(container, dict)
    if pairs:
        for key_node, item in node.value:
            key = _key(key_node, limits.max_scalar_chars)
            if key in container:
                raise Unusual
            container[key] = _child(item, depth, limits, todo)
    else:
        for item in node.value:
            container.append(_child(item, depth, limits, todo))
    if seen is not None:
        _unshared([n for pair in node.value for n in pair] if pairs else node.value, seen)
    return 2 * len(node.value) if pairs else len(node.value)


def _child(node: Node, depth: int, limits: Limits, todo: list[tuple[Node, Any, int]]) -> Any:
    if type(node) is ScalarNode:
        return _scalar(node, limits.max_scalar_chars)
    container = _collection(node, depth + 1, limits.max_depth)
    todo.append((node, container, depth + 1))
    return container


def _collection(node: Node, depth: int, max_depth: int) -> dict[str, Any] | list[Any]:
    if depth >= max_depth:
        raise Unusual
    if type(node) is MappingNode and node.tag == MAP:
        return {}
    if type(node) is SequenceNode and node.tag == SEQ:
        return []
    raise Unusual


def _key(node: Node, max_chars: int) -> str:
    if type(node) is not ScalarNode or node.tag != STR or len(node.value) > max_chars:
        raise Unusual  # a merge key, a number or a null the event builder keeps as text, ...
    value: str = node.value
    return value


def _scalar(node: Node, max_chars: int) -> Any:
    value: str = node.value
    if len(value) > max_chars:
        raise Unusual
    tag = node.tag
    if tag in TEXT_TAGS:
        return value
    if tag == NULL:
        return None
    # The commonest numbers without a constructor call: plain decimal digits (a leading 0
    # makes YAML 1.1 octal; a long one is left to the constructor's own checks).
    if (
        tag == INT
        and len(value) <= 18
        and value.isascii()
        and value.isdigit()
        and (value[0] != "0" or value == "0")
    ):
        return int(value)
    construct = CONSTRUCTORS.get(tag)
    if construct is None:
        raise Unusual
    try:
        return construct(node)  # type: ignore[arg-type]
    except (ValueError, yaml.YAMLError):
        raise Unusual from None


def _unshared(children: list[Node], seen: set[int]) -> None:
    """Refuse a node met before: an alias, which the event builder counts and places."""
    for child in children:
        if id(child) in seen:
            raise Unusual
        seen.add(id(child))


if AVAILABLE:
    from yaml._yaml import CParser

    _NO_PATHS: dict[Any, None] = {}

    class _Composer(CParser):
        """libyaml's composer with the safe loader's implicit types and no constructor."""

        # The C composer calls these for every node. With no path resolvers registered they
        # do nothing; builtins that take the same arguments save a Python call each.
        descend_resolver = _NO_PATHS.get
        ascend_resolver = tuple

        def resolve(self, kind: type[Node], value: str | None, implicit: Any) -> str:
            """Resolver.resolve, without the path and wildcard resolvers it never has."""
            if kind is ScalarNode:
                if not implicit[0]:
                    return STR
                assert value is not None
                tag = _RESOLVED.get(value)
                if tag is None:
                    tag = _plain_tag(value)
                    if len(_RESOLVED) < _RESOLVED_MAX and len(value) <= 40:
                        _RESOLVED[value] = tag
                return tag
            return MAP if kind is MappingNode else SEQ
