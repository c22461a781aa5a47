"""The safe YAML loader: positions of nodes, hostile input, limits, encodings."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from cosmecheck.errors import LoadError
from cosmecheck.loader import Limits, Parsed, child_path, decode, load_path, parse, read_bytes
from cosmecheck.model import LoadProblem


def load_error(text: str, limits: Limits | None = None) -> LoadProblem:
    """The single problem parsing ``text`` reports."""
    with pytest.raises(LoadError) as info:
        parse(text, limits)
    assert len(info.value.problems) == 1, info.value.problems
    return info.value.problems[0]


def decode_error(data: bytes) -> LoadProblem:
    """The single problem decoding ``data`` reports."""
    with pytest.raises(LoadError) as info:
        decode(data)
    assert len(info.value.problems) == 1, info.value.problems
    return info.value.problems[0]


NESTED = """\
proposal:
  acronym: BIO4X
  budget:
    eligible_costs_eur: 480000
partners:
  - name: Cluster Bio Lombardia
    country: IT
  - name: Bayern Innovativ
    country: DE
    tags: [a, b]
"""


@pytest.fixture
def nested() -> Parsed:
    return parse(NESTED)


# --- Positions --------------------------------------------------------------------------------


def test_plain_data_comes_back(nested: Parsed) -> None:
    assert nested.data == {
        "proposal": {"acronym": "BIO4X", "budget": {"eligible_costs_eur": 480000}},
        "partners": [
            {"name": "Cluster Bio Lombardia", "country": "IT"},
            {"name": "Bayern Innovativ", "country": "DE", "tags": ["a", "b"]},
        ],
    }


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$.proposal.acronym", (2, 12)),
        ("$.proposal.budget.eligible_costs_eur", (4, 25)),
        ("$.partners[0]", (6, 5)),
        ("$.partners[0].name", (6, 11)),
        ("$.partners[1].country", (9, 14)),
        ("$.partners[1].tags[0]", (10, 12)),
        ("$.partners[1].tags[1]", (10, 15)),
    ],
    ids=[
        "mapping-value",
        "deep-mapping-value",
        "list-item-mapping",
        "first-key-of-item",
        "second-item",
        "flow-list-item-0",
        "flow-list-item-1",
    ],
)
def test_value_positions_are_one_based(
    nested: Parsed, path: str, expected: tuple[int, int]
) -> None:
    assert nested.position(path) == expected
    assert nested.values[path] == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$.proposal", (1, 1)),
        ("$.proposal.acronym", (2, 3)),
        ("$.proposal.budget", (3, 3)),
        ("$.partners", (5, 1)),
        ("$.partners[0].country", (7, 5)),
        ("$.partners[1].tags", (10, 5)),
    ],
    ids=["top", "nested", "nested-mapping", "list", "in-list-item", "flow-list"],
)
def test_key_positions(nested: Parsed, path: str, expected: tuple[int, int]) -> None:
    assert nested.keys[path] == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # a mapping or list under a key points at its key ...
        ("$.proposal.budget", (3, 3)),
        ("$.partners", (5, 1)),
        ("$.partners[1].tags", (10, 5)),
        # ... a list item (no key) at itself, and a scalar at its value
        ("$.partners[1]", (8, 5)),
        ("$.partners[1].country", (9, 14)),
    ],
    ids=["mapping-at-key", "list-at-key", "flow-list-at-key", "item-at-itself", "scalar-value"],
)
def test_locate(nested: Parsed, path: str, expected: tuple[int, int]) -> None:
    assert nested.locate(path) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$.proposal.title", (1, 1)),  # missing key: its mapping's key `proposal`
        ("$.proposal.budget.requested_grant_eur", (3, 3)),
        ("$.partners[0].region", (6, 5)),  # list item without a key: the item itself
        ("$.partners[1].tags[7]", (10, 5)),
        ("$.partners[5].name", (5, 1)),  # missing item: the list's key
        ("$.call", (1, 1)),  # missing top-level key: the document
        ("$.nowhere.deeper.still", (1, 1)),
    ],
    ids=[
        "missing-key",
        "missing-deep-key",
        "missing-key-in-item",
        "missing-list-index",
        "missing-item",
        "missing-top-level",
        "missing-chain",
    ],
)
def test_missing_paths_point_at_nearest_ancestor(
    nested: Parsed, path: str, expected: tuple[int, int]
) -> None:
    assert path not in nested.values
    assert nested.position(path) == expected


def test_position_of_anything_in_an_empty_document_is_none() -> None:
    parsed = parse("")
    assert parsed.data is None
    assert parsed.position("$.proposal") is None
    assert parsed.locate("$") is None


def test_positions_count_characters_not_bytes() -> None:
    parsed = parse("città: {é: [Pôle, 😀, x]}\n")
    assert parsed.values["$['città']['é'][1]"] == (1, 19)
    assert parsed.values["$['città']['é'][2]"] == (1, 22)


def test_positions_with_windows_line_endings() -> None:
    parsed = parse("a: 1\r\nb:\r\n  c: 2\r\n")
    assert parsed.values["$.b.c"] == (3, 6)
    assert parsed.keys["$.b.c"] == (3, 3)


@pytest.mark.parametrize(
    ("parent", "key", "expected"),
    [
        ("$", "partners", "$.partners"),
        ("$.partners", 0, "$.partners[0]"),
        ("$.partners[0]", "country", "$.partners[0].country"),
        ("$.proposal", "eligible_costs_eur", "$.proposal.eligible_costs_eur"),
        ("$", "città", "$['città']"),
        ("$", "two words", "$['two words']"),
        ("$", "1st", "$['1st']"),
    ],
    ids=["key", "index", "nested", "underscores", "non-ascii", "space", "leading-digit"],
)
def test_child_path(parent: str, key: str | int, expected: str) -> None:
    assert child_path(parent, key) == expected


def _jsonschema_path(data: dict[str, Any], key: str) -> str:
    """The json_path jsonschema gives an error at ``data[key]``."""
    validator = Draft202012Validator({"properties": {key: {"type": "integer"}}})
    (error,) = validator.iter_errors(data)
    return str(error.json_path)


@pytest.mark.parametrize(
    "key",
    [
        "partners",
        "eligible_costs_eur",
        "two words",
        "città",
        pytest.param(
            "x-note",
        ),
        pytest.param(
            "_private",
        ),
    ],
    ids=["plain", "underscores", "space", "non-ascii", "hyphen", "leading-underscore"],
)
def test_child_path_is_written_as_jsonschema_writes_it(key: str) -> None:
    assert child_path("$", key) == _jsonschema_path({key: "not an integer"}, key)


# --- Duplicate keys, tags, aliases, documents -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "line", "column", "first"),
    [
        ("a: 1\nb: 2\na: 3\n", "a", 3, 1, 1),
        ("p:\n  name: A\n  country: IT\n  name: B\n", "name", 4, 3, 2),
        ("partners:\n  - name: A\n    x: 1\n    x: 2\n", "x", 4, 5, 3),
        ("a: {b: 1, c: 2, b: 3}\n", "b", 1, 17, 1),
        ("a: 1\n'a': 2\n", "a", 2, 1, 1),
    ],
    ids=["top-level", "nested", "in-list-item", "flow-mapping", "quoted-same-key"],
)
def test_duplicate_keys_are_rejected(
    text: str, key: str, line: int, column: int, first: int
) -> None:
    problem = load_error(text)
    assert f"duplicate key '{key}'" in problem.message
    assert f"first at line {first}" in problem.message
    assert (problem.line, problem.column) == (line, column)


def test_same_key_in_different_mappings_is_fine() -> None:
    parsed = parse("partners:\n  - name: A\n  - name: B\n")
    assert parsed.data == {"partners": [{"name": "A"}, {"name": "B"}]}


@pytest.mark.parametrize(
    ("template", "tag", "line", "column"),
    [
        ("a: !!python/object/apply:os.system ['touch {marker}']\n", "!!python/object/apply", 1, 4),
        ("!!python/object/apply:os.system ['touch {marker}']\n", "!!python/object/apply", 1, 1),
        (
            "a:\n  b: !!python/object/new:os.system ['touch {marker}']\n",
            "!!python/object/new",
            2,
            6,
        ),
        ("a: !!python/name:os.system ''\n", "!!python/name", 1, 4),
        ("a: !!binary aGVsbG8=\n", "!!binary", 1, 4),
        ("a: !!set {x, y}\n", "!!set", 1, 4),
        ("a: !custom thing\n", "!custom", 1, 4),
    ],
    ids=["apply-value", "apply-document", "new-nested", "name", "binary", "set", "local-tag"],
)
def test_tags_beyond_plain_data_are_rejected_and_never_run(
    tmp_path: Path, template: str, tag: str, line: int, column: int
) -> None:
    marker = tmp_path / "executed"
    problem = load_error(template.replace("{marker}", str(marker)))
    assert tag in problem.message
    assert "not allowed" in problem.message
    assert (problem.line, problem.column) == (line, column)
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: !!str 12\n", {"a": "12"}),
        ("a: !!int '12'\n", {"a": 12}),
        ("a: !!map {x: 1}\n", {"a": {"x": 1}}),
        ("a: ! 12\n", {"a": "12"}),
    ],
    ids=["str", "int", "map", "non-specific"],
)
def test_core_tags_are_plain_data(text: str, expected: dict[str, Any]) -> None:
    assert parse(text).data == expected


def test_billion_laughs_is_stopped_quickly() -> None:
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*lol{level - 1}"] * 9)
        lines.append(f"lol{level}: &lol{level} [{refs}]")
    text = "\n".join(lines) + "\n"
    assert len(text) < 1000
    start = time.perf_counter()
    problem = load_error(text)
    elapsed = time.perf_counter() - start
    assert elapsed < 0.5
    assert "more than 50,000 YAML nodes once aliases are expanded" in problem.message
    assert problem.line is not None
    assert problem.line <= 10


def test_aliases_count_towards_the_node_limit() -> None:
    text = "a: &a [1, 2, 3, 4]\nb: [*a, *a]\n"
    assert parse(text, Limits(max_nodes=20)).data["b"] == [[1, 2, 3, 4], [1, 2, 3, 4]]
    problem = load_error(text, Limits(max_nodes=12))
    assert "more than 12 YAML nodes" in problem.message
    assert problem.line == 2


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a: &a [1, *a]\n", 1, 11),
        ("a: &a\n  b:\n    c: *a\n", 3, 8),
    ],
    ids=["flow", "block"],
)
def test_recursive_alias_is_rejected(text: str, line: int, column: int) -> None:
    problem = load_error(text)
    assert "alias *a refers to a node that contains it" in problem.message
    assert (problem.line, problem.column) == (line, column)


def test_alias_without_anchor_is_rejected() -> None:
    problem = load_error("a: 1\nb: *nowhere\n")
    assert "*nowhere" in problem.message
    assert problem.line == 2


def test_aliases_to_scalars_and_mappings_work() -> None:
    parsed = parse("name: &n Cluster\nother: *n\nbase: &b {x: 1}\ncopy: *b\n")
    assert parsed.data == {
        "name": "Cluster",
        "other": "Cluster",
        "base": {"x": 1},
        "copy": {"x": 1},
    }


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: 1\n---\nb: 2\n", 2),
        ("---\na: 1\n---\nb: 2\n", 3),
        ("a: 1\n...\n---\n", 3),
    ],
    ids=["second-document", "two-explicit", "empty-second"],
)
def test_more_than_one_document_is_rejected(text: str, line: int) -> None:
    problem = load_error(text)
    assert "more than one YAML document" in problem.message
    assert (problem.line, problem.column) == (line, 1)


def test_one_explicit_document_is_fine() -> None:
    assert parse("---\na: 1\n...\n").data == {"a": 1}


# --- Limits ----------------------------------------------------------------------------------


def _block_nesting(levels: int) -> str:
    return "".join("  " * i + f"k{i}:\n" for i in range(levels)) + "  " * levels + "leaf\n"


def test_block_nesting_past_max_depth_is_rejected() -> None:
    problem = load_error(_block_nesting(60))
    assert "nests deeper than 40 levels" in problem.message
    # the 41st mapping starts at key k40, on line 41
    assert (problem.line, problem.column) == (41, 81)


def test_block_nesting_at_max_depth_is_fine() -> None:
    parsed = parse(_block_nesting(39))  # the document plus 39 mappings: 40 levels
    assert parsed.position("$" + "".join(f".k{i}" for i in range(39))) == (40, 79)


def test_max_depth_is_a_limit_one_can_set() -> None:
    assert parse("[[[1]]]", Limits(max_depth=3)).data == [[[1]]]
    problem = load_error("[[[[1]]]]", Limits(max_depth=3))
    assert "nests deeper than 3 levels" in problem.message
    assert (problem.line, problem.column) == (1, 4)


@pytest.mark.parametrize(
    "text",
    ["[" * 10_000 + "]" * 10_000, "[" * 10_000, "{a: " * 10_000 + "}" * 10_000],
    ids=["flow-lists", "unclosed", "flow-mappings"],
)
def test_very_deep_flow_nesting_is_a_load_error_not_a_crash(text: str) -> None:
    start = time.perf_counter()
    problem = load_error(text)
    assert time.perf_counter() - start < 0.5
    assert "nest" in problem.message
    assert problem.line == 1


def test_scalar_over_max_scalar_chars_is_rejected() -> None:
    assert parse("a: " + "x" * 10_000 + "\n").data == {"a": "x" * 10_000}
    problem = load_error("a: 1\nb: " + "x" * 10_001 + "\n")
    assert "10,001 characters" in problem.message
    assert "limit of 10,000" in problem.message
    assert (problem.line, problem.column) == (2, 4)


def test_long_key_is_rejected_too() -> None:
    problem = load_error("k" * 50 + ": 1\n", Limits(max_scalar_chars=40))
    assert "50 characters" in problem.message
    assert (problem.line, problem.column) == (1, 1)


# --- Reading files ---------------------------------------------------------------------------


def test_read_bytes_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(b"a: 1\n")
    assert read_bytes(path, Limits()) == b"a: 1\n"
    assert load_path(path).data == {"a": 1}


def test_read_bytes_refuses_a_big_file_before_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: 1\n" * 300)  # 1,500 bytes
    opened: list[Path] = []
    real_open = Path.open

    def spy(self: Path, *args: Any, **kwargs: Any) -> Any:
        opened.append(self)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy)
    with pytest.raises(LoadError) as info:
        read_bytes(path, Limits(max_bytes=1000))
    (problem,) = info.value.problems
    assert "1,500 bytes, over the limit of 1,000 bytes" in problem.message
    assert "--max-bytes" in problem.message
    assert opened == []


def test_default_size_limit_is_two_mebibytes(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (2 * 1024 * 1024 + 1))
    with pytest.raises(LoadError) as info:
        read_bytes(path, Limits())
    assert "2,097,153 bytes, over the limit of 2,097,152 bytes" in str(info.value)
    path.write_bytes(b"#" * (2 * 1024 * 1024))
    assert len(read_bytes(path, Limits())) == 2 * 1024 * 1024


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_endless_device_is_refused() -> None:
    with pytest.raises(LoadError) as info:
        read_bytes(Path("/dev/zero"), Limits(max_bytes=1000))
    assert "not a regular file" in str(info.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    outcome: list[object] = []

    def target() -> None:
        try:
            outcome.append(read_bytes(pipe, Limits()))
        except BaseException as exc:  # reported by the assertions below
            outcome.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(0.5)
    blocked = thread.is_alive()
    deadline = time.monotonic() + 5
    while thread.is_alive() and time.monotonic() < deadline:
        # Unblock the reader: open the writing end and close it, so that it reads end-of-file.
        with contextlib.suppress(OSError):  # no reader yet
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(0.1)
    assert not blocked, "read_bytes blocked on a named pipe"
    assert len(outcome) == 1
    assert isinstance(outcome[0], LoadError)


def test_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "looks-like.yaml"
    folder.mkdir()
    with pytest.raises(LoadError) as info:
        read_bytes(folder, Limits())
    (problem,) = info.value.problems
    assert "folder, not a file" in problem.message


def test_missing_file_is_a_load_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as info:
        read_bytes(tmp_path / "missing.yaml", Limits())
    assert "cannot read the file" in str(info.value)
    assert "No such file" in str(info.value)


# --- Encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "byte", "line", "column"),
    [
        ("a: 1\nname: Orléans\n".encode("latin-1"), "0xe9", 2, 10),
        ("city: Orléans\n".encode("cp1252"), "0xe9", 1, 10),
        # valid UTF-8 before the bad byte on the same line counts as characters
        (b"a: 1\nname: P\xc3\xb4le V\xe9hicule\n", "0xe9", 2, 13),
        (b"\xef\xbb\xbfname: Orl\xe9ans\n", "0xe9", 1, 10),
        (b"a: 1\r\nb: \xff\r\n", "0xff", 2, 4),
        (b"a: 1\nb: \xc3", "0xc3", 2, 4),
        ("a: Pôle\n".encode("utf-16"), "0xff", 1, 1),
    ],
    ids=["latin-1", "cp1252", "after-utf8", "after-bom", "crlf", "truncated", "utf-16"],
)
def test_non_utf8_bytes_are_rejected_with_their_position(
    data: bytes, byte: str, line: int, column: int
) -> None:
    problem = decode_error(data)
    assert "not UTF-8" in problem.message
    assert f"byte {byte}" in problem.message
    assert "save it as UTF-8" in problem.message
    assert (problem.line, problem.column) == (line, column)


def test_utf8_bom_is_accepted() -> None:
    text = decode(b"\xef\xbb\xbfname: P\xc3\xb4le\nb: 2\n")
    assert text == "name: Pôle\nb: 2\n"
    parsed = parse(text)
    assert parsed.data == {"name": "Pôle", "b": 2}
    assert parsed.values["$.name"] == (1, 7)


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        (b"a: 1\nb: x\x00y\n", 2, 5),
        (b"\x00", 1, 1),
        (b"\xef\xbb\xbfa: P\xc3\xb4\x00\n", 1, 6),
    ],
    ids=["in-value", "only-nul", "after-bom-and-utf8"],
)
def test_nul_byte_is_rejected(data: bytes, line: int, column: int) -> None:
    problem = decode_error(data)
    assert "NUL byte" in problem.message
    assert (problem.line, problem.column) == (line, column)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a: b\nname: Pole\x07\n", 2, 11),
        pytest.param(
            "a: b\nname: Pôlé\x07\n",
            2,
            11,
        ),
        pytest.param(
            "a: 😀\nb: c\x07\n",
            2,
            5,
        ),
    ],
    ids=["ascii", "after-accents", "after-emoji"],
)
def test_control_character_is_reported_where_it_is(text: str, line: int, column: int) -> None:
    problem = load_error(text)
    assert "control characters are not allowed" in problem.message
    assert (problem.line, problem.column) == (line, column)


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ("a: [1, 2\nb: 3\n", "did not find expected ',' or ']'", 2, 2),
        ("a:\n\tb: 1\n", "cannot start any token", 2, 1),
        ("a: 'open\n", "end of stream", 2, 1),
        ("a: b: c\n", "mapping values are not allowed", 1, 5),
    ],
    ids=["unclosed-flow", "tab", "unclosed-quote", "colon-in-value"],
)
def test_invalid_yaml_is_reported_with_position(
    text: str, message: str, line: int, column: int
) -> None:
    problem = load_error(text)
    assert problem.message.startswith("invalid YAML: ")
    assert message in problem.message
    assert (problem.line, problem.column) == (line, column)


# --- What plain data means --------------------------------------------------------------------


def test_merge_keys_merge_and_explicit_keys_win() -> None:
    text = (
        "base: &base\n  country: IT\n  role: partner\n  eccp: none\n"
        "partner:\n  <<: *base\n  role: coordinator\n"
        "after:\n  role: coordinator\n  <<: *base\n"
    )
    parsed = parse(text)
    expected = {"country": "IT", "role": "coordinator", "eccp": "none"}
    assert parsed.data["partner"] == expected
    assert parsed.data["after"] == expected
    assert "<<" not in parsed.data["partner"]
    assert parsed.data["base"]["role"] == "partner"
    assert parsed.values["$.partner.role"] == (7, 9)
    assert parsed.position("$.partner.country") == (5, 1)


def test_merge_of_a_list_of_mappings_lets_the_first_win() -> None:
    text = "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  z: 3\n"
    assert parse(text).data["c"] == {"x": 1, "y": 1, "z": 3}


def test_merge_of_a_scalar_is_rejected() -> None:
    problem = load_error("a: &a 1\nb:\n  <<: *a\n")
    assert "merge key (<<)" in problem.message
    assert (problem.line, problem.column) == (3, 3)


def test_quoted_merge_key_is_an_ordinary_key() -> None:
    assert parse("a:\n  '<<': x\n").data == {"a": {"<<": "x"}}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("d: 2019-04-04\n", "2019-04-04"),
        ("d: 2019-04-04T16:59:00+02:00\n", "2019-04-04T16:59:00+02:00"),
        ("d: 2019-04-04 16:59:00 +2\n", "2019-04-04 16:59:00 +2"),
        ("d: 2019-04-04T14:59:00Z\n", "2019-04-04T14:59:00Z"),
    ],
    ids=["date", "offset", "space-form", "utc"],
)
def test_unquoted_timestamps_stay_strings(text: str, expected: str) -> None:
    assert parse(text).data == {"d": expected}


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("360.000", 360.0),
        ("360000", 360000),
        ("360000.50", 360000.5),
        ("012345670", 0o12345670),
        ("0x1F", 31),
        ("-5", -5),
        (".nan", None),
    ],
    ids=["thousands-dot", "int", "decimal", "octal", "hex", "negative", "nan"],
)
def test_scalar_text_keeps_the_source_of_numbers(source: str, value: float | None) -> None:
    parsed = parse(f"budget:\n  amount: {source}\n")
    assert parsed.scalar_text["$.budget.amount"] == source
    got = parsed.data["budget"]["amount"]
    if value is None:
        assert got != got  # NaN
    else:
        assert got == value
        assert type(got) is type(value)


@pytest.mark.parametrize(
    ("source", "expected"),
    [("012345678", "012345678"), ("'360000'", "360000"), ("yes", True), ("~", None)],
    ids=["not-octal-stays-text", "quoted", "bool", "null"],
)
def test_other_scalars(source: str, expected: object) -> None:
    parsed = parse(f"a: {source}\n")
    assert parsed.data == {"a": expected}
    assert parsed.data["a"] is expected or isinstance(expected, str)


def test_bad_value_for_an_explicit_tag() -> None:
    problem = load_error("a: 1\nb: !!int twelve\n")
    assert "'twelve' is not a valid int" in problem.message
    assert (problem.line, problem.column) == (2, 4)


def test_complex_keys_are_rejected() -> None:
    problem = load_error("? [a, b]\n: 1\n")
    assert "mapping key must be plain text" in problem.message
    assert problem.line == 1
