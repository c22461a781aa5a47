"""The shipped examples, end to end: each one's JSON report against a golden file, and its verdict.

Refresh the golden files after an intended change of the report with:

    COSMECHECK_UPDATE_GOLDEN=1 pytest tests/test_examples.py

then review the diff of tests/golden/ before committing it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, ROOT, Run

RunCli = Callable[..., Run]

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("COSMECHECK_UPDATE_GOLDEN") == "1"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))

# Which rules fail for each example, with their severity: independent of the golden files.
EXPECTED: dict[str, dict[str, str]] = {
    "recipe4mobility": {},
    "three-regions": {"consortium-region": "error"},
    "norwegian-partner": {
        "applicant-country": "error",
        "consortium-countries": "error",
        "consortium-size": "error",
    },
    "late-submission": {"proposal-deadline": "error", "applicant-uk": "warning"},
    "over-budget": {
        "proposal-budget-consistency": "error",
        "proposal-cofinancing": "error",
        "proposal-max-grant": "error",
    },
}


def _normalised(report: dict[str, Any]) -> dict[str, Any]:
    """The report with the tool version replaced, so that a release does not touch the files."""
    return {**report, "cosmecheck": "<version>"}


def _check(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, *paths: str) -> Run:
    """`check PATHS --format json` from the repository root, so that report paths are stable."""
    monkeypatch.chdir(ROOT)
    return run_cli("check", *paths, "--format", "json")


def _relative(example: Path) -> str:
    return example.relative_to(ROOT).as_posix()


def test_there_are_examples_and_each_has_an_expectation() -> None:
    assert sorted(p.stem for p in EXAMPLE_FILES) == sorted(EXPECTED)


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_example_report_matches_golden(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, example: Path
) -> None:
    run = _check(run_cli, monkeypatch, _relative(example))
    assert run.exit_code in (0, 1), run.stdout + run.stderr
    actual = _normalised(run.json())
    golden = GOLDEN / f"{example.stem}.json"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        text = json.dumps(actual, indent=2, sort_keys=True, ensure_ascii=False)
        golden.write_text(text + "\n", encoding="utf-8", newline="\n")
    assert golden.is_file(), f"no {golden.name}: run with COSMECHECK_UPDATE_GOLDEN=1"
    expected = _normalised(json.loads(golden.read_text("utf-8")))
    assert actual == expected


def test_every_golden_file_has_its_example() -> None:
    # After the golden tests, so that a refresh has written them first.
    assert sorted(p.stem for p in GOLDEN.glob("*.json")) == sorted(p.stem for p in EXAMPLE_FILES)


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_example_fails_exactly_its_rules(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, example: Path
) -> None:
    run = _check(run_cli, monkeypatch, _relative(example))
    [entry] = run.json()["files"]
    assert entry["path"] == _relative(example)
    assert entry["load_errors"] == []
    failed = {f["rule"]: f["severity"] for f in entry["findings"]}
    assert len(failed) == len(entry["findings"]), "a rule reported twice"
    expected = EXPECTED[example.stem]
    assert failed == expected
    ineligible = "error" in expected.values()
    assert entry["status"] == ("ineligible" if ineligible else "eligible")
    assert run.exit_code == (1 if ineligible else 0)


def test_the_quick_start_example_is_eligible(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's quick start checks examples/recipe4mobility.yaml and shows it eligible."""
    assert (EXAMPLES / "recipe4mobility.yaml").is_file()
    run = _check(run_cli, monkeypatch, "examples/recipe4mobility.yaml")
    assert run.exit_code == 0
    [entry] = run.json()["files"]
    assert entry["status"] == "eligible"
    assert entry["findings"] == []


def test_examples_show_distinct_failures(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    """At least one eligible example, and three ineligible ones each failing other error rules."""
    run = _check(run_cli, monkeypatch, "examples")
    assert run.exit_code == 1
    report = run.json()
    assert report["summary"]["files"] == len(EXAMPLE_FILES)
    assert report["summary"]["error"] == 0
    assert report["summary"]["eligible"] >= 1
    assert report["summary"]["ineligible"] >= 3
    error_rule_sets = [
        frozenset(f["rule"] for f in entry["findings"] if f["severity"] == "error")
        for entry in report["files"]
        if entry["status"] == "ineligible"
    ]
    assert all(error_rule_sets)
    assert len(set(error_rule_sets)) == len(error_rule_sets), error_rule_sets
