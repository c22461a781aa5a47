"""Safe YAML reading: plain data only, a map from JSON paths to file positions, hard limits.

The document is built from the parser's event stream by an iterative builder, not by
PyYAML's constructor: no recursion (deep nesting cannot crash it), no Python tags, duplicate
keys detected (PyYAML silently keeps the last), aliases counted as if expanded (so a "billion
laughs" file is stopped early), and every node's line and column recorded. That builder is
the reference; an ordinary file takes a faster way to the same result (see fastyaml.py), and
its positions are worked out only when something asks for them.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cosmecheck import fastyaml
from cosmecheck.errors import LoadError
from cosmecheck.fastyaml import CONSTRUCTORS, CORE, MAP, NULL, SEQ, TEXT_TAGS
from cosmecheck.model import Limits

_ALLOWED_SCALAR_TAGS = TEXT_TAGS | {NULL} | set(CONSTRUCTORS)
_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()
# The keys jsonschema's json_path writes with a dot; others as ['key'].
_LIBYAML_DEPTH = 1_000
_PLAIN_KEY = re.compile(r"^[a-zA-Z][a-zA-Z0-9_]*$")

Position = tuple[int, int]


class Parsed:
    """A parsed YAML document with the positions of its nodes.

    ``values`` and ``keys`` map JSON paths to (line, column), ``containers`` holds the paths of
    mappings and lists, and ``scalar_text`` the source text of plain scalars YAML read as a
    number or a boolean. A document read the fast way keeps its node tree and works these out
    on first use, so a file with nothing to report never builds a path.
    """

    __slots__ = ("_containers", "_keys", "_nodes", "_scalar_text", "_values", "data")

    def __init__(
        self,
        data: Any,
        values: dict[str, Position] | None = None,
        keys: dict[str, Position] | None = None,
        scalar_text: dict[str, str] | None = None,
        containers: set[str] | None = None,
        *,
        nodes: Node | None = None,
    ) -> None:
        self.data = data
        self._values = {} if values is None else values
        self._keys = {} if keys is None else keys
        self._scalar_text = {} if scalar_text is None else scalar_text
        self._containers = set() if containers is None else containers
        self._nodes = nodes

    @property
    def values(self) -> dict[str, Position]:
        """Where each value is: a scalar at itself, a mapping or list where it starts."""
        return self._indexed()._values

    @property
    def keys(self) -> dict[str, Position]:
        """Where the key of each mapping entry is."""
        return self._indexed()._keys

    @property
    def scalar_text(self) -> dict[str, str]:
        """The source text of each plain scalar read as a number or a boolean."""
        return self._indexed()._scalar_text

    @property
    def containers(self) -> set[str]:
        """The paths of the mappings and lists."""
        return self._indexed()._containers

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Parsed):
            return NotImplemented
        return _fields(self) == _fields(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Parsed(data={self.data!r})"

    def locate(self, path: str) -> Position | None:
        """Where a finding on ``path`` points: a mapping or list at its key, a value at itself."""
        trail = self._trail(path)
        if trail is not None:
            return trail.locate()
        if path in self.containers and path in self.keys:
            return self.keys[path]
        return self.position(path)

    def position(self, path: str) -> Position | None:
        """Line and column (1-based) of ``path``, or of its nearest ancestor in the file."""
        trail = self._trail(path)
        if trail is not None:
            return trail.position()
        if path in self.values:
            return self.values[path]
        probe = path
        while probe and probe != "$":
            probe = parent_path(probe)
            found = self.keys.get(probe) or self.values.get(probe)
            if found:
                return found
        return None

    def _trail(self, path: str) -> _Trail | None:
        """The walk down the node tree to ``path``, where the tree is kept and ``path`` reads."""
        if self._nodes is None:
            return None
        steps = path_steps(path)
        return None if steps is None else _Trail(self._nodes, steps)

    def _indexed(self) -> Parsed:
        if self._nodes is not None:
            _Index(self._nodes).into(self)
            self._nodes = None
        return self


def _fields(parsed: Parsed) -> tuple[Any, ...]:
    return (parsed.data, parsed.values, parsed.keys, parsed.scalar_text, parsed.containers)


def child_path(path: str, key: str | int) -> str:
    """The JSON path of a child, written as jsonschema writes ``json_path``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if _PLAIN_KEY.match(key):
        return f"{path}.{key}"
    escaped = key.replace("\\", "\\\\").replace("'", "\\'")
    return f"{path}['{escaped}']"


_STEP = re.compile(r"\.([a-zA-Z][a-zA-Z0-9_]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]")


