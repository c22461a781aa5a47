"""The fast way through a YAML file gives exactly what the event builder gives, or steps aside.

Every YAML file shipped or used as a fixture, a set of tricky snippets and generated documents
are parsed both ways (``parse(text)`` and ``parse(text, fast=False)``): the data must be equal
value for value and type for type, and so must every position, or both must fail with the
same load errors.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CASES, EXAMPLES, MALFORMED, ROOT
from cosmecheck import fastyaml, loader
from cosmecheck.errors import LoadError
from cosmecheck.loader import Parsed, child_path, decode, parse, path_steps
from cosmecheck.model import Limits

FILES = sorted(p for folder in (EXAMPLES, CASES, ROOT / "rules") for p in folder.rglob("*.yaml"))
ORDINARY = [p for p in FILES if "bad" not in p.parts and not p.name.startswith("_")]
SNIPPETS = [
    "",
    "# nothing\n",
    "---\n",
    "~\n",
    "12\n",
    "---\na: 1\n...\n",
    "a: 1\n---\nb: 2\n",
    MALFORMED,
    "a: [1, 2\nb: 3\n",
    "a: 1\nb: 2\na: 3\n",
    "a: {b: 1, c: 2, b: 3}\n",
    "a: !!str 12\nb: !!int '12'\nc: ! 12\nd: ! '12'\ne: !!map {x: 1}\n",
    "a: !!python/object/apply:os.system ['true']\n",
    "a: &a [1, 2, 3, 4]\nb: [*a, *a]\n",
    "a: &a [1, *a]\n",
    "name: &n Cluster\nother: *n\n",
    "base: &b {x: 1, y: 2}\npartner:\n  <<: *b\n  y: 3\n",
    "a:\n  '<<': x\nb: <<\nc: =\n",
    "? [a, b]\n: 1\n",
    "1: a\n~: b\nyes: c\n2019-04-04: d\n",
    "d: 2019-04-04\nt: 2019-04-04T16:59:00+02:00\ns: 2019-04-04 16:59:00 +2\n",
    "a: 360.000\nb: 012345670\nc: 012345678\nd: 0x1F\ne: 1_000\nf: .inf\ng: -.inf\nh: .nan\n",
    "country: NO\nx: yes\ny: on\nz: Off\nn: null\ne:\n",
    "città: {é: [Pôle, 😀, x]}\n",
    "a: 1\r\nb:\r\n  c: 2\r\n",
    "two words: 1\n'it''s': 2\n\"back\\\\slash\": 3\n1st: 4\nx-note: 5\n",
    "a: |\n  line one\n  line two\nb: >-\n  folded\n  text\n",
    "a: b\nname: Pole\x07\n",
    "a: b: c\n",
    "[[[1]]]",
    *("a: &x 1\nb: 2\n", "a: 5 * 3\n", "title: Go green!\n", "note: (yes) !\n"),
    "[" * 2_000 + "]" * 2_000,
    "- " * 50 + "x\n",
]
TOKENS = [
    *("012", "0x1F", "0o17", "0b101", "1_000", "1e3", "-1.5e+3", "360.000", "+12", "-0"),
    *(".inf", "-.inf", ".NaN", "190:20:30", "1:30.5", "NO", "yes", "on", "Off", "TRUE"),
    *("~", "null", "2019-04-04", "2019-04-04T16:59:00Z", "<<", "=", "é", "😀", "a b", "x-note"),
    *("0", "00", "7", "480000", "0007", "True", "y", "n", "١٢", "9" * 18, "9" * 19, "9" * 5000),
]
KEYS = ["a", "name", "two words", "città", "1st", "_private", "x-note", "it's", "a\\b", "<<"]


def _same(a: Any, b: Any) -> bool:
    """Equal value for value and type for type (``1 == True`` and ``1 == 1.0`` do not pass)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, float) and a != a:
        return b != b
    return bool(a == b)


def _outcome(text: str, limits: Limits | None, *, fast: bool) -> tuple[Any, ...]:
    try:
        parsed = parse(text, limits, fast=fast)
    except LoadError as exc:
        return ("error", [(p.message, p.line, p.column) for p in exc.problems])
    return ("ok", parsed.data, parsed.values, parsed.keys, parsed.containers, parsed.scalar_text)


def assert_same(text: str, limits: Limits | None = None) -> None:
    """Both ways give the same data and positions, or the same load errors."""
    fast = _outcome(text, limits, fast=True)
    slow = _outcome(text, limits, fast=False)
    assert fast[0] == slow[0], (fast, slow)
    if fast[0] == "error":
        assert fast == slow
    else:
        assert _same(fast[1], slow[1]), (fast[1], slow[1])
        assert fast[2:] == slow[2:]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_files_read_the_same_both_ways(path: Path) -> None:
    try:
        text = decode(path.read_bytes())
    except LoadError:
        assert "bad" in path.parts  # a case for decoding, not for parsing
        return
    assert_same(text)


