"""The two validation speeds agree: jsonschema-rs's yes or no, and jsonschema's detail.

jsonschema-rs gives the verdicts; jsonschema gives the detailed errors, only where they are
used. These tests run both paths over every example, fixture and rule example, and over
generated instances, and compare everything a report shows.
"""

from __future__ import annotations

import io
import platform
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CASES, EXAMPLES, cli_env
from cosmecheck import validation
from cosmecheck.checker import check_targets
from cosmecheck.discovery import discover
from cosmecheck.model import CheckOptions, Report
from cosmecheck.report import FORMATTERS, Style
from cosmecheck.rulepacks import Catalogue, Check, Pack
from cosmecheck.validation import PLAIN_ENV, Validator

CALL = "COS-CLUSTER-2018-03-02"
FILES = sorted([*EXAMPLES.glob("*.yaml"), *CASES.rglob("*.yaml")])


@pytest.fixture
def plain(monkeypatch: pytest.MonkeyPatch) -> None:
    """Schemas compiled in the test use jsonschema alone."""
    monkeypatch.setenv(PLAIN_ENV, "1")


def _report(options: CheckOptions) -> Report:
    targets = discover([str(p) for p in FILES], ())
    return check_targets(targets, options)


def _rendered(report: Report) -> dict[str, str]:
    out = {}
    for name, render in FORMATTERS.items():
        stream = io.StringIO()
        render(report, stream, Style(verbose=True))
        out[name] = stream.getvalue()
    return out


def _checks(pack: Pack) -> Iterator[tuple[str, Check]]:
    for rule in pack.rules.values():
        for check in (*rule.checks, *([rule.undetermined] if rule.undetermined else [])):
            yield rule.id, check


@pytest.mark.skipif(
    platform.python_implementation() != "CPython", reason="jsonschema-rs ships for CPython"
)
def test_the_fast_path_is_installed_and_used() -> None:
    assert validation.fast_available()
    pack = Catalogue().get(CALL)
    assert all(check.validator._fast is not None for _, check in _checks(pack))


def test_the_environment_turns_the_fast_path_off(plain: None) -> None:
    assert not validation.fast_available()
    assert Validator({"type": "integer"})._fast is None


def test_every_example_and_fixture_reports_the_same_either_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    options = CheckOptions(at=date(2019, 4, 1), details=True)
    fast = _report(options)
    monkeypatch.setenv(PLAIN_ENV, "1")
    slow = _report(options)
    assert len(fast.files) == len(FILES) > 20
    assert fast.files == slow.files  # findings with their details, load errors, verdicts
    assert [f.status for f in fast.files].count(fast.files[0].status) < len(FILES)
    assert _rendered(fast) == _rendered(slow)
    assert any(finding.detail for result in fast.files for finding in result.findings)


def test_details_change_nothing_but_the_details() -> None:
    detailed = _report(CheckOptions(at=date(2019, 4, 1), details=True))
    plain = _report(CheckOptions(at=date(2019, 4, 1)))
    findings = [f for result in plain.files for f in result.findings]
    assert len(findings) > 20
    assert not any(f.detail for f in findings)
    assert list(plain.files) == [
        replace(r, findings=tuple(replace(f, detail="") for f in r.findings))
        for r in detailed.files
    ]


def test_every_shipped_check_names_its_place() -> None:
    # So that no finding of the shipped packs needs jsonschema's error to say where it is.
    assert [(rule_id, c.message) for rule_id, c in _checks(PACK) if c.at is None] == []


@pytest.mark.skipif(
    platform.python_implementation() != "CPython", reason="jsonschema-rs ships for CPython"
)
def test_a_run_with_findings_in_place_does_not_import_jsonschema() -> None:
    code = (
        "import sys\n"
        "from cosmecheck import CheckOptions, check_paths\n"
        f"report = check_paths([{str(EXAMPLES / 'norwegian-partner.yaml')!r}], CheckOptions())\n"
        "assert report.files[0].findings, report\n"
        "assert not any(f.detail for f in report.files[0].findings)\n"
        "assert 'jsonschema' not in sys.modules, 'jsonschema was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], env=cli_env(), check=True)


def test_verbose_text_shows_the_schema_details(run_cli: Any) -> None:
    path = str(EXAMPLES / "norwegian-partner.yaml")
    plain = run_cli("check", path)
    verbose = run_cli("check", "--verbose", path)
    assert plain.exit_code == verbose.exit_code == 1
    assert "schema: " not in plain.stdout
    assert "    schema: True was expected\n" in verbose.stdout


def test_every_rule_example_is_judged_the_same_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    fast_pack = Catalogue().get(CALL)
    monkeypatch.setenv(PLAIN_ENV, "1")
    plain_pack = Catalogue().get(CALL)
    judged = 0
    for rule_id, check in _checks(fast_pack):
        rule = fast_pack.rules[rule_id]
        plain_check = next(c for i, c in _checks(plain_pack) if i == rule_id and c == check)
        for example in rule.doc["examples"]:
            instance = example["data"]
            assert check.validator.is_valid(instance) == plain_check.validator.is_valid(instance)
            assert _messages(check, instance) == _messages(plain_check, instance)
            judged += 1
    assert judged > 50


def _messages(check: Check, instance: Any) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in check.validator.errors(instance)]


# Instances built from the names the pack's schemas use, so that they reach their keywords.
def _names(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("properties", "$defs") and isinstance(value, dict):
                yield from value
            elif key == "required" and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            yield from _names(value)
    elif isinstance(node, list):
        for value in node:
            yield from _names(value)


PACK = Catalogue().get(CALL)
NAMES = sorted({n for _, c in _checks(PACK) for n in _names(c.schema)} | {"facts"})
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.sampled_from([0, 1, 2, 3, 20, 24, 360000, 390000, 0.0, 1.0, 0.5, -1, 10**12, 2**64]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["UK", "IT", "registered", "requested", "none", "coordinator", "", " "]),
    st.text(max_size=8),
)
instances = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(NAMES), inner, max_size=6)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances)
def test_generated_instances_are_judged_the_same_either_way(instance: Any) -> None:
    for _, check in _checks(PACK):
        plain_answer = next(iter(check.validator.detailed().iter_errors(instance)), None) is None
        assert check.validator._fast.is_valid(instance) == plain_answer


@pytest.mark.parametrize("value", [date(2019, 4, 4), float("nan"), float("inf"), {1: "a"}, 10**30])
def test_values_the_fast_path_cannot_take_are_judged_by_jsonschema(value: Any) -> None:
    from jsonschema import Draft202012Validator

    schema = {"type": ["object", "number"], "maximum": 10**12}
    assert Validator(schema).is_valid(value) is Draft202012Validator(schema).is_valid(value)


@pytest.mark.parametrize("value", [float("nan"), float("-inf")])
def test_a_fast_no_on_a_non_finite_number_is_left_to_jsonschema(value: float) -> None:
    # jsonschema-rs takes NaN and the infinities for no number at all: it fails them here.
    validator = Validator({"properties": {"a": {"items": {"type": "number"}}}})
    instance = {"a": [1, value]}
    assert validator.fast_verdict(instance) is None
    assert validator.is_valid(instance)
    assert validator.fast_verdict({"a": [1, "x"]}) is False


def test_a_schema_the_fast_path_refuses_is_still_checked() -> None:
    # A pattern RE2 takes and the Rust regex crate does not would leave _fast empty; the
    # checks still work through jsonschema.
    validator = Validator({"minimum": 3})
    validator._fast = None
    assert not validator.is_valid(2)
    assert validator.errors(2)[0].message == "2 is less than the minimum of 3"
