"""Hard limits: file size, YAML nodes (aliases expanded), nesting depth, value length, partners.

Each limit is tested exactly at the limit (the file loads) and one past it (a load error that
names the limit and the option that raises it), through the library and through the command
line with the option raised. Hostile files (an alias bomb, a 100 MB file, 10,000 levels of
nesting) are rejected in well under a second, with bounded memory.
"""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from builders import consortium, partner
from conftest import EXAMPLES
from cosmecheck import consortium as fmt
from cosmecheck.checker import Checker
from cosmecheck.errors import LoadError
from cosmecheck.loader import decode, load_path, parse, read_bytes
from cosmecheck.model import CheckOptions, FileResult, Limits, Status

RunCli = Callable[..., Any]
EXAMPLE = EXAMPLES / "recipe4mobility.yaml"
DEFAULT = Limits()
MIB = 1024 * 1024


def check(path: Path, limits: Limits = DEFAULT) -> FileResult:
    return Checker(CheckOptions(limits=limits)).check_file(path)


def loaded(result: FileResult) -> bool:
    return not result.load_errors and result.status in (Status.ELIGIBLE, Status.INELIGIBLE)


def only_problem(result: FileResult) -> str:
    assert result.status is Status.ERROR
    (problem,) = result.load_errors
    return problem.message


def assert_names(message: str, limit: int, option: str) -> None:
    """The message says which limit was hit (its value) and which option raises it."""
    assert f"{limit:,}" in message, message
    assert option in message, message


