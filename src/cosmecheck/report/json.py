"""The JSON report: one stable, sorted document (the contract of ``--format json``)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from cosmecheck import __version__
from cosmecheck.model import FileResult, Finding, LoadProblem, Report
from cosmecheck.report import Style


def finding(item: Finding) -> dict[str, Any]:
    """A finding as the JSON report writes it."""
    return {
        "rule": item.rule_id,
        "severity": str(item.severity),
        "message": item.message,
        "path": item.path,
        "line": item.line,
        "column": item.column,
        "partner": item.partner,
    }


def load_error(problem: LoadProblem) -> dict[str, Any]:
    """A load error as the JSON report writes it."""
    return {"message": problem.message, "line": problem.line, "column": problem.column}


def file_result(result: FileResult) -> dict[str, Any]:
    """One file's entry in the JSON report."""
    return {
        "path": result.path,
        "call": result.call,
        "acronym": result.acronym,
        "status": result.status.value,
        "findings": [finding(f) for f in result.findings],
        "load_errors": [load_error(p) for p in result.load_errors],
    }


def document(report: Report) -> dict[str, Any]:
    """The whole JSON report as plain data."""
    return {
        "cosmecheck": __version__,
        "files": [file_result(f) for f in report.files],
        "summary": report.summary(),
    }


def render(report: Report, stream: TextIO, style: Style | None = None) -> None:
    """Write the JSON report."""
    json.dump(document(report), stream, indent=2, sort_keys=True, ensure_ascii=False)
    stream.write("\n")