def path_steps(path: str) -> list[str | int] | None:
    """The keys and indexes of a JSON path written as `child_path` writes them, or None."""
    if not path.startswith("$"):
        return None
    steps: list[str | int] = []
    at = 1
    while at < len(path):
        match = _STEP.match(path, at)
        if match is None:
            return None
        name, index, quoted = match.groups()
        if index is not None:
            steps.append(int(index))
        else:
            steps.append(name if name is not None else re.sub(r"\\(.)", r"\1", quoted))
        at = match.end()
    return steps


class _Trail:
    """The nodes on the way from the root to a path, as far as the path exists in the file."""

    __slots__ = ("complete", "found", "root")

    def __init__(self, root: Node, steps: list[str | int]) -> None:
        self.root = root
        # (key node or None for a list item, value node) for each step that exists.
        self.found: list[tuple[Node | None, Node]] = []
        node = root
        for step in steps:
            entry = _child(node, step)
            if entry is None:
                break
            self.found.append(entry)
            node = entry[1]
        self.complete = len(self.found) == len(steps)

    def position(self) -> Position | None:
        """As Parsed.position: the path's value, else its nearest ancestor's key or item, else
        the document's start."""
        if self.complete:
            return _mark(self.found[-1][1] if self.found else self.root)
        if not self.found:
            return _mark(self.root)
        key, value = self.found[-1]
        return _mark(key if key is not None else value)

    def locate(self) -> Position | None:
        """As Parsed.locate: a mapping or list at its key, anything else as position()."""
        if self.complete and self.found:
            key, value = self.found[-1]
            if key is not None and not isinstance(value, ScalarNode):
                return _mark(key)
        return self.position()


def _child(node: Node, step: str | int) -> tuple[Node | None, Node] | None:
    if isinstance(node, MappingNode) and isinstance(step, str):
        for key, value in node.value:
            if key.value == step:
                return key, value
    elif isinstance(node, SequenceNode) and isinstance(step, int) and step < len(node.value):
        return None, node.value[step]
    return None


def parent_path(path: str) -> str:
    """The JSON path one level up."""
    cut = path.rfind("['") if path.endswith("']") else max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else "$"


def read_bytes(path: str | Path, limits: Limits) -> bytes:
    """The file's bytes, refusing folders, special files and files over the size limit."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise LoadError.one("this is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            # A pipe or a device could block the read forever, or never end.
            raise LoadError.one("this is not a regular file (a pipe, socket or device?)")
        size = info.st_size
        if size > limits.max_bytes:
            raise LoadError.one(_too_big(size, limits))
        with open(path, "rb") as stream:
            return read_limited(stream, limits)
    except OSError as exc:
        raise LoadError.one(f"cannot read the file: {exc.strerror or exc}") from None


def read_limited(stream: BinaryIO, limits: Limits, source: str = "the file") -> bytes:
    """A stream's bytes, refused once past the size limit without reading further."""
    data = stream.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise LoadError.one(
            f"{source} is over the limit of {limits.max_bytes:,} bytes (raise it with --max-bytes)"
        )
    return data


def _too_big(size: int, limits: Limits) -> str:
    return (
        f"the file is {size:,} bytes, over the limit of {limits.max_bytes:,} bytes "
        "(a consortium file is a few kilobytes; raise the limit with --max-bytes)"
    )


