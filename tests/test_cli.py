"""The command line as its users meet it: commands, options, reports and exit status (cli.md)."""

from __future__ import annotations

import collections
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from conftest import EXAMPLES, ROOT, Run, cli_env
from cosmecheck import __version__
from cosmecheck.loader import parse

RunCli = Callable[..., Run]

CALL = "COS-CLUSTER-2018-03-02"
RECIPE = EXAMPLES / "recipe4mobility.yaml"
LATE = EXAMPLES / "late-submission.yaml"
THREE = EXAMPLES / "three-regions.yaml"
NORWAY = EXAMPLES / "norwegian-partner.yaml"
ANSI = re.compile(r"\x1b\[")

RULES = {
    "applicant-country": "error",
    "applicant-eccp": "error",
    "applicant-legal-entity": "error",
    "applicant-type": "error",
    "applicant-uk": "warning",
    "consortium-coordinator": "error",
    "consortium-countries": "error",
    "consortium-duplicate": "error",
    "consortium-region": "error",
    "consortium-size": "error",
    "proposal-budget-consistency": "error",
    "proposal-clusterxchange": "warning",
    "proposal-cofinancing": "error",
    "proposal-deadline": "error",
    "proposal-duration": "error",
    "proposal-max-grant": "error",
}
TOP_KEYS = {"cosmecheck", "files", "summary"}
FILE_KEYS = {"path", "call", "acronym", "status", "findings", "load_errors"}
FINDING_KEYS = {"rule", "severity", "message", "path", "line", "column", "partner"}
LOAD_ERROR_KEYS = {"message", "line", "column"}
SUMMARY_KEYS = {"files", "eligible", "ineligible", "error", "skipped"}


# --------------------------------------------------------------------------------------------
# helpers and fixtures


def _edit(text: str, old: str, new: str) -> str:
    """Replace ``old`` once, loudly failing if the example no longer contains it."""
    assert text.count(old) == 1, f"the example no longer contains {old!r} exactly once"
    return text.replace(old, new)


@pytest.fixture
def uk_only(tmp_path: Path) -> Path:
    """recipe4mobility with its Portuguese partner moved to Wales: one warning, no error."""
    text = RECIPE.read_text("utf-8")
    text = _edit(text, "country: PRT", "country: UK")
    text = _edit(text, "region: PT11          # Norte: less developed", "region: UKL2")
    path = tmp_path / "uk-partner.yaml"
    path.write_text(text, "utf-8")
    return path


@pytest.fixture
def no_submission(tmp_path: Path) -> Path:
    """recipe4mobility without `proposal.submission`: the check time decides the deadline."""
    text = _edit(RECIPE.read_text("utf-8"), "  submission: 2019-04-03T11:20:00+02:00\n", "")
    path = tmp_path / "no-submission.yaml"
    path.write_text(text, "utf-8")
    return path


def _no_traceback(run: Run) -> None:
    assert "Traceback" not in run.stdout
    assert "Traceback" not in run.stderr


def _error_lines(stderr: str) -> list[str]:
    """The lines of stderr that state an error (click's usage lines around them aside)."""
    return [
        line
        for line in stderr.splitlines()
        if line.startswith(("cosmecheck: error:", "Error:", "cosmecheck: internal error"))
    ]


def _findings(run: Run) -> list[tuple[str, str]]:
    return [(f["rule"], f["severity"]) for f in run.json()["files"][0]["findings"]]


def _flat(text: str) -> str:
    """Text with its line wrapping undone."""
    return " ".join(text.split())


