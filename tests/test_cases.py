"""Realistic consortium files: tests/cases/valid/ pass, tests/cases/invalid/ fail as expected.

Each invalid file is listed in ``tests/cases/invalid/_expected.yaml`` with the sorted ids of
the rules it fails at error severity; adding a case is adding a file and a line there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import CASES
from cosmecheck.checker import Checker
from cosmecheck.model import CheckOptions, Severity, Status
from cosmecheck.rulepacks import Catalogue

VALID = sorted((CASES / "valid").glob("*.yaml"))
INVALID = sorted(p for p in (CASES / "invalid").glob("*.yaml") if not p.name.startswith("_"))
EXPECTED: dict[str, list[str]] = yaml.safe_load(
    (CASES / "invalid" / "_expected.yaml").read_text("utf-8")
)


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(CheckOptions())


def error_ids(checker: Checker, path: Path) -> list[str]:
    result = checker.check_file(path)
    assert not result.load_errors, result.load_errors
    return sorted(f.rule_id for f in result.findings if f.severity is Severity.ERROR)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_case(checker: Checker, path: Path) -> None:
    result = checker.check_file(path)
    assert not result.load_errors, result.load_errors
    assert [f for f in result.findings if f.severity is Severity.ERROR] == []
    assert result.status is Status.ELIGIBLE


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_case(checker: Checker, path: Path) -> None:
    expected = EXPECTED[path.name]
    assert expected == sorted(expected), "keep _expected.yaml lists sorted"
    assert error_ids(checker, path) == expected
    assert checker.check_file(path).status is Status.INELIGIBLE


def test_expected_lists_exactly_the_invalid_files() -> None:
    assert set(EXPECTED) == {p.name for p in INVALID}


def test_there_are_enough_cases() -> None:
    assert len(VALID) >= 4
    assert len(INVALID) >= 10


def test_every_error_rule_has_an_invalid_case() -> None:
    pack = Catalogue().get("COS-CLUSTER-2018-03-02")
    error_rules = {r.id for r in pack.rules.values() if r.severity is Severity.ERROR}
    covered = {rule for rules in EXPECTED.values() for rule in rules}
    assert covered <= error_rules
    assert error_rules - covered == set()
    alone = {rules[0] for rules in EXPECTED.values() if len(rules) == 1}
    # Every error rule except consortium-size (which cannot fail alone: fewer entities than
    # required means fewer countries or a duplicate) has a case failing only that rule.
    assert error_rules - alone == {"consortium-size"}