def decode(data: bytes) -> str:
    """UTF-8 text (a BOM is allowed), or a load error at the first bad byte."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    nul = data.find(b"\0")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(data, exc.start)
        raise LoadError.one(
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8",
            line,
            column,
        ) from None
    if nul >= 0:
        line, column = _byte_position(data, nul)
        raise LoadError.one("the file holds a NUL byte: it is binary, not YAML", line, column)
    return text


def _position(event: yaml.Event) -> Position:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark else (0, 0)


def _tag_message(tag: str | None) -> str:
    shown = "!!" + tag[len(CORE) :] if tag and tag.startswith(CORE) else tag
    return f"the tag {shown} is not allowed: a consortium file holds plain data only"


def _byte_position(data: bytes, offset: int) -> Position:
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[data.rfind(b"\n", 0, offset) + 1 : offset].decode("utf-8", "replace")) + 1
    return line, column


def parse(text: str, limits: Limits | None = None, *, fast: bool = True) -> Parsed:
    """Parse one YAML document of plain data; raise LoadError with a position otherwise.

    An ordinary file is composed in C and converted in one pass; anything unusual, or
    ``fast=False``, goes through the event builder, whose messages and positions are the
    reference. Both ways give the same data, positions and errors.
    """
    limits = limits or Limits()
    if fast:
        try:
            nodes, data = fastyaml.read(text, limits)
        except fastyaml.Unusual:
            pass
        else:
            return Parsed(data, nodes=nodes)
    return _parse_events(text, limits)


def _parse_events(text: str, limits: Limits) -> Parsed:
    builder = _Builder(limits)
    try:
        for event in yaml.parse(text, Loader=_PARSER):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if "maximum nesting depth" in str(exc.problem):
            # libyaml stops at its own 1,000 levels of flow nesting, whatever --max-depth says.
            where = (mark.line + 1, mark.column + 1) if mark else (None, None)
            raise LoadError.one(
                f"the file nests deeper than {min(builder.limits.max_depth, _LIBYAML_DEPTH)} "
                f"levels (--max-depth raises the limit up to {_LIBYAML_DEPTH:,} for [ ] and {{ }})",
                *where,
            ) from None
        problem = exc.problem or exc.context or "the file is not valid YAML"
        context = f" ({exc.context})" if exc.context and exc.problem else ""
        where = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise LoadError.one(f"invalid YAML: {problem}{context}", *where) from None
    except yaml.reader.ReaderError as exc:
        if _PARSER is yaml.SafeLoader:
            line = text.count("\n", 0, exc.position) + 1
            column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        else:  # libyaml reports a byte offset
            line, column = _byte_position(text.encode("utf-8"), exc.position)
        raise LoadError.one(f"invalid YAML: {exc.reason}", line, column) from None
    except yaml.YAMLError as exc:
        raise LoadError.one(f"invalid YAML: {exc}") from None
    return builder.result()


def load_path(path: Path, limits: Limits | None = None) -> Parsed:
    """Read, decode and parse a file."""
    limits = limits or Limits()
    return parse(decode(read_bytes(path, limits)), limits)


@dataclass(slots=True)
class _Frame:
    container: dict[str, Any] | list[Any]
    path: str
    anchor: str | None
    key: str | None = None
    key_position: Position | None = None
    size: int = 1
    merges: list[tuple[Any, Position]] = field(default_factory=list)
    merging: bool = False


class _Builder:
    """Builds plain Python data from parser events, enforcing the limits as it goes."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.parsed = Parsed(data=None)
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.nodes = 0
        self.documents = 0

    def result(self) -> Parsed:
        return self.parsed

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self._fail("the file holds more than one YAML document; keep one", event)
        elif isinstance(event, yaml.ScalarEvent):
            self._add(self._scalar(event), event, 1)
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._start(event)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self._end()

    def _fail(self, message: str, event: yaml.Event) -> NoReturn:
        raise LoadError.one(message, *_position(event))

    def _count(self, size: int, event: yaml.Event) -> None:
        self.nodes += size
        if self.nodes > self.limits.max_nodes:
            self._fail(
                f"the file has more than {self.limits.max_nodes:,} YAML nodes once aliases "
                "are expanded (raise the limit with --max-nodes)",
                event,
            )

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        value: str = event.value
        if len(value) > self.limits.max_scalar_chars:
            self._fail(
                f"a value of {len(value):,} characters is over the limit of "
                f"{self.limits.max_scalar_chars:,} (raise it with --max-chars)",
                event,
            )
        tag = event.tag
        if tag in (None, "!"):
            if tag == "!" or not event.implicit[0]:
                return value
            tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
        if tag not in _ALLOWED_SCALAR_TAGS:
            self._fail(_tag_message(tag), event)
        if tag in TEXT_TAGS:
            return value
        if tag == NULL:
            return None
        try:
            return CONSTRUCTORS[tag](yaml.ScalarNode(tag, value))
        except (ValueError, yaml.YAMLError):
            self._fail(f"{value[:40]!r} is not a valid {tag.rsplit(':', 1)[-1]}", event)

    def _check_collection_tag(self, event: yaml.CollectionStartEvent) -> None:
        allowed = MAP if isinstance(event, yaml.MappingStartEvent) else SEQ
        if event.tag not in (None, "!", allowed):
            self._fail(_tag_message(event.tag), event)

    def _start(self, event: yaml.CollectionStartEvent) -> None:
        self._check_collection_tag(event)
        if len(self.stack) >= self.limits.max_depth:
            self._fail(
                f"the file nests deeper than {self.limits.max_depth} levels "
                "(raise the limit with --max-depth)",
                event,
            )
        container: dict[str, Any] | list[Any] = (
            {} if isinstance(event, yaml.MappingStartEvent) else []
        )
        path = self._add(container, event, 0)
        self.parsed._containers.add(path)
        if event.anchor:
            self.open_anchors.add(event.anchor)
        self._count(1, event)
        self.stack.append(_Frame(container, path, event.anchor))

    def _end(self) -> None:
        frame = self.stack.pop()
        if isinstance(frame.container, dict):
            for source, position in frame.merges:
                self._merge(frame.container, source, position)
        if frame.anchor:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (frame.container, frame.size)
        if self.stack:
            self.stack[-1].size += frame.size

    def _merge(self, target: dict[str, Any], source: Any, position: Position) -> None:
        sources = source if isinstance(source, list) else [source]
        for item in sources:
            if not isinstance(item, dict):
                raise LoadError.one("a merge key (<<) takes a mapping or a list of them", *position)
            for key, value in item.items():
                target.setdefault(key, value)

    def _alias(self, event: yaml.AliasEvent) -> None:
        name = event.anchor or ""
        if name in self.open_anchors:
            self._fail(f"the alias *{name} refers to a node that contains it", event)
        if name not in self.anchors:
            self._fail(f"the alias *{name} has no anchor &{name} before it", event)
        value, size = self.anchors[name]
        self._add(value, event, size)

    def _add(self, value: Any, event: yaml.Event, count: int) -> str:
        """Attach a node to its parent; return its JSON path."""
        position = _position(event)
        if count:
            self._count(count, event)
        if not self.stack:
            self.parsed.data = value
            self.parsed._values["$"] = position
            if isinstance(event, yaml.ScalarEvent) and event.anchor:
                self.anchors[event.anchor] = (value, 1)
            return "$"
        frame = self.stack[-1]
        frame.size += count
        if isinstance(event, yaml.ScalarEvent) and event.anchor:
            self.anchors[event.anchor] = (value, 1)
        if isinstance(frame.container, list):
            path = child_path(frame.path, len(frame.container))
            frame.container.append(value)
        elif frame.key is None and not frame.merging:
            self._take_key(frame, value, event, position)
            return frame.path
        else:
            path = self._put_value(frame, value, event, position)
        self.parsed._values[path] = position
        self._remember_text(path, value, event)
        return path

    def _take_key(self, frame: _Frame, value: Any, event: yaml.Event, position: Position) -> None:
        if not isinstance(event, yaml.ScalarEvent):
            self._fail("a mapping key must be plain text, not a list, mapping or alias", event)
        key: str = event.value
        if key == "<<" and event.implicit[0]:
            frame.merging = True
            frame.key_position = position
            return
        assert isinstance(frame.container, dict)
        if key in frame.container:
            first = self.parsed._keys.get(child_path(frame.path, key))
            where = f" (first at line {first[0]})" if first else ""
            self._fail(f"duplicate key '{key}'{where}: keep one", event)
        frame.key = key
        frame.key_position = position
        self.parsed._keys[child_path(frame.path, key)] = position

    def _put_value(self, frame: _Frame, value: Any, event: yaml.Event, position: Position) -> str:
        assert isinstance(frame.container, dict)
        if frame.merging:
            frame.merges.append((value, frame.key_position or position))
            frame.merging = False
            return child_path(frame.path, "<<")
        key = frame.key
        assert key is not None
        frame.container[key] = value
        frame.key = None
        return child_path(frame.path, key)

    def _remember_text(self, path: str, value: Any, event: yaml.Event) -> None:
        # The source text of plain scalars YAML did not read as text: "360.000" parses as
        # 360.0, "NO" as false, an unquoted PIC with a leading zero as an octal number; the
        # format layer needs what the user wrote.
        if isinstance(event, yaml.ScalarEvent) and isinstance(value, (int, float)):
            self.parsed._scalar_text[path] = event.value