@pytest.mark.parametrize("text", SNIPPETS, ids=[repr(t[:24]) for t in SNIPPETS])
def test_snippets_read_the_same_both_ways(text: str) -> None:
    assert_same(text)
    assert_same(text, Limits(max_nodes=5, max_depth=2, max_scalar_chars=3))


def _refuse(text: str, limits: Limits) -> Parsed:
    raise AssertionError("the event builder was used")


def test_ordinary_files_take_the_fast_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "_parse_events", _refuse)
    assert len(ORDINARY) >= 20
    for path in ORDINARY:
        parsed = parse(decode(path.read_bytes()))
        assert isinstance(parsed.data, dict), path
        assert parsed.position("$.proposal") is not None, path


@pytest.mark.parametrize(
    "text",
    ["a: &x 1\nb: 2\n", "a: 5 * 3\n", "title: Go green!\n", "a: 1\r\nb: [x, {y: 2}]\n"],
    ids=["unused-anchor", "star-in-text", "exclamation-mark", "flow-and-crlf"],
)
def test_text_that_only_looks_unusual_takes_the_fast_way(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setattr(loader, "_parse_events", _refuse)
    assert parse(text).data


def test_positions_wait_until_asked() -> None:
    parsed = parse("a: 1\nb: [x, 2.5]\n")
    parsed.data["b"] = "changed"  # as consortium.restore_text does
    expected = {"$": (1, 1), "$.a": (1, 4), "$.b": (2, 4), "$.b[0]": (2, 5), "$.b[1]": (2, 8)}
    assert parsed.values == expected
    assert parsed.keys == {"$.a": (1, 1), "$.b": (2, 1)}
    assert parsed.containers == {"$", "$.b"}
    assert parsed.scalar_text == {"$.a": "1", "$.b[1]": "2.5"}
    assert pickle.loads(pickle.dumps(parsed)) == parsed


def test_without_libyaml_the_event_builder_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastyaml, "AVAILABLE", False)
    with pytest.raises(fastyaml.Unusual):
        fastyaml.read("a: 1\n", Limits())
    assert parse("a: 1\n").data == {"a": 1}


@pytest.mark.parametrize(
    "text",
    ["- " * 300_000 + "x\n", "".join(" " * i + "k:\n" for i in range(1_500)) + "x\n"],
    ids=["compact-lists", "indented-mappings"],
)
def test_deep_file_is_never_composed_in_c(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    assert len(text.encode()) < Limits().max_bytes
    assert fastyaml.nesting_bound(text) > fastyaml.SAFE_DEPTH

    def boom(text: str) -> None:
        raise AssertionError("composed in C")

    monkeypatch.setattr(fastyaml, "_Composer", boom)
    fast, slow = (_outcome(text, None, fast=fast) for fast in (True, False))
    assert fast == slow
    assert fast[0] == "error"
    assert "nests deeper than 40 levels" in fast[1][0][0]


def test_wide_shallow_file_is_still_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    partner = "  - name: P{i}\n    country: IT\n    budget:\n      eligible_costs_eur: {i}\n"
    text = "partners:\n" + "".join(partner.format(i=i) for i in range(1_000)) + "tags: [a, b]\n"
    assert sum(map(text.count, "-:?[{")) > fastyaml.SAFE_DEPTH
    monkeypatch.setattr(loader, "_parse_events", _refuse)
    assert len(parse(text).data["partners"]) == 1_000


# --- Generated documents ---------------------------------------------------------------------

_SCALARS = st.tuples(
    st.sampled_from(["plain", "single", "double", "literal"]),
    st.one_of(
        st.sampled_from(TOKENS),
        st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=6),
    ),
)
_KEYS = st.tuples(st.booleans(), st.sampled_from(KEYS + TOKENS))  # (quoted, key)
_TREES = st.recursive(
    _SCALARS,
    lambda kids: st.one_of(
        st.tuples(
            st.sampled_from(["map", "flow-map"]),
            st.lists(st.tuples(_KEYS, kids), max_size=4),
        ),
        st.tuples(st.sampled_from(["seq", "flow-seq"]), st.lists(kids, max_size=4)),
    ),
    max_leaves=20,
)


def _scalar(style: str, token: str, indent: int) -> str:
    if style == "single":
        return "'" + token.replace("'", "''") + "'"
    if style == "double":
        return json.dumps(token, ensure_ascii=False)
    if style == "literal" and indent >= 0 and "\n" not in token:
        return f"|-\n{' ' * (indent + 2)}{token}"
    return token


