"""The pre-commit hook and the GitHub Action point at a real entry point and real options."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLES, ROOT, cli_env
from cosmecheck.report import FORMATTERS

HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
ACTION = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

SCRIPTS = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = cli_env()
    command = [sys.executable, "-m", "cosmecheck", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def _check_help() -> str:
    return _run(["check", "--help"], ROOT).stdout


def test_hook_entry_is_the_console_script() -> None:
    [hook] = HOOKS
    assert hook["id"] == "cosmecheck"
    assert hook["language"] == "python"
    program, *options = shlex.split(hook["entry"])
    module, function = SCRIPTS[program].split(":")
    assert (module, function) == ("cosmecheck.__main__", "main")
    import cosmecheck.__main__

    assert callable(getattr(cosmecheck.__main__, function))
    assert options[0] == "check"
    for option in options[1:]:
        if option.startswith("--"):
            assert option in _check_help(), option


def test_hook_checks_staged_files_as_pre_commit_runs_it(tmp_path: Path) -> None:
    """pre-commit runs the entry with the staged YAML files appended."""
    workflow = tmp_path / "ci.yml"
    workflow.write_text("on: push\njobs: {}\n", "utf-8")
    [hook] = HOOKS
    _, *options = shlex.split(hook["entry"])
    eligible = str(EXAMPLES / "recipe4mobility.yaml")
    passing = _run([*options, eligible, str(workflow)], tmp_path)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "SKIPPED" in passing.stdout
    failing = _run([*options, eligible, str(EXAMPLES / "three-regions.yaml")], tmp_path)
    assert failing.returncode == 1
    assert "consortium-region" in failing.stdout


def test_without_the_hook_option_a_named_workflow_is_an_error(tmp_path: Path) -> None:
    workflow = tmp_path / "ci.yml"
    workflow.write_text("on: push\njobs: {}\n", "utf-8")
    assert _run(["check", str(workflow)], tmp_path).returncode == 2


def _action_command() -> str:
    [step] = [s for s in ACTION["runs"]["steps"] if s.get("id") == "check"]
    [line] = [x for x in step["run"].splitlines() if x.strip().startswith("cosmecheck ")]
    return line


def test_action_uses_real_options_and_formats() -> None:
    line = _action_command()
    help_text = _check_help()
    for option in re.findall(r"(--[a-z-]+)", line):
        assert option in help_text, option
    for name in re.findall(r"--format (\w+)|sarif=", line):
        assert not name or name in FORMATTERS
    assert "sarif" in FORMATTERS
    assert ACTION["runs"]["using"] == "composite"
    installs = [s["run"] for s in ACTION["runs"]["steps"] if "pip install" in s.get("run", "")]
    assert installs == ['python -m pip install --quiet "${{ github.action_path }}"']


@pytest.mark.parametrize("name", ["paths", "fail-on", "sarif-file", "upload-sarif", "args"])
def test_action_inputs_are_used(name: str) -> None:
    assert name in ACTION["inputs"]
    text = yaml.safe_dump(ACTION["runs"])
    assert f"inputs.{name}" in text
