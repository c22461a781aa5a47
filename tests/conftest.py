"""Shared fixtures: paths of the shipped examples and fixtures, and a CLI runner."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cosmecheck.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CASES = Path(__file__).resolve().parent / "cases"
MALFORMED = "call: COS-CLUSTER-2018-03-02\nproposal: {acronym: X\npartners: []\n"


def cli_env(**extra: str) -> dict[str, str]:
    """The environment of a real `python -m cosmecheck` run: this checkout first, no colour."""
    dropped = ("FORCE_COLOR", "COSMECHECK_DEBUG", "CI", "COLUMNS")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "200"
    env.update(extra)
    return env


@pytest.fixture
def malformed(tmp_path: Path) -> Path:
    """A consortium file with a YAML syntax error on line 3."""
    path = tmp_path / "malformed.yaml"
    path.write_text(MALFORMED, "utf-8")
    return path


@dataclass
class Run:
    """What a CLI run printed and returned."""

    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Run the command line in-process, as `main()` does (errors -> one line, exit 2)."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("FORCE_COLOR", raising=False)

    def run(*args: str | Path, input: str | None = None) -> Run:
        from cosmecheck.errors import CosmecheckError

        runner = CliRunner()
        result = runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=True)
        exc = result.exception
        if isinstance(exc, CosmecheckError):
            return Run(2, result.stdout, f"cosmecheck: error: {exc}\n")
        if exc is not None and not isinstance(exc, SystemExit):
            raise exc
        return Run(result.exit_code, result.stdout, result.stderr)

    return run