def _subprocess(
    *args: str | Path, cwd: Path = ROOT, buffered: bool = False
) -> subprocess.CompletedProcess[str]:
    env = cli_env()
    if buffered:  # as most shells run it: output is flushed by the program, not per write
        env.pop("PYTHONUNBUFFERED", None)
    return subprocess.run(
        [sys.executable, "-m", "cosmecheck", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        timeout=60,
        check=False,
    )


# --------------------------------------------------------------------------------------------
# exit status


@pytest.mark.parametrize(
    ("args", "status", "stream", "text"),
    [
        (["check", "examples/recipe4mobility.yaml"], 0, "stdout", "ELIGIBLE"),
        (["check", "examples/over-budget.yaml"], 1, "stdout", "INELIGIBLE"),
        (["check", "no-such-file.yaml"], 2, "stdout", "cannot read the file"),
        (["check", "--no-such-option"], 2, "stderr", "No such option"),
        (["explain", "no-such-rule"], 2, "stderr", "cosmecheck: error:"),
        (["--version"], 0, "stdout", "cosmecheck "),
    ],
)
def test_the_process_ends_with_the_status_and_every_byte_written(
    args: list[str], status: int, stream: str, text: str
) -> None:
    # The entry point ends the process without the interpreter's teardown (__main__.py):
    # what was written must still all arrive, with the status the command chose.
    run = _subprocess(*args, buffered=True)
    assert run.returncode == status, run.stdout + run.stderr
    assert text in getattr(run, stream)
    assert "Traceback" not in run.stderr


# Ctrl-C while the command line is still being imported: the import of cosmecheck.cli raises.
_CTRL_C_WHILE_LOADING = """
import sys
class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == "cosmecheck.cli":
            raise KeyboardInterrupt
sys.meta_path.insert(0, CtrlC())
sys.argv = ["cosmecheck", "check", "examples/recipe4mobility.yaml"]
from cosmecheck.__main__ import main
main()
"""


def test_ctrl_c_while_loading_ends_with_130_and_no_traceback() -> None:
    run = subprocess.run(
        [sys.executable, "-c", _CTRL_C_WHILE_LOADING],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=cli_env(),
        timeout=60,
        check=False,
    )
    assert (run.returncode, run.stdout, run.stderr) == (130, "", "cosmecheck: interrupted\n")


def test_a_large_report_arrives_whole_through_a_pipe(tmp_path: Path) -> None:
    for number in range(150):
        shutil.copy(EXAMPLES / "over-budget.yaml", tmp_path / f"{number:03d}.yaml")
    run = _subprocess("check", tmp_path, "-f", "json", "-j", "2", buffered=True)
    assert run.returncode == 1, run.stderr
    assert len(json.loads(run.stdout)["files"]) == 150


def test_eligible_file_exits_0(run_cli: RunCli) -> None:
    run = run_cli("check", RECIPE)
    assert run.exit_code == 0, run.stdout
    assert "ELIGIBLE" in run.stdout
    assert "INELIGIBLE" not in run.stdout


@pytest.mark.parametrize("example", [THREE, NORWAY, LATE], ids=lambda p: p.stem)
def test_ineligible_file_exits_1(run_cli: RunCli, example: Path) -> None:
    run = run_cli("check", example)
    assert run.exit_code == 1, run.stdout
    assert "INELIGIBLE" in run.stdout
    _no_traceback(run)


USAGE_ERRORS = {
    "unknown-call": (["--call", "NOPE-2099"], "NOPE-2099"),
    "unknown-select": (["--select", "no-such-rule"], "no-such-rule"),
    "unknown-ignore": (["--ignore", "no-such-rule"], "no-such-rule"),
    "unknown-format": (["--format", "nope"], "--format"),
    "unknown-fail-on": (["--fail-on", "sometimes"], "--fail-on"),
    "bad-at": (["--at", "yesterday"], "--at"),
    "bad-date-at": (["--at", "2019-02-30"], "--at"),
}


@pytest.mark.parametrize(("extra", "named"), USAGE_ERRORS.values(), ids=USAGE_ERRORS.keys())
def test_usage_error_exits_2_with_one_line(run_cli: RunCli, extra: list[str], named: str) -> None:
    run = run_cli("check", RECIPE, *extra)
    assert run.exit_code == 2
    _no_traceback(run)
    assert run.stdout == "", "a usage error reports no file"
    lines = _error_lines(run.stderr)
    assert len(lines) == 1, run.stderr
    assert named in lines[0]


def test_check_without_paths_is_a_usage_error(run_cli: RunCli) -> None:
    run = run_cli("check")
    assert run.exit_code == 2
    _no_traceback(run)
    assert len(_error_lines(run.stderr)) == 1, run.stderr


def test_folder_without_consortium_files_exits_2(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a consortium", "utf-8")
    run = run_cli("check", tmp_path)
    assert run.exit_code == 2
    lines = _error_lines(run.stderr)
    assert len(lines) == 1, run.stderr
    assert "no consortium files" in lines[0]


@pytest.mark.parametrize(
    ("extra", "named"),
    [USAGE_ERRORS[k] for k in ("unknown-call", "unknown-select", "unknown-format", "bad-at")],
    ids=["unknown-call", "unknown-select", "unknown-format", "bad-at"],
)
def test_usage_error_in_a_real_process(extra: list[str], named: str) -> None:
    """The installed entry point (`main`), not the test runner, turns errors into one line."""
    proc = _subprocess("check", RECIPE, *extra)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = _error_lines(proc.stderr)
    assert len(lines) == 1, proc.stderr
    assert named in lines[0]
    assert proc.stdout == ""


def test_missing_file_exits_2_and_is_reported(run_cli: RunCli, tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    run = run_cli("check", missing)
    assert run.exit_code == 2
    _no_traceback(run)
    assert str(missing) in run.stdout
    assert "cannot read the file" in run.stdout
    assert "NOT LOADED" in run.stdout


def test_malformed_file_exits_2_with_its_place(run_cli: RunCli, malformed: Path) -> None:
    run = run_cli("check", malformed)
    assert run.exit_code == 2
    _no_traceback(run)
    assert f"{malformed}:3:9" in run.stdout
    assert "invalid YAML" in run.stdout


def test_unloadable_files_do_not_stop_a_batch(
    run_cli: RunCli, malformed: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.yaml"
    run = run_cli("check", malformed, RECIPE, missing, THREE, "--format", "json")
    assert run.exit_code == 2
    report = run.json()
    statuses = {Path(f["path"]).name: f["status"] for f in report["files"]}
    assert statuses == {
        "malformed.yaml": "error",
        "recipe4mobility.yaml": "eligible",
        "missing.yaml": "error",
        "three-regions.yaml": "ineligible",
    }
    assert report["summary"] == {
        "files": 4,
        "eligible": 1,
        "ineligible": 1,
        "error": 2,
        "skipped": 0,
    }
    by_name = {Path(f["path"]).name: f for f in report["files"]}
    bad = by_name["malformed.yaml"]
    assert bad["findings"] == []
    assert [set(p) for p in bad["load_errors"]] == [LOAD_ERROR_KEYS]
    assert (bad["load_errors"][0]["line"], bad["load_errors"][0]["column"]) == (3, 9)
    gone = by_name["missing.yaml"]["load_errors"]
    assert len(gone) == 1
    assert gone[0]["line"] is None
    assert "cannot read the file" in gone[0]["message"]


def test_bad_yaml_in_a_real_process(tmp_path: Path, malformed: Path) -> None:
    proc = _subprocess("check", malformed, cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "Traceback" not in proc.stdout
    assert "invalid YAML" in _flat(proc.stdout)


def test_unloadable_file_is_also_named_on_stderr(tmp_path: Path, malformed: Path) -> None:
    proc = _subprocess("check", malformed, "--format", "json", cwd=tmp_path)
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["summary"]["error"] == 1
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert "malformed.yaml" in lines[0]


# --------------------------------------------------------------------------------------------
# --fail-on


def test_warning_alone_passes_by_default(run_cli: RunCli, uk_only: Path) -> None:
    run = run_cli("check", uk_only, "--format", "json")
    assert run.exit_code == 0
    assert _findings(run) == [("applicant-uk", "warning")]
    assert run.json()["files"][0]["status"] == "eligible"


@pytest.mark.parametrize(("fail_on", "code"), [("error", 0), ("warning", 1), ("info", 1)])
def test_fail_on_sets_the_threshold(
    run_cli: RunCli, uk_only: Path, fail_on: str, code: int
) -> None:
    run = run_cli("check", uk_only, "--fail-on", fail_on, "--format", "json")
    assert run.exit_code == code
    # --fail-on changes the exit status, never the verdict on the file.
    assert run.json()["files"][0]["status"] == "eligible"


def test_fail_on_warning_does_not_hide_load_errors(
    run_cli: RunCli, uk_only: Path, malformed: Path
) -> None:
    assert run_cli("check", uk_only, malformed, "--fail-on", "warning").exit_code == 2


# --------------------------------------------------------------------------------------------
# JSON report


def _sorted_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    assert keys == sorted(keys), f"keys not sorted: {keys}"
    return dict(pairs)


def test_json_report_shape(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    run = run_cli("check", "examples/late-submission.yaml", "--format", "json")
    assert run.exit_code == 1
    assert run.stderr == ""
    report = json.loads(run.stdout, object_pairs_hook=_sorted_pairs)
    assert set(report) == TOP_KEYS
    assert report["cosmecheck"] == __version__
    assert report["summary"] == {
        "files": 1,
        "eligible": 0,
        "ineligible": 1,
        "error": 0,
        "skipped": 0,
    }
    [entry] = report["files"]
    assert set(entry) == FILE_KEYS
    assert entry["path"] == "examples/late-submission.yaml"
    assert entry["call"] == CALL
    assert entry["acronym"] == "CREATE-X"
    assert entry["status"] == "ineligible"
    assert entry["load_errors"] == []
    for finding in entry["findings"]:
        assert set(finding) == FINDING_KEYS
        assert finding["rule"] in RULES
        assert finding["severity"] == RULES[finding["rule"]]
        assert finding["path"].startswith("$")
        assert isinstance(finding["line"], int)
        assert isinstance(finding["column"], int)
        assert finding["message"]
    deadline, uk = entry["findings"]  # worst first
    assert deadline == {
        "rule": "proposal-deadline",
        "severity": "error",
        "message": deadline["message"],
        "path": "$.proposal.submission",
        "line": 13,
        "column": 15,
        "partner": None,
    }
    assert "30 min late" in deadline["message"]
    assert uk == {
        "rule": "applicant-uk",
        "severity": "warning",
        "message": uk["message"],
        "path": "$.partners[0].country",
        "line": 24,
        "column": 14,
        "partner": "Creative Cardiff Cluster",
    }


def test_json_report_is_one_document_without_colour(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    run = run_cli("check", LATE, THREE, "--format", "json")
    assert not ANSI.search(run.stdout)
    report = run.json()  # the whole of stdout is one JSON document
    assert set(report) == TOP_KEYS
    assert set(report["summary"]) == SUMMARY_KEYS
    assert report["summary"] == {
        "files": 2,
        "eligible": 0,
        "ineligible": 2,
        "error": 0,
        "skipped": 0,
    }


def test_json_summary_counts_a_folder(run_cli: RunCli) -> None:
    report = run_cli("check", EXAMPLES, "--format", "json").json()
    statuses = collections.Counter(f["status"] for f in report["files"])
    assert report["summary"] == {
        "files": len(report["files"]),
        "eligible": statuses["eligible"],
        "ineligible": statuses["ineligible"],
        "error": statuses["error"],
        "skipped": 0,
    }
    assert report["summary"]["files"] == len(list(EXAMPLES.glob("*.yaml")))


# --------------------------------------------------------------------------------------------
# --output


def test_output_writes_the_report_to_a_file(run_cli: RunCli, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    target = folder / "report.json"
    run = run_cli("check", THREE, "--format", "json", "--output", target)
    assert run.exit_code == 1
    assert run.stdout == ""
    assert sorted(p.name for p in folder.iterdir()) == ["report.json"]
    written = json.loads(target.read_text("utf-8"))
    assert written == run_cli("check", THREE, "--format", "json").json()


def test_output_replaces_an_old_report_without_leftovers(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old report", "utf-8")
    run = run_cli("check", RECIPE, "--format", "json", "--output", target)
    assert run.exit_code == 0
    assert json.loads(target.read_text("utf-8"))["summary"]["eligible"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_text_output_file_has_no_colour(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    target = tmp_path / "report.txt"
    run = run_cli("check", THREE, "--output", target)
    assert run.exit_code == 1
    assert run.stdout == ""
    text = target.read_text("utf-8")
    assert not ANSI.search(text)
    assert "INELIGIBLE" in text
    assert "consortium-region" in text
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_output_file_mode_follows_the_umask(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    old = os.umask(0o022)
    try:
        run = run_cli("check", RECIPE, "--format", "json", "--output", target)
    finally:
        os.umask(old)
    assert run.exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_output_into_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "report.json"
    proc = _subprocess("check", RECIPE, "--output", target)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = _error_lines(proc.stderr)
    assert len(lines) == 1, proc.stderr
    assert "internal error" not in lines[0]
    assert ".tmp" not in lines[0]
    assert str(target) in lines[0]


# --------------------------------------------------------------------------------------------
# --at


@pytest.mark.parametrize(
    ("at", "late"),
    [
        ("2019-04-04T16:59:00+02:00", False),
        ("2019-04-04T17:01:00+02:00", True),
        ("2019-04-04T14:59:00Z", False),
        ("2019-04-04T15:01:00Z", True),
        # Without an offset the time is read in the call's time zone (Brussels, UTC+2).
        ("2019-04-04T16:59:00", False),
        ("2019-04-04T17:01:00", True),
        ("2019-04-04", False),
        ("2019-04-05", True),
    ],
)
def test_at_is_the_check_time_without_submission(
    run_cli: RunCli, no_submission: Path, at: str, late: bool
) -> None:
    run = run_cli("check", no_submission, "--at", at, "--format", "json")
    assert run.exit_code == (1 if late else 0)
    assert _findings(run) == ([("proposal-deadline", "error")] if late else [])


def test_at_late_message_says_by_how_much(run_cli: RunCli, no_submission: Path) -> None:
    run = run_cli("check", no_submission, "--at", "2019-04-04T17:01:00+02:00", "--format", "json")
    [finding] = run.json()["files"][0]["findings"]
    assert "1 min late" in finding["message"]
    assert "2019-04-04 17:00 Europe/Brussels" in finding["message"]


def test_without_at_the_check_time_is_now(run_cli: RunCli, no_submission: Path) -> None:
    # The deadline passed in 2019: checked today, a file without submission time is late.
    run = run_cli("check", no_submission, "--format", "json")
    assert run.exit_code == 1
    assert _findings(run) == [("proposal-deadline", "error")]


@pytest.mark.parametrize(("example", "code"), [(RECIPE, 0), (LATE, 1)], ids=["on-time", "late"])
def test_at_does_not_override_a_submission_time(run_cli: RunCli, example: Path, code: int) -> None:
    at = "2019-05-01" if code == 0 else "2019-01-01"
    assert run_cli("check", example, "--at", at).exit_code == code


# --------------------------------------------------------------------------------------------
# --select / --ignore / --call


@pytest.mark.parametrize(
    ("options", "expected", "code"),
    [
        ([], [("proposal-deadline", "error"), ("applicant-uk", "warning")], 1),
        (["--select", "applicant-uk"], [("applicant-uk", "warning")], 0),
        (["--select", "APPLICANT-UK"], [("applicant-uk", "warning")], 0),
        (["--ignore", "applicant-uk"], [("proposal-deadline", "error")], 1),
        (["--ignore", "proposal-deadline"], [("applicant-uk", "warning")], 0),
        (
            ["--select", "proposal-deadline", "--select", "applicant-uk"],
            [("proposal-deadline", "error"), ("applicant-uk", "warning")],
            1,
        ),
        (["--select", "consortium-region"], [], 0),
        (["--ignore", "proposal-deadline", "--ignore", "applicant-uk"], [], 0),
        (["--select", CALL], [("proposal-deadline", "error"), ("applicant-uk", "warning")], 1),
        (["--ignore", CALL], [], 0),
    ],
)
def test_select_and_ignore(
    run_cli: RunCli, options: list[str], expected: list[tuple[str, str]], code: int
) -> None:
    run = run_cli("check", LATE, *options, "--format", "json")
    assert run.exit_code == code
    assert _findings(run) == expected


def test_call_option_overrides_the_file(run_cli: RunCli, tmp_path: Path) -> None:
    text = _edit(RECIPE.read_text("utf-8"), f"call: {CALL}", "call: COS-SOMETHING-ELSE")
    path = tmp_path / "other-call.yaml"
    path.write_text(text, "utf-8")
    assert run_cli("check", path).exit_code == 2
    run = run_cli("check", path, "--call", CALL, "--format", "json")
    assert run.exit_code == 0
    assert run.json()["files"][0]["call"] == CALL


# --------------------------------------------------------------------------------------------
# colour


def test_force_color_gives_ansi(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    run = run_cli("check", THREE)
    assert run.exit_code == 1
    assert ANSI.search(run.stdout)


def test_no_color_option_wins_over_force_color(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    run = run_cli("check", THREE, "--no-color")
    assert run.exit_code == 1
    assert "INELIGIBLE" in run.stdout
    assert not ANSI.search(run.stdout)


@pytest.mark.parametrize(
    "command",
    [["check", str(THREE)], ["calls"], ["rules"], ["explain", "consortium-region"]],
    ids=lambda c: c[0],
)
def test_no_color_env_wins_over_force_color(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    run = run_cli(*command)
    assert run.stdout.strip()
    assert not ANSI.search(run.stdout)
    monkeypatch.delenv("NO_COLOR")
    assert ANSI.search(run_cli(*command).stdout), "FORCE_COLOR alone should colour"


# --------------------------------------------------------------------------------------------
# text report


def test_text_report_of_one_file(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    path = "examples/late-submission.yaml"
    run = run_cli("check", path)
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    # Header: the file, its acronym and call, the verdict.
    assert lines[0].strip() == path
    assert "CREATE-X" in lines[1]
    assert CALL in lines[1]
    assert "INELIGIBLE" in lines[2]
    assert "1 error, 1 warning" in lines[2]
    # Findings grouped by severity, errors first, each with rule id and file:line:column.
    errors = lines.index("  errors")
    warnings = lines.index("  warnings")
    assert errors < warnings
    [deadline] = [i for i, line in enumerate(lines) if "proposal-deadline" in line]
    [uk] = [i for i, line in enumerate(lines) if "applicant-uk" in line]
    assert errors < deadline < warnings < uk
    assert f"{path}:13:15" in lines[deadline]
    # A partner's finding names the partner on the same line.
    assert f"{path}:24:14" in lines[uk]
    assert "Creative Cardiff Cluster" in lines[uk]
    assert "30 min late" in _flat(run.stdout)
    # Then one summary line.
    assert lines[-1] == "1 file: 1 ineligible · 1 error, 1 warning, 0 info"


def test_text_report_of_an_eligible_file(run_cli: RunCli) -> None:
    run = run_cli("check", RECIPE)
    assert run.exit_code == 0
    assert "✔ ELIGIBLE" in run.stdout
    assert "errors\n" not in run.stdout
    assert run.stdout.splitlines()[-1] == "1 file: 1 eligible · 0 errors, 0 warnings, 0 info"


EXAMPLE_ROWS = {
    "late-submission": ("CREATE-X", "INELIGIBLE", "1", "1"),
    "norwegian-partner": ("BLUEGROWTH", "INELIGIBLE", "3", "0"),
    "over-budget": ("AGRIFOOD-4X", "INELIGIBLE", "3", "0"),
    "recipe4mobility": ("RECiPE4Mobility", "ELIGIBLE", "0", "0"),
    "three-regions": ("TRI-MAT", "INELIGIBLE", "1", "0"),
}


def _table_rows(stdout: str) -> dict[str, list[str]]:
    """Rows by file: acronym, call, verdict, errors, warnings.

    When every file is for one call the table leaves the column out and says the call below.
    """
    shared = [line[len("call: ") :] for line in stdout.splitlines() if line.startswith("call: ")]
    rows = {}
    for line in stdout.splitlines():
        cells = [c.strip() for c in line.split("│")]
        if len(cells) == 5 and shared:
            cells.insert(2, shared[0])
        if len(cells) == 6 and cells[0].endswith(".yaml"):
            rows[cells[0]] = cells[1:]
    return rows


@pytest.mark.parametrize("target", ["examples", "examples/*.yaml"])
def test_text_report_of_many_files(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "200")
    run = run_cli("check", target)
    assert run.exit_code == 1
    rows = _table_rows(run.stdout)
    assert set(rows) == {f"examples/{stem}.yaml" for stem in EXAMPLE_ROWS}
    for stem, (acronym, verdict, errors, warnings) in EXAMPLE_ROWS.items():
        row = rows[f"examples/{stem}.yaml"]
        assert row[0] == acronym
        assert row[1] == CALL
        assert row[2].split()[-1] == verdict
        assert row[3:] == [errors, warnings]
    assert run.stdout.splitlines()[-1] == (
        "5 files: 1 eligible, 4 ineligible · 8 errors, 1 warning, 0 info"
    )
    # Without -v a batch shows no findings.
    assert "30 min late" not in run.stdout
    assert "proposal-deadline" not in run.stdout


def test_verbose_batch_shows_each_files_findings(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    run = run_cli("check", "examples/late-submission.yaml", "examples/three-regions.yaml", "-v")
    assert run.exit_code == 1
    text = _flat(run.stdout)
    assert len(_table_rows(run.stdout)) == 2
    assert "examples/late-submission.yaml:13:15" in run.stdout
    assert "30 min late" in text
    assert "examples/three-regions.yaml:21:1" in run.stdout
    assert "No eligible partner is established in a less developed or transition region" in text
    assert run.stdout.splitlines()[-1].startswith("2 files: 2 ineligible")


def test_quiet_hides_the_findings(run_cli: RunCli) -> None:
    loud = run_cli("check", LATE)
    run = run_cli("check", LATE, "--quiet")
    assert run.exit_code == loud.exit_code == 1
    assert "30 min late" in _flat(loud.stdout)
    assert "30 min late" not in _flat(run.stdout)
    assert "proposal-deadline" not in run.stdout
    assert "applicant-uk" not in run.stdout
    assert "INELIGIBLE" in run.stdout
    assert run.stdout.splitlines()[-1] == loud.stdout.splitlines()[-1]


# --------------------------------------------------------------------------------------------
# calls, rules, explain


def test_calls(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    run = run_cli("calls")
    assert run.exit_code == 0
    [row] = [line for line in run.stdout.splitlines() if CALL in line]
    cells = [c.strip() for c in row.split("│")]
    assert cells == [
        CALL,
        "European Cluster Excellence Programme",
        "2019-04-04 17:00 Europe/Brussels",
        "16",
    ]


def _rule_rows(stdout: str) -> dict[str, str]:
    rows = {}
    for line in stdout.splitlines():
        cells = [c.strip() for c in line.split("│")]
        if len(cells) >= 3 and re.fullmatch(r"[a-z]+(-[a-z]+)+…?", cells[0]):
            rows[cells[0]] = cells[1]
    return rows


@pytest.mark.parametrize("args", [[], [CALL], [CALL.lower()]], ids=["all", "call", "lower"])
def test_rules_lists_every_rule_with_its_severity(run_cli: RunCli, args: list[str]) -> None:
    run = run_cli("rules", *args)
    assert run.exit_code == 0
    assert _rule_rows(run.stdout) == RULES
    assert "max-partners" in run.stdout  # and what is not checked on purpose


def test_rules_keeps_ids_whole_at_80_columns(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    run = run_cli("rules")
    assert run.exit_code == 0
    assert _rule_rows(run.stdout) == RULES


def test_rules_of_an_unknown_call(run_cli: RunCli) -> None:
    run = run_cli("rules", "NOPE-2099")
    assert run.exit_code == 2
    assert "NOPE-2099" in run.stderr


def _region_status_counts() -> collections.Counter[str]:
    table = yaml.safe_load((ROOT / "rules" / "data" / "regions-2014-2020.yaml").read_text("utf-8"))
    return collections.Counter(r["status"] for r in table["regions"].values())


def test_explain_consortium_region(run_cli: RunCli) -> None:
    run = run_cli("explain", "consortium-region")
    assert run.exit_code == 0
    text = _flat(run.stdout)
    assert text.startswith("consortium-region error")
    assert "section 6.2" in text
    assert "Source confirmed:" in text
    counts = _region_status_counts()
    assert counts["confirmed"] > 0
    assert counts["unconfirmed"] > 0
    assert f"{counts['confirmed']} regions confirmed" in text
    assert f"{counts['unconfirmed']} unconfirmed" in text
    assert "How firm its data is" in text
    assert "How to fix a failure" in text
    assert "add a partner established in a less developed or transition region" in text


def test_explain_a_requirement_not_checked(run_cli: RunCli) -> None:
    run = run_cli("explain", "max-partners")
    assert run.exit_code == 0
    text = _flat(run.stdout)
    assert "max-partners" in text
    assert "not checked on purpose" in text
    assert "no maximum is confirmed" in text


def test_explain_an_unknown_rule_lists_the_rules(run_cli: RunCli) -> None:
    run = run_cli("explain", "nope")
    assert run.exit_code == 2
    assert run.stdout == ""
    [line] = _error_lines(run.stderr)
    assert "'nope'" in line
    for rule in RULES:
        assert rule in line


# --------------------------------------------------------------------------------------------
# facts, schema


def test_facts(run_cli: RunCli) -> None:
    run = run_cli("facts", RECIPE)
    assert run.exit_code == 0
    facts = run.json()
    assert facts["eligible_country_count"] == 5
    assert sorted(facts["eligible_countries"]) == ["DE", "FR", "HU", "NL", "PT"]
    assert facts["partner_count"] == 5
    partners = facts["partners"]
    assert isinstance(partners, list)
    assert [p["name"] for p in partners] == [
        "Pôle Véhicule du Futur",
        "Pannon Autóipari Klaszter",
        "Automotive Cluster RheinlandPfalz",
        "Brainport Automotive Cluster",
        "Mobinov",
    ]
    assert [p["country"] for p in partners] == ["FR", "HU", "DE", "NL", "PT"]


def test_facts_of_a_file_that_cannot_be_loaded(run_cli: RunCli, malformed: Path) -> None:
    run = run_cli("facts", malformed)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert f"{malformed}:3:9" in run.stderr
    _no_traceback(run)


@pytest.fixture(scope="module")
def format_schema() -> dict[str, Any]:
    from typer.testing import CliRunner

    from cosmecheck.cli import app

    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def test_schema_is_a_valid_json_schema(format_schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(format_schema)
    assert format_schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_follows_the_schema(format_schema: dict[str, Any], example: Path) -> None:
    data = parse(example.read_text("utf-8")).data
    errors = list(jsonschema.Draft202012Validator(format_schema).iter_errors(data))
    assert errors == []


def test_schema_rejects_a_file_without_partners(format_schema: dict[str, Any]) -> None:
    data = parse(RECIPE.read_text("utf-8")).data
    del data["partners"]
    assert not jsonschema.Draft202012Validator(format_schema).is_valid(data)


# --------------------------------------------------------------------------------------------
# init


def test_init_writes_a_file_that_checks(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run = run_cli("init")
    assert run.exit_code == 0
    assert "consortium.yaml" in run.stdout
    written = tmp_path / "consortium.yaml"
    assert written.is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["consortium.yaml"]
    check = run_cli("check", "consortium.yaml", "--format", "json")
    assert check.exit_code in (0, 1)
    [entry] = check.json()["files"]
    assert entry["load_errors"] == []
    assert entry["call"] == CALL


def test_init_never_overwrites(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    assert run_cli("init", target).exit_code == 0
    target.write_text("# my own work\n", "utf-8")
    run = run_cli("init", target)
    assert run.exit_code == 2
    [line] = _error_lines(run.stderr)
    assert "exists" in line
    assert target.read_text("utf-8") == "# my own work\n"


def test_init_refuses_a_dangling_symlink(run_cli: RunCli, tmp_path: Path) -> None:
    link = tmp_path / "consortium.yaml"
    pointee = tmp_path / "elsewhere.yaml"
    try:
        link.symlink_to(pointee)
    except (OSError, NotImplementedError):
        pytest.skip("no symlinks here")
    run = run_cli("init", link)
    assert run.exit_code == 2
    assert len(_error_lines(run.stderr)) == 1
    assert not pointee.exists()
    assert link.is_symlink()


def test_init_written_file_follows_the_schema(
    run_cli: RunCli, tmp_path: Path, format_schema: dict[str, Any]
) -> None:
    target = tmp_path / "start.yaml"
    assert run_cli("init", target).exit_code == 0
    data = parse(target.read_text("utf-8")).data
    assert jsonschema.Draft202012Validator(format_schema).is_valid(data)


# --------------------------------------------------------------------------------------------
# --version, --help


def test_version(run_cli: RunCli) -> None:
    run = run_cli("--version")
    assert run.exit_code == 0
    assert run.stdout == f"cosmecheck {__version__}\n"


def test_app_help_lists_the_commands(run_cli: RunCli) -> None:
    run = run_cli("--help")
    assert run.exit_code == 0
    commands = re.findall(r"^  ([a-z]+)\s", run.stdout.split("Commands:")[1], re.MULTILINE)
    assert set(commands) == {"check", "calls", "rules", "explain", "facts", "schema", "init"}


CHECK_OPTIONS = [
    "--call",
    "--rules",
    "--format",
    "--output",
    "--fail-on",
    "--at",
    "--select",
    "--ignore",
    "--quiet",
    "--no-color",
    "--verbose",
]


def test_check_help_lists_the_options(run_cli: RunCli) -> None:
    run = run_cli("check", "--help")
    assert run.exit_code == 0
    assert "Usage:" in run.stdout
    for option in CHECK_OPTIONS:
        assert option in run.stdout, option


def test_report_files_are_written_when_stdout_is_closed_early(tmp_path: Path) -> None:
    """`cosmecheck check ... | head -1` must not cost the --report files."""
    env = cli_env()
    report = tmp_path / "summary.csv"
    command = [sys.executable, "-m", "cosmecheck", "check", str(EXAMPLES)]
    command += ["--format", "github", "--report", f"csv={report}"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert process.stdout is not None
    process.stdout.close()
    process.wait(timeout=60)
    assert report.read_text("utf-8-sig").startswith("path,acronym,call,status")
