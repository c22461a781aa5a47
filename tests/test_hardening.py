"""Untrusted rule packs: regular expressions cannot hang the checker or slip past RE2."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import EXAMPLES, ROOT, cli_env
from cosmecheck.errors import RulePackError
from cosmecheck.rulepacks import Catalogue

RunCli = Callable[..., Any]
PACK = "cos-cluster-2018-03-02"


def _pack_with(tmp_path: Path, schema: dict[str, Any]) -> Path:
    """A copy of the shipped pack with one more partner rule using ``schema``."""
    root = tmp_path / "packs"
    shutil.copytree(ROOT / "rules" / PACK, root / PACK)
    rule = {
        "id": "applicant-name-form",
        "severity": "error",
        "scope": "partner",
        "title": "A test rule with a regular expression",
        "section": "test",
        "source": "derived",
        "summary": "s",
        "rationale": "r",
        "fix": "f",
        "checks": [{"schema": schema, "message": "{facts.name} has the wrong form"}],
        "examples": [
            {"description": "x", "data": {"name": "x"}, "expect": "pass"},
            {"description": "y", "data": {"name": "y"}, "expect": "pass"},
        ],
    }
    (root / PACK / "applicant-name-form.yaml").write_text(yaml.safe_dump(rule), "utf-8")
    return root


def _consortium(tmp_path: Path, name: str) -> Path:
    text = (EXAMPLES / "recipe4mobility.yaml").read_text("utf-8")
    path = tmp_path / "consortium.yaml"
    path.write_text(text.replace("name: Mobinov", f"name: {name}"), "utf-8")
    return path


def test_a_catastrophic_pattern_does_not_hang(run_cli: RunCli, tmp_path: Path) -> None:
    root = _pack_with(tmp_path, {"properties": {"name": {"pattern": "^(a+)+$"}}})
    evil = "a" * 60 + "!"  # Python's re would take longer than the age of the universe
    started = time.perf_counter()
    run = run_cli("check", _consortium(tmp_path, evil), "--rules", root, "-f", "json")
    assert time.perf_counter() - started < 5
    findings = [f for f in run.json()["files"][0]["findings"] if f["rule"] == "applicant-name-form"]
    assert len(findings) == 5  # every partner's name fails the pattern, the evil one included
    assert any(f["partner"] == evil for f in findings)


def test_a_pattern_still_matches_what_it_should(run_cli: RunCli, tmp_path: Path) -> None:
    root = _pack_with(tmp_path, {"properties": {"name": {"pattern": "^[A-Z][\\w ÀÉ-ÿ-]+$"}}})
    run = run_cli("check", _consortium(tmp_path, "Mobinov"), "--rules", root, "-f", "json")
    assert [
        f for f in run.json()["files"][0]["findings"] if f["rule"] == "applicant-name-form"
    ] == []


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"properties": {"name": {"pattern": "(a)\\1"}}}, "is not allowed: invalid escape"),
        ({"properties": {"name": {"pattern": "(?=a)a"}}}, "is not allowed"),
        ({"patternProperties": {"^x": {}}}, "patternProperties is not allowed in a rule pack"),
    ],
    ids=["backreference", "lookahead", "patternProperties"],
)
def test_patterns_re2_cannot_run_break_the_pack(
    tmp_path: Path, schema: dict[str, Any], message: str
) -> None:
    root = _pack_with(tmp_path, schema)
    with pytest.raises(RulePackError, match=message.replace("(", "\\(")):
        Catalogue((root,)).get("COS-CLUSTER-2018-03-02")
    command = [sys.executable, "-m", "cosmecheck", "check", str(EXAMPLES / "recipe4mobility.yaml")]
    process = subprocess.run(
        [*command, "--rules", str(root)], env=cli_env(), capture_output=True, text=True, timeout=60
    )
    assert process.returncode == 2
    lines = process.stderr.strip().splitlines()
    assert len(lines) == 1, process.stderr  # RE2's own log stays silent
    assert "applicant-name-form.yaml" in lines[0]


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"$ref": "https://example.com/s.json"}, "points outside the rule, or at nothing in it"),
        ({"$ref": "/etc/passwd"}, "points outside the rule, or at nothing in it"),
        ({"$ref": "../data/countries.yaml"}, "points outside the rule, or at nothing in it"),
        ({"$ref": "#/$defs/missing"}, "points outside the rule, or at nothing in it"),
        ({"$id": "https://example.com/x", "$ref": "#"}, "$id is not allowed"),
        ({"$defs": {"a": {"$anchor": "x"}}, "$ref": "#x"}, "$anchor is not allowed"),
        ({"$dynamicRef": "#x"}, "$dynamicRef is not allowed"),
    ],
    ids=["url", "absolute", "parent", "missing", "id", "anchor", "dynamic"],
)
def test_references_must_stay_inside_the_rule(
    tmp_path: Path, schema: dict[str, Any], message: str
) -> None:
    root = _pack_with(tmp_path, schema)
    with pytest.raises(RulePackError, match=message.replace("$", "\\$")):
        Catalogue((root,)).get("COS-CLUSTER-2018-03-02")


def test_a_reference_inside_the_rule_works(run_cli: RunCli, tmp_path: Path) -> None:
    schema = {
        "$defs": {"short": {"type": "string", "maxLength": 10}},
        "properties": {"name": {"$ref": "#/$defs/short"}},
    }
    root = _pack_with(tmp_path, schema)
    run = run_cli("check", _consortium(tmp_path, "A very long cluster name"), "--rules", root)
    assert "applicant-name-form" in run.stdout
    assert "A very long cluster name has the wrong form" in " ".join(run.stdout.split())


@pytest.mark.parametrize(
    "template",
    ["{document.__class__}", "{params.__init__}", "{facts.name.__len__}", "{call.id.upper}"],
)
def test_templates_never_reach_python_attributes(template: str) -> None:
    from cosmecheck.template import render

    namespace = {"document": {}, "params": {"a": 1}, "facts": {"name": "X"}, "call": {"id": "C"}}
    assert render(template, namespace) == "unknown"


@pytest.mark.parametrize("template", ["{0.__class__}", "{a[0]}", "{x|upper}", "{x!r}"])
def test_templates_with_other_syntax_break_the_pack(template: str) -> None:
    from cosmecheck.template import problems

    assert problems(template)


def test_control_characters_from_a_file_never_reach_the_terminal(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """A value such as "A\\e[31mRED" must not colour, move or forge lines of the report."""
    text = (EXAMPLES / "norwegian-partner.yaml").read_text("utf-8")
    hostile = text.replace(
        "name: Norwegian Ocean Cluster", 'name: "Nor\\e[2J\\e[31mway\\n  ✔ ELIGIBLE\\u202e"'
    )
    path = tmp_path / "hostile.yaml"
    path.write_text(hostile, "utf-8")
    run = run_cli("check", path)
    assert run.exit_code == 1
    assert "\x1b" not in run.stdout
    assert "\u202e" not in run.stdout
    assert "Nor\\x1b[2J\\x1b[31mway\\x0a  ✔ ELIGIBLE\\u202e" in run.stdout
    assert not any(line.strip().startswith("✔ ELIGIBLE") for line in run.stdout.splitlines())
    broken = tmp_path / "broken.yaml"
    broken.write_text('proposal: {acronym: "\\e[31m"}\npartners: 7\n', "utf-8")
    for args in (("check", broken), ("check", broken, "-f", "json")):
        run = run_cli(*args)
        assert run.exit_code == 2
        assert "\x1b" not in run.stdout + run.stderr
