"""Hostile and malformed consortium files: each one a clean load error, never a traceback.

Every file in tests/cases/bad/ (except _expected.yaml) is one case; _expected.yaml says which
message (a distinctive substring) the command line must report for it, and where.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import Run

TESTS = Path(__file__).resolve().parent
BAD = TESTS / "cases" / "bad"
EXPECTED_FILE = BAD / "_expected.yaml"


def _cases() -> list[Path]:
    return sorted(p for p in BAD.glob("*.yaml") if not p.name.startswith("_"))


def _expected() -> dict[str, dict[str, Any]]:
    loaded: dict[str, dict[str, Any]] = yaml.safe_load(EXPECTED_FILE.read_text("utf-8"))
    return loaded


CASE_FILES = _cases()
EXPECTED = _expected()
GOOD = TESTS.parent / "examples" / "recipe4mobility.yaml"


def _no_traceback(run: Run) -> None:
    assert "Traceback" not in run.stdout
    assert "Traceback" not in run.stderr


def test_every_case_has_an_expectation_and_every_expectation_a_case() -> None:
    assert len(CASE_FILES) >= 14
    assert sorted(p.name for p in CASE_FILES) == sorted(EXPECTED)
    for name, expected in EXPECTED.items():
        assert set(expected) == {"message", "line", "column"}, name
        assert isinstance(expected["message"], str), name
        assert expected["message"], name


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.name for p in CASE_FILES])
def test_bad_file_is_a_load_error(run_cli: Callable[..., Run], path: Path) -> None:
    expected = EXPECTED[path.name]
    run = run_cli("check", path, "--format", "json")
    _no_traceback(run)
    assert run.exit_code == 2, run.stdout + run.stderr
    report = run.json()
    (result,) = report["files"]
    assert result["path"] == str(path)
    assert result["status"] == "error"
    assert result["findings"] == []
    assert result["load_errors"], result
    first = result["load_errors"][0]
    assert expected["message"] in first["message"], first
    assert (first["line"], first["column"]) == (expected["line"], expected["column"]), first
    assert report["summary"] == {
        "files": 1,
        "eligible": 0,
        "ineligible": 0,
        "error": 1,
        "skipped": 0,
    }


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.name for p in CASE_FILES])
def test_bad_file_in_the_text_report(run_cli: Callable[..., Run], path: Path) -> None:
    run = run_cli("check", path, "--no-color")
    _no_traceback(run)
    assert run.exit_code == 2
    assert "NOT LOADED" in run.stdout
    assert "1 not loaded" in run.stdout


def test_the_committed_files_are_what_their_names_say() -> None:
    """Guard against an editor 'fixing' a case: the hostile bytes must still be there."""
    assert (BAD / "empty.yaml").read_bytes() == b""
    latin = (BAD / "not-utf8.yaml").read_bytes()
    assert b"P\xf4le" in latin
    with pytest.raises(UnicodeDecodeError):
        latin.decode("utf-8")
    assert (BAD / "deep-flow-nesting.yaml").read_text("utf-8").count("[") == 10_000
    assert "!!python/object/apply:os.system" in (BAD / "python-tag.yaml").read_text("utf-8")


def test_bad_files_do_not_stop_a_batch(run_cli: Callable[..., Run]) -> None:
    paths = [*CASE_FILES, GOOD]
    run = run_cli("check", *paths, "--format", "json")
    _no_traceback(run)
    assert run.exit_code == 2
    report = run.json()
    by_path = {f["path"]: f for f in report["files"]}
    assert set(by_path) == {str(p) for p in paths}
    good = by_path[str(GOOD)]
    assert good["status"] == "eligible"
    assert good["acronym"] == "RECiPE4Mobility"
    assert good["load_errors"] == []
    for path in CASE_FILES:
        result = by_path[str(path)]
        assert result["status"] == "error", path.name
        first = result["load_errors"][0]
        assert EXPECTED[path.name]["message"] in first["message"], path.name
    assert report["summary"] == {
        "files": len(paths),
        "eligible": 1,
        "ineligible": 0,
        "error": len(CASE_FILES),
        "skipped": 0,
    }


def test_call_option_supplies_the_missing_call(run_cli: Callable[..., Run]) -> None:
    run = run_cli(
        "check", BAD / "no-call.yaml", "--call", "COS-CLUSTER-2018-03-02", "--format", "json"
    )
    _no_traceback(run)
    (result,) = run.json()["files"]
    assert result["load_errors"] == []
    assert result["call"] == "COS-CLUSTER-2018-03-02"
    assert result["status"] in {"eligible", "ineligible"}
