"""The machine formats for CI and spreadsheets (cli.md, "Formats for CI"), read by real parsers.

Each format runs over the shipped examples, whose outcomes are known, and over a file that
cannot be loaded; its output is parsed with json, ElementTree, a regex or the csv module.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from conftest import EXAMPLES, MALFORMED, ROOT, Run
from cosmecheck import __version__
from cosmecheck.model import FileResult, Finding, Report, Severity
from cosmecheck.report import FORMATTERS, Style
from cosmecheck.report.github import escape_data, escape_property
from cosmecheck.rulepacks import Catalogue

RunCli = Callable[..., Run]

CALL = "COS-CLUSTER-2018-03-02"
FORMATS = ["sarif", "junit", "github", "csv"]
# Which rules each example fails (error) and only warns about, independent of the outputs.
FAILS: dict[str, set[str]] = {
    "recipe4mobility": set(),
    "three-regions": {"consortium-region"},
    "norwegian-partner": {"applicant-country", "consortium-countries", "consortium-size"},
    "late-submission": {"proposal-deadline"},
    "over-budget": {"proposal-budget-consistency", "proposal-cofinancing", "proposal-max-grant"},
}
WARNS: dict[str, set[str]] = {name: set() for name in FAILS} | {"late-submission": {"applicant-uk"}}
SARIF_LEVELS = {"error", "warning", "note", "none"}
GITHUB_LINE = re.compile(
    r"::(?P<command>error|warning|notice) "
    r"file=(?P<file>[^,:\r\n]+)(?:,line=(?P<line>[1-9]\d*)(?:,col=(?P<col>[1-9]\d*))?)?"
    r",title=(?P<title>[^,:\r\n]+)::(?P<message>[^\r\n]*)"
)


# --------------------------------------------------------------------------------------------
# fixtures and helpers


@pytest.fixture(autouse=True)
def _in_project(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the project folder, so that `examples` is a relative path as in CI."""
    monkeypatch.chdir(ROOT)


def _stem(path: str) -> str:
    return Path(path).stem


def _pack_rules() -> set[str]:
    return set(Catalogue().get(CALL).rules)


def _partner_renamed(tmp_path: Path, name: str, file_name: str = "renamed.yaml") -> Path:
    """norwegian-partner with its failing Norwegian partner renamed (double-quoted YAML)."""
    text = (EXAMPLES / "norwegian-partner.yaml").read_text("utf-8")
    old = "  - name: Norwegian Ocean Cluster\n"
    assert text.count(old) == 1, "the example changed"
    path = tmp_path / file_name
    path.write_text(text.replace(old, f"  - name: {json.dumps(name)}\n"), "utf-8")
    return path


def _acronym_set(tmp_path: Path, acronym: str) -> Path:
    text = (EXAMPLES / "recipe4mobility.yaml").read_text("utf-8")
    old = "  acronym: RECiPE4Mobility\n"
    assert text.count(old) == 1, "the example changed"
    path = tmp_path / "acronym.yaml"
    path.write_text(text.replace(old, f"  acronym: {json.dumps(acronym)}\n"), "utf-8")
    return path


def _csv_rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff"), "the CSV report starts with a UTF-8 byte order mark"
    return list(csv.DictReader(io.StringIO(text[1:])))


def _github_lines(text: str) -> tuple[list[re.Match[str]], str]:
    """The workflow commands, each checked against the syntax, and the summary line."""
    *commands, summary = text.splitlines()
    matches = []
    for line in commands:
        match = GITHUB_LINE.fullmatch(line)
        assert match, f"not a workflow command: {line!r}"
        matches.append(match)
    assert not summary.startswith("::")
    return matches, summary


# --------------------------------------------------------------------------------------------
# every format


def test_formats_are_registered() -> None:
    assert set(FORMATTERS) >= {"text", "json", *FORMATS}