def _key(quoted: bool, key: str) -> str:
    safe = key in TOKENS or (key[0].isalnum() and not set(key) & set(":#'\"\\{}[],"))
    return json.dumps(key, ensure_ascii=False) if quoted or not safe else key


def _render(tree: Any, indent: int) -> str:
    """YAML text of a tree: block from ``indent`` on, or flow where ``indent`` is -1."""
    kind, body = tree
    if kind not in ("map", "seq", "flow-map", "flow-seq"):
        return _scalar(kind, body, indent)
    if kind.startswith("flow") or indent < 0 or not body:
        inner = (
            [f"{_key(*k)}: {_render(v, -1)}" for k, v in body]
            if "map" in kind
            else [_render(v, -1) for v in body]
        )
        return ("{%s}" if "map" in kind else "[%s]") % ", ".join(inner)
    pad = " " * indent
    if kind == "map":
        return "".join(f"\n{pad}{_key(*k)}:{_nested(v, indent + 2)}" for k, v in body)
    return "".join(f"\n{pad}-{_nested(v, indent + 2)}" for v in body)


def _nested(tree: Any, indent: int) -> str:
    text = _render(tree, indent)
    return text if text.startswith("\n") else f" {text}"


_LIMITS = st.one_of(
    st.just(None),
    st.builds(
        Limits,
        max_nodes=st.integers(1, 40),
        max_depth=st.integers(1, 5),
        max_scalar_chars=st.integers(0, 8),
    ),
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(_TREES, _LIMITS)
def test_generated_documents_read_the_same_both_ways(tree: Any, limits: Limits | None) -> None:
    assert_same(_render(tree, 0).lstrip("\n") + "\n", limits)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet=" \n\t-:?[]{},#&*!|>'\"\\~ab01.é", max_size=30))
def test_yaml_shaped_noise_reads_the_same_both_ways(text: str) -> None:
    assert_same(text)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_TREES)
def test_bounds_of_the_fast_way_hold(tree: Any) -> None:
    text = _render(tree, 0).lstrip("\n") + "\n"
    try:
        root = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return
    nodes, depth = _size(root)
    assert depth <= min(sum(map(text.count, "-:?[{")), fastyaml.nesting_bound(text))
    assert nodes <= 3 * (sum(map(text.count, "-:?[{,"))) + 1


def _size(root: Any) -> tuple[int, int]:
    """How many nodes a tree has, and how many collections deep it nests."""
    if root is None:
        return 0, 0
    nodes, deepest, todo = 0, 0, [(root, 0)]
    while todo:
        node, depth = todo.pop()
        nodes += 1
        if isinstance(node, yaml.ScalarNode):
            continue
        deepest = max(deepest, depth + 1)
        children = (
            [n for pair in node.value for n in pair]
            if isinstance(node, yaml.MappingNode)
            else node.value
        )
        todo += [(child, depth + 1) for child in children]
    return nodes, deepest


# --- Finding positions without the whole index -----------------------------------------------


def _probes(parsed: Parsed) -> list[str]:
    """Every path of the file, plus paths below, beside and outside them."""
    known = sorted({*parsed.values, *parsed.keys})
    extra = (
        [f"{p}.missing" for p in known] + [f"{p}[99]" for p in known] + [f"{p}[0]" for p in known]
    )
    return [*known, *extra, "$.facts.region", "$['x y'].z", "$[0]", "nonsense", "$.a..b"]


def assert_same_positions(text: str) -> None:
    """Positions walked down the node tree are those of the event builder's index."""
    try:
        walked = parse(text)
        indexed = parse(text, fast=False)
    except LoadError:
        return
    for probe in _probes(indexed):
        assert walked.locate(probe) == indexed.locate(probe), probe
        assert walked.position(probe) == indexed.position(probe), probe


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_positions_walked_down_the_tree_are_the_index_positions(path: Path) -> None:
    try:
        text = decode(path.read_bytes())
    except LoadError:
        return
    assert_same_positions(text)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_TREES)
def test_generated_documents_give_the_same_positions_both_ways(tree: Any) -> None:
    assert_same_positions(_render(tree, 0).lstrip("\n") + "\n")


@pytest.mark.parametrize(
    "key", ["plain", "with space", "it's", "back\\slash", "a.b", "x['y']", "ünï", "1abc", "[0]"]
)
def test_path_steps_read_back_what_child_path_writes(key: str) -> None:
    assert path_steps(child_path(child_path("$", key), 3)) == [key, 3]