def yaml_file(tmp_path: Path, doc: Any, name: str = "c.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def count_nodes(data: Any) -> int:
    """YAML nodes of plain data as the loader counts them: every key, value and collection."""
    if isinstance(data, dict):
        return 1 + sum(1 + count_nodes(value) for value in data.values())
    if isinstance(data, list):
        return 1 + sum(count_nodes(item) for item in data)
    return 1


@dataclass
class Cost:
    seconds: float
    peak_bytes: int


@contextmanager
def measured() -> Iterator[Cost]:
    """Wall time and peak Python memory of the block."""
    cost = Cost(0.0, 0)
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    try:
        yield cost
    finally:
        cost.seconds = time.perf_counter() - started
        cost.peak_bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


# --- File size -----------------------------------------------------------------------------------


def padded(tmp_path: Path, size: int, name: str = "padded.yaml") -> Path:
    """The example file padded with a trailing comment to exactly ``size`` bytes."""
    text = EXAMPLE.read_bytes()
    assert len(text) + 3 <= size
    path = tmp_path / name
    path.write_bytes(text + b"#" + b"x" * (size - len(text) - 2) + b"\n")
    assert path.stat().st_size == size
    return path


def test_a_file_at_the_size_limit_loads(tmp_path: Path) -> None:
    assert loaded(check(padded(tmp_path, 5000), Limits(max_bytes=5000)))


def test_a_file_one_byte_past_the_size_limit_is_refused(tmp_path: Path) -> None:
    message = only_problem(check(padded(tmp_path, 5001), Limits(max_bytes=5000)))
    assert "5,001 bytes" in message
    assert_names(message, 5000, "--max-bytes")


def test_the_default_size_limit_is_two_mebibytes(tmp_path: Path) -> None:
    assert DEFAULT.max_bytes == 2 * MIB
    assert loaded(check(padded(tmp_path, 2 * MIB)))
    message = only_problem(check(padded(tmp_path, 2 * MIB + 1, "over.yaml")))
    assert_names(message, 2 * MIB, "--max-bytes")


def test_max_bytes_on_the_command_line(run_cli: RunCli, tmp_path: Path) -> None:
    at_limit = padded(tmp_path, 2 * MIB + 1)
    refused = run_cli("check", at_limit, "-f", "json")
    assert refused.exit_code == 2
    (problem,) = refused.json()["files"][0]["load_errors"]
    assert_names(problem["message"], 2 * MIB, "--max-bytes")
    raised = run_cli("check", at_limit, "-f", "json", "--max-bytes", str(2 * MIB + 1))
    assert raised.exit_code in (0, 1), raised.stderr
    assert raised.json()["files"][0]["load_errors"] == []
    lowered = run_cli("check", at_limit, "-f", "json", "--max-bytes", str(2 * MIB))
    assert lowered.exit_code == 2


# Once a bug: the message named no option.
def test_standard_input_over_the_size_limit_names_the_option(run_cli: RunCli) -> None:
    text = EXAMPLE.read_text("utf-8")
    run = run_cli("check", "-", "-f", "json", "--max-bytes", "1000", input=text)
    assert run.exit_code == 2
    (problem,) = run.json()["files"][0]["load_errors"]
    assert_names(problem["message"], 1000, "--max-bytes")


def test_standard_input_at_the_size_limit_loads(run_cli: RunCli) -> None:
    text = EXAMPLE.read_text("utf-8")
    size = len(text.encode("utf-8"))
    run = run_cli("check", "-", "-f", "json", "--max-bytes", str(size), input=text)
    assert run.exit_code in (0, 1), run.stderr
    over = run_cli("check", "-", "-f", "json", "--max-bytes", str(size - 1), input=text)
    assert over.exit_code == 2
    assert f"{size - 1:,}" in over.json()["files"][0]["load_errors"][0]["message"]


@pytest.fixture
def hundred_mb(tmp_path: Path) -> Path:
    """A 100 MB file, sparse: it costs no disk."""
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:
        stream.truncate(100 * MIB)
    return path


def test_a_100_mb_file_is_refused_before_it_is_opened(
    hundred_mb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []
    real_open = Path.open

    def spy(self: Path, *args: Any, **kwargs: Any) -> Any:
        opened.append(self)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy)
    with measured() as cost, pytest.raises(LoadError) as info:
        read_bytes(hundred_mb, DEFAULT)
    assert opened == []
    assert cost.seconds < 0.5
    assert cost.peak_bytes < 1 * MIB
    (problem,) = info.value.problems
    assert "104,857,600 bytes" in problem.message
    assert_names(problem.message, DEFAULT.max_bytes, "--max-bytes")


def test_a_100_mb_file_through_the_command_line(run_cli: RunCli, hundred_mb: Path) -> None:
    started = time.perf_counter()
    run = run_cli("check", hundred_mb, "-f", "json")
    assert time.perf_counter() - started < 1
    assert run.exit_code == 2
    assert "--max-bytes" in run.json()["files"][0]["load_errors"][0]["message"]


def test_read_bytes_never_reads_more_than_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that grows after its size was taken is read up to the limit, then refused."""
    tiny = tmp_path / "tiny.yaml"
    tiny.write_bytes(b"a: 1\n")
    path = tmp_path / "growing.yaml"
    path.write_bytes(b"#" * 10_000)
    real_stat = Path.stat
    monkeypatch.setattr(Path, "stat", lambda self, **kwargs: real_stat(tiny, **kwargs))
    with pytest.raises(LoadError) as info:
        read_bytes(path, Limits(max_bytes=100))
    assert_names(str(info.value), 100, "--max-bytes")


# --- YAML nodes, aliases expanded ---------------------------------------------------------------


def test_a_file_at_the_node_limit_loads_and_one_more_node_is_refused(tmp_path: Path) -> None:
    nodes = count_nodes(load_path(EXAMPLE).data)
    assert nodes > 50
    assert loaded(check(EXAMPLE, Limits(max_nodes=nodes)))
    message = only_problem(check(EXAMPLE, Limits(max_nodes=nodes - 1)))
    assert "once aliases are expanded" in message
    assert_names(message, nodes - 1, "--max-nodes")


def test_aliases_count_as_the_nodes_they_expand_to() -> None:
    text = "a: &a [1, 2, 3]\nb: [*a, *a]\nc: {<<: {k: 1}, d: *a}\n"
    # root 1; a: key 1 + list 4; b: key 1 + list 1 + 2 * 4; c: key 1 + map 1 + merge key 1
    # + merged map 3 + key d 1 + alias 4
    expected = 1 + (1 + 4) + (1 + 1 + 8) + (1 + 1 + 1 + 3 + 1 + 4)
    assert parse(text, Limits(max_nodes=expected)).data["b"] == [[1, 2, 3], [1, 2, 3]]
    with pytest.raises(LoadError) as info:
        parse(text, Limits(max_nodes=expected - 1))
    assert_names(str(info.value), expected - 1, "--max-nodes")


def test_the_default_node_limit() -> None:
    assert DEFAULT.max_nodes == 50_000
    # a list of n scalars is n + 1 nodes
    assert len(parse("[" + ", ".join(["1"] * 49_999) + "]").data) == 49_999
    with pytest.raises(LoadError) as info:
        parse("[" + ", ".join(["1"] * 50_000) + "]")
    assert_names(str(info.value), 50_000, "--max-nodes")


def test_max_nodes_on_the_command_line(run_cli: RunCli, tmp_path: Path) -> None:
    path = yaml_file(tmp_path, consortium([partner("Cluster Lombardia", "IT", "ITC4")]))
    with path.open("a", encoding="utf-8") as stream:
        stream.write("x-notes: [" + "1, " * 60_000 + "1]\n")
    refused = run_cli("check", path, "-f", "json")
    assert refused.exit_code == 2
    (problem,) = refused.json()["files"][0]["load_errors"]
    assert_names(problem["message"], 50_000, "--max-nodes")
    raised = run_cli("check", path, "-f", "json", "--max-nodes", "100000")
    assert raised.exit_code in (0, 1), raised.stderr
    assert raised.json()["files"][0]["load_errors"] == []


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ["call: COS-CLUSTER-2018-03-02", "proposal: {acronym: LOL}"]
    lines.append("x-0: &a0 [" + ", ".join(['"lol"'] * width) + "]")
    for level in range(1, levels):
        aliases = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"x-{level}: &a{level} [{aliases}]")
    lines.append(f"partners: *a{levels - 1}")
    return "\n".join(lines) + "\n"


def merge_bomb(levels: int = 20) -> str:
    """Each mapping merges the one before twice: few keys, but 2**levels nodes counted."""
    lines = ["call: COS-CLUSTER-2018-03-02", "x-0: &m0 {k: v}"]
    for level in range(1, levels):
        lines.append(f"x-{level}: &m{level} {{<<: [*m{level - 1}, *m{level - 1}], k{level}: v}}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "text",
    [
        billion_laughs(),
        billion_laughs(levels=30, width=2),
        merge_bomb(),
        billion_laughs() + "x-tail: [" + "1, " * 500_000 + "1]\n",
    ],
    ids=["billion-laughs", "deep-doubling", "merge-bomb", "bomb-then-a-long-tail"],
)
def test_an_alias_bomb_is_refused_fast_with_bounded_memory(text: str) -> None:
    data = text.encode("utf-8")
    with measured() as cost, pytest.raises(LoadError) as info:
        parse(decode(data))
    assert cost.seconds < 1, cost
    assert cost.peak_bytes < 50 * MIB, cost
    (problem,) = info.value.problems
    assert_names(problem.message, DEFAULT.max_nodes, "--max-nodes")
    assert problem.line is not None
    assert problem.line < 40  # stopped at the bomb, not at the end of the file


def test_an_alias_bomb_through_the_command_line(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(billion_laughs(), "utf-8")
    started = time.perf_counter()
    run = run_cli("check", path, "-f", "json")
    assert time.perf_counter() - started < 1
    assert run.exit_code == 2
    assert "--max-nodes" in run.json()["files"][0]["load_errors"][0]["message"]


def test_aliases_within_the_limit_are_cheap(tmp_path: Path) -> None:
    """Raising --max-nodes past a bomb's expansion loads it without materialising it."""
    text = billion_laughs(levels=6, width=9).replace("partners: *a5", "partners: []")
    with measured() as cost:
        parsed = parse(text, Limits(max_nodes=1_000_000))
    assert cost.peak_bytes < 50 * MIB
    assert cost.seconds < 1
    assert parsed.data["x-5"][0] is parsed.data["x-5"][1]  # shared, not copied


# --- Nesting depth -----------------------------------------------------------------------------


def nested_doc(levels: int) -> dict[str, Any]:
    """A consortium file nesting exactly ``levels`` collections deep (the root counts as 1)."""
    doc = consortium([partner("Cluster Lombardia", "IT", "ITC4")])
    inner: Any = "leaf"
    for _ in range(levels - 1):
        inner = {"k": inner}
    doc["x-deep"] = inner
    return doc


def block_nesting(levels: int) -> str:
    """Exactly ``levels`` mappings, one inside the other."""
    return "".join("  " * i + f"k{i}:\n" for i in range(levels)) + "  " * levels + "leaf\n"


def flow_nesting(levels: int) -> str:
    """Exactly ``levels`` flow sequences, one inside the other."""
    return "[" * levels + "1" + "]" * levels + "\n"


@pytest.mark.parametrize("style", ["block", "flow"])
def test_nesting_at_the_depth_limit_loads_and_one_more_level_is_refused(
    tmp_path: Path, style: str
) -> None:
    make = block_nesting if style == "block" else flow_nesting
    limit = DEFAULT.max_depth
    assert limit == 40
    parse(make(limit))
    with pytest.raises(LoadError) as info:
        parse(make(limit + 1))
    (problem,) = info.value.problems
    assert f"deeper than {limit} levels" in problem.message
    assert "--max-depth" in problem.message


def test_a_consortium_file_at_the_depth_limit_checks(tmp_path: Path) -> None:
    path = yaml_file(tmp_path, nested_doc(DEFAULT.max_depth))
    assert loaded(check(path))
    over = yaml_file(tmp_path, nested_doc(DEFAULT.max_depth + 1), "over.yaml")
    message = only_problem(check(over))
    assert f"deeper than {DEFAULT.max_depth} levels" in message
    assert "--max-depth" in message


def test_max_depth_is_a_limit_one_can_set(tmp_path: Path) -> None:
    path = yaml_file(tmp_path, nested_doc(10))
    assert loaded(check(path, Limits(max_depth=10)))
    message = only_problem(check(path, Limits(max_depth=9)))
    assert "deeper than 9 levels" in message
    assert "--max-depth" in message


def test_max_depth_on_the_command_line(run_cli: RunCli, tmp_path: Path) -> None:
    path = yaml_file(tmp_path, nested_doc(60))
    refused = run_cli("check", path, "-f", "json")
    assert refused.exit_code == 2
    (problem,) = refused.json()["files"][0]["load_errors"]
    assert "deeper than 40 levels" in problem["message"]
    assert "--max-depth" in problem["message"]
    raised = run_cli("check", path, "-f", "json", "--max-depth", "100")
    assert raised.exit_code in (0, 1), raised.stderr
    assert raised.json()["files"][0]["load_errors"] == []


DEEP = {
    "block-sequences": "- " * 10_000 + "x\n",
    "block-mappings-1500": "".join(" " * i + f"k{i}:\n" for i in range(1_500)) + "x\n",
    "flow-sequences": "[" * 10_000 + "]" * 10_000 + "\n",
    "flow-mappings": "{a: " * 10_000 + "1" + "}" * 10_000 + "\n",
    "flow-unclosed": "[" * 10_000 + "\n",
    "flow-in-block": "a:\n  b: " + "[" * 10_000 + "]" * 10_000 + "\n",
}


@pytest.mark.parametrize("text", list(DEEP.values()), ids=list(DEEP))
def test_ten_thousand_levels_are_refused_fast_with_bounded_memory(text: str) -> None:
    data = text.encode("utf-8")
    with measured() as cost, pytest.raises(LoadError) as info:
        parse(decode(data))
    assert cost.seconds < 1, cost
    assert cost.peak_bytes < 50 * MIB, cost
    assert "nest" in info.value.problems[0].message


def test_ten_thousand_levels_through_the_command_line(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("call: COS-CLUSTER-2018-03-02\nx-deep:\n" + "- " * 10_000 + "x\n", "utf-8")
    started = time.perf_counter()
    run = run_cli("check", path, "-f", "json")
    assert time.perf_counter() - started < 1
    assert run.exit_code == 2
    assert "--max-depth" in run.json()["files"][0]["load_errors"][0]["message"]


# Once a bug: past libyaml's own 1,000 flow levels the message was libyaml's, naming no limit.
def test_very_deep_flow_nesting_names_the_depth_limit() -> None:
    with pytest.raises(LoadError) as info:
        parse(flow_nesting(1_001))
    assert "--max-depth" in info.value.problems[0].message


# --- Length of a value ---------------------------------------------------------------------------


@pytest.mark.parametrize("char", ["x", "é", "😀"], ids=["ascii", "two-bytes", "four-bytes"])
def test_a_value_at_the_length_limit_loads_and_one_more_character_is_refused(
    tmp_path: Path, char: str
) -> None:
    limit = DEFAULT.max_scalar_chars
    assert limit == 10_000
    path = yaml_file(tmp_path, consortium([partner(char * limit, "IT", "ITC4")]))
    assert loaded(check(path))  # characters are counted, not bytes
    over = consortium([partner(char * (limit + 1), "IT", "ITC4")])
    message = only_problem(check(yaml_file(tmp_path, over, "over.yaml")))
    assert f"{limit + 1:,} characters" in message
    assert_names(message, limit, "--max-chars")


def test_a_key_past_the_length_limit_is_refused(tmp_path: Path) -> None:
    doc = consortium([partner("Cluster Lombardia", "IT", "ITC4")])
    doc["x-" + "k" * 98] = 1
    assert loaded(check(yaml_file(tmp_path, doc), Limits(max_scalar_chars=100)))
    doc["x-" + "k" * 99] = 1
    message = only_problem(
        check(yaml_file(tmp_path, doc, "over.yaml"), Limits(max_scalar_chars=100))
    )
    assert_names(message, 100, "--max-chars")


def test_max_chars_on_the_command_line(run_cli: RunCli, tmp_path: Path) -> None:
    path = yaml_file(tmp_path, consortium([partner("n" * 10_001, "IT", "ITC4")]))
    refused = run_cli("check", path, "-f", "json")
    assert refused.exit_code == 2
    (problem,) = refused.json()["files"][0]["load_errors"]
    assert_names(problem["message"], 10_000, "--max-chars")
    raised = run_cli("check", path, "-f", "json", "--max-chars", "20000")
    assert raised.exit_code in (0, 1), raised.stderr
    assert raised.json()["files"][0]["load_errors"] == []


def test_a_long_value_is_refused_fast(tmp_path: Path) -> None:
    data = ("a: " + "x" * (DEFAULT.max_bytes - 10) + "\n").encode("ascii")
    with measured() as cost, pytest.raises(LoadError) as info:
        parse(decode(data))
    assert cost.seconds < 1
    assert_names(str(info.value), DEFAULT.max_scalar_chars, "--max-chars")


# --- Partners ------------------------------------------------------------------------------------


def crowd(count: int) -> dict[str, Any]:
    members = [
        partner(f"Cluster {i}", "IT", "ITC4", pic=f"{100_000_000 + i}") for i in range(count)
    ]
    return consortium(members)


def test_a_file_at_the_partner_limit_checks(tmp_path: Path) -> None:
    assert DEFAULT.max_partners == 1_000
    path = yaml_file(tmp_path, crowd(1_000))
    started = time.perf_counter()
    assert loaded(check(path))
    assert time.perf_counter() - started < 5


def test_one_partner_past_the_limit_is_refused(tmp_path: Path) -> None:
    message = only_problem(check(yaml_file(tmp_path, crowd(1_001))))
    assert "1,001 partners" in message
    assert_names(message, 1_000, "--max-partners")


def test_max_partners_is_a_limit_one_can_set(tmp_path: Path) -> None:
    path = yaml_file(tmp_path, crowd(5))
    assert loaded(check(path, Limits(max_partners=5)))
    message = only_problem(check(path, Limits(max_partners=4)))
    assert "5 partners" in message
    assert_names(message, 4, "--max-partners")


def test_max_partners_on_the_command_line(run_cli: RunCli, tmp_path: Path) -> None:
    path = yaml_file(tmp_path, crowd(1_001))
    refused = run_cli("check", path, "-f", "json")
    assert refused.exit_code == 2
    (problem,) = refused.json()["files"][0]["load_errors"]
    assert_names(problem["message"], 1_000, "--max-partners")
    raised = run_cli("check", path, "-f", "json", "--max-partners", "2000")
    assert raised.exit_code in (0, 1), raised.stderr
    assert raised.json()["files"][0]["load_errors"] == []


def test_the_partner_limit_comes_before_the_structure_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Too many partners is refused before schema validation and before the rules."""

    def expensive(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("validated a file over the partner limit")

    monkeypatch.setattr(fmt._Reader, "check_structure", expensive)
    monkeypatch.setattr(fmt._Reader, "resolve", expensive)
    text = "call: C\nproposal: {acronym: X}\npartners:\n" + "- {name: P, country: [1]}\n" * 12
    with pytest.raises(LoadError) as info:
        fmt.read(parse(text), max_partners=10)
    assert_names(str(info.value), 10, "--max-partners")


def test_many_tiny_partners_are_refused_fast() -> None:
    """The most partners a default node budget allows: refused fast, whatever the rules cost."""
    text = "call: COS-CLUSTER-2018-03-02\nproposal: {acronym: X}\npartners:\n"
    text += "- {name: P}\n" * 16_000  # 3 nodes each: under the node limit
    parsed = parse(text)
    checker = Checker(CheckOptions())
    with measured() as cost:
        result = checker.check_parsed(parsed, "f.yaml")
    assert cost.seconds < 1, cost
    assert_names(result.load_errors[0].message, 1_000, "--max-partners")


# --- The options -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "option", ["--max-bytes", "--max-nodes", "--max-depth", "--max-chars", "--max-partners"]
)
def test_each_limit_has_an_option(run_cli: RunCli, option: str) -> None:
    run = run_cli("check", "--help")
    assert option in run.stdout
    bad = run_cli("check", EXAMPLE, option, "0")
    assert bad.exit_code == 2