@pytest.mark.parametrize("fmt", FORMATS)
def test_exit_status_is_the_text_reports(run_cli: RunCli, fmt: str, malformed: Path) -> None:
    for paths, expected in [(["examples"], 1), (["examples", malformed], 2)]:
        assert run_cli("check", *paths).exit_code == expected
        assert run_cli("check", *paths, "--format", fmt).exit_code == expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_is_identical_across_runs(run_cli: RunCli, fmt: str, malformed: Path) -> None:
    first = run_cli("check", "examples", malformed, "--format", fmt)
    second = run_cli("check", "examples", malformed, "--format", fmt)
    assert first.stdout
    assert first.stdout == second.stdout


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_option_writes_the_report(run_cli: RunCli, fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"report.{fmt}"
    written = run_cli("check", "examples", "--format", fmt, "--output", target)
    printed = run_cli("check", "examples", "--format", fmt)
    assert written.exit_code == printed.exit_code == 1
    assert written.stdout == ""
    assert target.read_text("utf-8") == printed.stdout


@pytest.mark.parametrize("fmt", FORMATS)
def test_unloaded_file_is_named_on_stderr(run_cli: RunCli, fmt: str, malformed: Path) -> None:
    run = run_cli("check", malformed, "--format", fmt)
    assert run.exit_code == 2
    assert f"{malformed}:3:" in run.stderr


# --------------------------------------------------------------------------------------------
# sarif


def _sarif(run_cli: RunCli, *paths: str | Path) -> dict[str, Any]:
    run = run_cli("check", *paths, "--format", "sarif")
    assert run.exit_code in (0, 1, 2), run.stderr
    data: dict[str, Any] = json.loads(run.stdout)
    return data


def _sarif_is_well_formed(log: dict[str, Any]) -> None:
    """What SARIF 2.1.0 and code-scanning services need, checked by hand."""
    assert log["version"] == "2.1.0"
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "cosmecheck"
    assert driver["version"] == __version__
    assert "informationUri" not in driver
    ids = [rule["id"] for rule in driver["rules"]]
    assert len(ids) == len(set(ids)), "rule ids are unique"
    for rule in driver["rules"]:
        assert rule["defaultConfiguration"]["level"] in SARIF_LEVELS
        assert rule["shortDescription"]["text"]
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in SARIF_LEVELS
        assert result["message"]["text"]
        (place,) = result["locations"]
        physical = place["physicalLocation"]
        assert physical["artifactLocation"]["uri"]
        for key, value in physical.get("region", {}).items():
            assert key in ("startLine", "startColumn")
            assert isinstance(value, int)
            assert value >= 1


def test_sarif_is_well_formed(run_cli: RunCli, malformed: Path) -> None:
    _sarif_is_well_formed(_sarif(run_cli, "examples", malformed))


def test_sarif_results_are_the_examples_findings(run_cli: RunCli) -> None:
    run = _sarif(run_cli, "examples")["runs"][0]
    found: dict[str, set[tuple[str, str]]] = {name: set() for name in FAILS}
    for result in run["results"]:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri.startswith("examples/"), "a relative path stays relative, with /"
        found[_stem(uri)].add((result["ruleId"], result["level"]))
    for name in FAILS:
        expected = {(r, "error") for r in FAILS[name]} | {(r, "warning") for r in WARNS[name]}
        assert found[name] == expected, name


def test_sarif_rules_carry_their_help(run_cli: RunCli) -> None:
    rules = {r["id"]: r for r in _sarif(run_cli, "examples")["runs"][0]["tool"]["driver"]["rules"]}
    assert set(rules) == _pack_rules() | {"load-error"}
    uk = rules["applicant-uk"]
    assert uk["defaultConfiguration"]["level"] == "warning"
    assert uk["properties"] == {"section": "6.1", "source": "standard", "pack": CALL}
    assert uk["fullDescription"]["text"] in uk["help"]["text"]
    assert "How to fix: " in uk["help"]["text"]
    assert rules["consortium-region"]["defaultConfiguration"]["level"] == "error"


def test_sarif_places_partner_and_load_error(run_cli: RunCli, malformed: Path) -> None:
    results = _sarif(run_cli, "examples/late-submission.yaml", malformed)["runs"][0]["results"]
    uk = next(r for r in results if r["ruleId"] == "applicant-uk")
    assert uk["properties"]["partner"] == "Creative Cardiff Cluster"
    assert uk["locations"][0]["physicalLocation"]["region"] == {"startLine": 24, "startColumn": 14}
    (load,) = [r for r in results if r["ruleId"] == "load-error"]
    assert load["level"] == "error"
    physical = load["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == malformed.as_uri()
    assert physical["region"]["startLine"] == 3


# --------------------------------------------------------------------------------------------
# junit


def _junit(run_cli: RunCli, *args: str | Path) -> ET.Element:
    run = run_cli("check", *args, "--format", "junit")
    assert run.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(run.stdout.encode("utf-8"))


def _counts(element: ET.Element) -> list[int]:
    return [int(element.get(k, "-1")) for k in ("tests", "failures", "errors", "skipped")]


def test_junit_counts_match_the_examples(run_cli: RunCli, malformed: Path) -> None:
    root = _junit(run_cli, "examples", malformed)
    assert root.tag == "testsuites"
    assert root.get("name") == "cosmecheck"
    rules = len(_pack_rules())
    failures = sum(len(rules_) for rules_ in FAILS.values())
    assert _counts(root) == [len(FAILS) * rules + 1, failures, 1, 0]
    for suite in root.iter("testsuite"):
        cases = suite.findall("testcase")
        expected = [len(cases)] + [
            sum(c.find(kind) is not None for c in cases) for kind in ("failure", "error", "skipped")
        ]
        assert _counts(suite) == expected, suite.get("name")


def test_junit_testcases_are_the_rules(run_cli: RunCli) -> None:
    for suite in _junit(run_cli, "examples").iter("testsuite"):
        name = _stem(suite.get("name", ""))
        cases = {c.get("name"): c for c in suite.iter("testcase")}
        assert set(cases) == _pack_rules()
        failed = {n for n, c in cases.items() if c.find("failure") is not None}
        assert failed == FAILS[name]
        out = {n for n, c in cases.items() if c.find("system-out") is not None}
        assert out == WARNS[name]
        assert {c.get("classname") for c in cases.values()} == {f"examples/{name}"}


def test_junit_failure_lists_each_finding(run_cli: RunCli) -> None:
    root = _junit(run_cli, "examples/norwegian-partner.yaml")
    case = root.find("testsuite/testcase[@name='applicant-country']")
    assert case is not None
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("type") == "error"
    assert "Norway" in failure.get("message", "")
    text = failure.text or ""
    assert "examples/norwegian-partner.yaml:31:14" in text
    assert "Norwegian Ocean Cluster" in text
    assert "How to fix:" in text


def test_junit_warning_is_output_not_failure(run_cli: RunCli) -> None:
    root = _junit(run_cli, "examples/late-submission.yaml")
    case = root.find("testsuite/testcase[@name='applicant-uk']")
    assert case is not None
    assert case.find("failure") is None
    assert "Creative Cardiff Cluster" in (case.findtext("system-out") or "")
    warned = _junit(run_cli, "examples/late-submission.yaml", "--fail-on", "warning")
    failure = warned.find("testsuite/testcase[@name='applicant-uk']/failure")
    assert failure is not None, "with --fail-on warning, the warning fails the run and the test"
    assert failure.get("type") == "warning"


def test_junit_load_error_and_skipped_file(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(MALFORMED, "utf-8")
    (tmp_path / "notes.yaml").write_text("colours: [red, green]\n", "utf-8")
    suites = {Path(s.get("name", "")).name: s for s in _junit(run_cli, tmp_path).iter("testsuite")}
    (bad,) = suites["bad.yaml"].findall("testcase")
    assert bad.get("name") == "load"
    error = bad.find("error")
    assert error is not None
    assert "invalid YAML" in error.get("message", "")
    (notes,) = suites["notes.yaml"].findall("testcase")
    assert notes.find("skipped") is not None
    assert _counts(suites["notes.yaml"]) == [1, 0, 0, 1]


def test_junit_escapes_markup_and_control_characters(run_cli: RunCli, tmp_path: Path) -> None:
    name = 'Cluster <&> "Ocean" ]]> \x01\x1b end'
    root = _junit(run_cli, _partner_renamed(tmp_path, name))
    failure = root.find("testsuite/testcase[@name='applicant-country']/failure")
    assert failure is not None
    assert 'Cluster <&> "Ocean" ]]> \\x01\\x1b end' in (failure.text or "")
    assert 'Cluster <&> "Ocean"' in failure.get("message", "")


# --------------------------------------------------------------------------------------------
# github


def test_github_commands_are_the_examples_findings(run_cli: RunCli, malformed: Path) -> None:
    run = run_cli("check", "examples", malformed, "--format", "github")
    commands, summary = _github_lines(run.stdout)
    found: dict[str, set[tuple[str, str]]] = {}
    for match in commands:
        assert match["line"], "every finding of the examples has a line"
        found.setdefault(_stem(match["file"]), set()).add((match["title"], match["command"]))
    assert found.pop("malformed") == {("load-error", "error")}
    assert "recipe4mobility" not in found, "nothing for an eligible file without findings"
    for name, titles in found.items():
        expected = {(r, "error") for r in FAILS[name]} | {(r, "warning") for r in WARNS[name]}
        assert titles == expected, name
    assert summary.startswith("cosmecheck: 6 files: 1 eligible, 4 ineligible, 1 not loaded")


def test_github_places_a_finding(run_cli: RunCli) -> None:
    run = run_cli("check", "examples/late-submission.yaml", "--format", "github")
    assert run.stdout.splitlines()[1].startswith(
        "::warning file=examples/late-submission.yaml,line=24,col=14,title=applicant-uk::"
        "Creative Cardiff Cluster is established"
    )


def test_github_escapes_message_and_properties(run_cli: RunCli, tmp_path: Path) -> None:
    path = _partner_renamed(tmp_path, "Ocean 100%: North, Sea\nCluster", "odd, name: 100%.yaml")
    commands, _ = _github_lines(run_cli("check", path, "--format", "github").stdout)
    (country,) = [m for m in commands if m["title"] == "applicant-country"]
    assert country["message"].startswith("Ocean 100%25: North, Sea%0ACluster is established")
    assert country["file"] == str(path).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
    assert country["file"].endswith("odd%2C name%3A 100%25.yaml")


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("100%", "100%25", "100%25"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("a: b, c", "a: b, c", "a%3A b%2C c"),
        ("%3A", "%253A", "%253A"),
    ],
)
def test_github_escaping(text: str, data: str, prop: str) -> None:
    assert escape_data(text) == data
    assert escape_property(text) == prop


# --------------------------------------------------------------------------------------------
# csv


def test_csv_has_one_row_per_file_in_report_order(run_cli: RunCli, malformed: Path) -> None:
    rows = _csv_rows(run_cli("check", "examples", malformed, "--format", "csv").stdout)
    files = run_cli("check", "examples", malformed, "--format", "json").json()["files"]
    assert [r["path"] for r in rows] == [f["path"] for f in files]
    assert list(rows[0]) == [
        "path", "acronym", "call", "status", "errors", "warnings", "infos", "failed_rules"
    ]  # fmt: skip
    by_name = {_stem(r["path"]): r for r in rows}
    bad = by_name.pop("malformed")
    assert (bad["status"], bad["errors"], bad["failed_rules"]) == ("error", "1", "")
    for name, row in by_name.items():
        assert row["call"] == CALL
        assert row["status"] == ("ineligible" if FAILS[name] else "eligible")
        assert row["failed_rules"] == ";".join(sorted(FAILS[name]))
        assert (int(row["errors"]), int(row["warnings"]), int(row["infos"])) == (
            len(FAILS[name]),
            len(WARNS[name]),
            0,
        )
    assert by_name["recipe4mobility"]["acronym"] == "RECiPE4Mobility"


def test_csv_quotes_and_keeps_formulas_inert(run_cli: RunCli, tmp_path: Path) -> None:
    (row,) = _csv_rows(run_cli("check", _acronym_set(tmp_path, "=1+2, «é»"), "-f", "csv").stdout)
    assert row["acronym"] == "'=1+2, «é»"
    assert row["status"] == "eligible"


# --- Rules of several calls, and selected rules only ------------------------------------------


def _second_call(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the shipped pack under another call id, and a file that names that call."""
    root = tmp_path / "packs"
    shutil.copytree(ROOT / "rules" / "cos-cluster-2018-03-02", root / "cos-test")
    pack = root / "cos-test" / "pack.yaml"
    pack.write_text(
        pack.read_text("utf-8").replace("id: COS-CLUSTER-2018-03-02", "id: COS-TEST-2099"), "utf-8"
    )
    other = tmp_path / "other-call.yaml"
    text = (EXAMPLES / "three-regions.yaml").read_text("utf-8")
    other.write_text(text.replace("call: COS-CLUSTER-2018-03-02", "call: COS-TEST-2099"), "utf-8")
    return root, other


def test_two_calls_sharing_rule_ids_keep_their_own_rules(run_cli: RunCli, tmp_path: Path) -> None:
    root, other = _second_call(tmp_path)
    files = [EXAMPLES / "three-regions.yaml", other]
    suites = ET.fromstring(run_cli("check", *files, "--rules", root, "-f", "junit").stdout)
    assert [int(s.get("tests", 0)) for s in suites.iter("testsuite")] == [16, 16]
    log = json.loads(run_cli("check", *files, "--rules", root, "-f", "sarif").stdout)
    ids = [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]]
    assert "COS-CLUSTER-2018-03-02/consortium-region" in ids
    assert "COS-TEST-2099/consortium-region" in ids
    rule_ids = {r["ruleId"] for r in log["runs"][0]["results"]}
    assert rule_ids == {
        "COS-CLUSTER-2018-03-02/consortium-region",
        "COS-TEST-2099/consortium-region",
    }


def test_ignored_rules_are_not_reported_as_passing(run_cli: RunCli) -> None:
    target = EXAMPLES / "late-submission.yaml"
    suites = ET.fromstring(
        run_cli("check", target, "--ignore", "applicant-uk", "-f", "junit").stdout
    )
    names = [case.get("name") for case in suites.iter("testcase")]
    assert "applicant-uk" not in names
    assert "proposal-deadline" in names
    log = json.loads(
        run_cli("check", target, "--select", "proposal-deadline", "-f", "sarif").stdout
    )
    ids = {rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    assert ids == {"proposal-deadline", "load-error"}


# --------------------------------------------------------------------------------------------
# JSON, written file by file


@pytest.mark.parametrize("paths", [["examples"], ["examples", "tests/cases"], []])
def test_json_written_file_by_file_is_the_whole_document_dumped(paths: list[str]) -> None:
    from cosmecheck.checker import check_paths
    from cosmecheck.report.json import document, render

    report = check_paths(paths)
    stream = io.StringIO()
    render(report, stream)
    whole = json.dumps(document(report), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert stream.getvalue() == whole


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(_JSON_VALUES)
def test_json_writer_writes_what_json_dumps_writes(value: Any) -> None:
    from cosmecheck.report.json import _dumps

    assert _dumps(value) == json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


# --- The text report's table of many files ---------------------------------------------------


def _batch(*rows: tuple[str, str | None, str | None, int]) -> Report:
    """A report of files (path, acronym, call, error findings)."""
    error = Finding("consortium-size", Severity.ERROR, "too few", "$.partners")
    return Report(
        tuple(
            FileResult(path, call, acronym, (error,) * errors)
            for path, acronym, call, errors in rows
        )
    )


def _table(report: Report, width: int, color: bool = False) -> list[str]:
    """The lines of the table in a text report (without the call line and the summary)."""
    stream = io.StringIO()
    FORMATTERS["text"](report, stream, Style(width=width, color=color))
    return [
        line for line in stream.getvalue().splitlines() if "━" in line or "│" in line or "┃" in line
    ]


def _columns(line: str) -> list[int]:
    """Where the column separators of a table line stand, in terminal cells."""
    return [cell_len(line[:i]) for i, char in enumerate(line) if char in "┃╇│"]


TABLE = _batch(
    ("proposals/2019/a-very-long-folder-name/recipe4mobility-consortium.yaml", "RECIPE", CALL, 0),
    ("proposals/日本/クラスター連携提案書.yaml", "RECiPE4Mobility", CALL, 2),
    ("short.yaml", None, None, 0),
)


@pytest.mark.parametrize("width", [80, 100, 200])
def test_table_columns_line_up_and_fit_the_terminal(width: int) -> None:
    lines = _table(TABLE, width)
    assert lines[0].split() == [
        "file",
        "┃",
        "acronym",
        "┃",
        "verdict",
        "┃",
        "errors",
        "┃",
        "warnings",
    ]
    assert len({tuple(_columns(line)) for line in lines}) == 1, "\n".join(lines)
    assert max(map(cell_len, lines)) <= width
    assert all(line == line.rstrip() for line in lines)


def test_table_folds_long_paths_and_keeps_them_whole() -> None:
    lines = _table(TABLE, 80)
    files = [line.split(" │ ")[0].rstrip() for line in lines[2:]]
    # Worst first: the file with errors, whose wide characters fold by terminal cells.
    assert files[0].startswith("proposals/日本")
    assert "".join(files[:2]) == TABLE.files[1].path
    assert "".join(files[2:5]) == TABLE.files[0].path
    assert cell_len(files[2]) == _columns(lines[0])[0] - 1  # the column's whole width
    assert files[5:] == ["short.yaml"]
    assert [line.split(" │ ")[1].strip() for line in lines[2:]] == [
        "RECiPE4Mobi…",
        "",
        "RECIPE",
        "",
        "",
        "",
    ]


def test_table_cuts_a_long_acronym_only_on_a_narrow_terminal() -> None:
    assert "RECiPE4Mobi…" in "\n".join(_table(TABLE, 80))
    assert "RECiPE4Mobility" in "\n".join(_table(TABLE, 200))


def test_table_keeps_every_column_on_a_very_narrow_terminal() -> None:
    lines = _table(TABLE, 40)
    assert lines[0].split()[-1] == "warnings"
    row = next(line for line in lines if line.startswith("short.yaml"))
    assert row.split(" │ ")[-2:] == ["     0", "       0"]
    assert len({tuple(_columns(line)) for line in lines}) == 1


def test_table_shows_the_call_column_only_for_several_calls() -> None:
    other = _batch(("a.yaml", "A", CALL, 0), ("b.yaml", "B", "COS-OTHER-2020", 1))
    assert "call" in _table(other, 120)[0].split()
    assert "call" not in _table(TABLE, 120)[0].split()


def test_table_colours_the_header_and_verdicts() -> None:
    lines = _table(TABLE, 100, color=True)
    assert "\x1b[1mfile" in lines[0]
    assert "\x1b[1;31m✘ INELIGIBLE" in "\n".join(lines)
    assert "\x1b[1;32m✔ ELIGIBLE" in "\n".join(lines)
    plain = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in lines]
    assert plain == _table(TABLE, 100)


def test_a_long_table_is_written_whole_and_in_order() -> None:
    # Written in blocks as it goes: no row may be lost or repeated where one block ends.
    report = _batch(*((f"folder/file-{n:04d}.yaml", f"A{n}", CALL, n % 3) for n in range(2500)))
    lines = _table(report, 100)
    names = [line.split(" │ ")[0].strip() for line in lines[2:]]
    expected = sorted(report.files, key=lambda r: (-r.errors, r.path))
    assert names == [r.path for r in expected]
    assert len({tuple(_columns(line)) for line in lines}) == 1