class _Index:
    """The positions of a node tree composed in C, as the event builder records them."""

    def __init__(self, root: Node) -> None:
        self.root = root
        self.values: dict[str, Position] = {}
        self.keys: dict[str, Position] = {}
        self.scalar_text: dict[str, str] = {}
        self.containers: set[str] = set()
        self.todo: list[tuple[Node, str]] = []

    def into(self, parsed: Parsed) -> None:
        """Fill ``parsed``'s positions with the tree's."""
        self.values["$"] = _mark(self.root)
        if not isinstance(self.root, ScalarNode):
            self.containers.add("$")
            self.todo.append((self.root, "$"))
        while self.todo:
            self._children(*self.todo.pop())
        parsed._values, parsed._keys = self.values, self.keys
        parsed._scalar_text, parsed._containers = self.scalar_text, self.containers

    def _children(self, node: Node, path: str) -> None:
        if isinstance(node, MappingNode):
            for key, value in node.value:
                child = child_path(path, key.value)
                self.keys[child] = _mark(key)
                self._visit(value, child)
        else:
            for index, item in enumerate(node.value):
                self._visit(item, f"{path}[{index}]")

    def _visit(self, node: Node, path: str) -> None:
        self.values[path] = _mark(node)
        if not isinstance(node, ScalarNode):
            self.containers.add(path)
            self.todo.append((node, path))
        elif node.tag in CONSTRUCTORS:
            # The source text of plain scalars YAML did not read as text (see _remember_text).
            self.scalar_text[path] = node.value


def _mark(node: Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1
