"""The JSON report: one stable, sorted document (the contract of ``--format json``)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from cosmecheck import __version__
from cosmecheck.model import FileResult, Finding, LoadProblem, Report
from cosmecheck.report import Style, write_all


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
    """Write the JSON report, the bytes ``json.dump(document(report), indent=2)`` would write."""
    write_all(Writer(stream, style), report)


class Writer:
    """The JSON report written file by file, as results come, and closed with the summary.

    Nothing is built whole, so that the memory a report of many thousands of files needs does
    not grow with their number.
    """

    def __init__(self, stream: TextIO, style: Style | None = None) -> None:
        self._stream = stream
        self._written = 0
        stream.write(f'{{\n  "cosmecheck": {_dumps(__version__)},\n  "files": [')

    def add(self, result: FileResult) -> None:
        """Write one file's entry."""
        entry = _dumps(file_result(result)).replace("\n", "\n    ")  # no raw newline in JSON text
        self._stream.write(f"{',' if self._written else ''}\n    {entry}")
        self._written += 1

    def close(self, report: Report) -> None:
        """End the list of files and write the summary of the whole run."""
        self._stream.write("\n  ]" if self._written else "]")
        summary = _dumps(report.summary()).replace("\n", "\n  ")
        self._stream.write(f',\n  "summary": {summary}\n}}\n')


def _dumps(value: Any) -> str:
    """``json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)``, several times faster.

    json's encoder is written in C only for output without indentation; with it, every value
    goes through Python generators. A report of ten thousand files spent most of its writing
    time there.
    """
    parts: list[str] = []
    _encode(value, "\n", parts)
    return "".join(parts)


def _encode(value: Any, newline: str, parts: list[str]) -> None:
    # Exact types first, as json does: a str or int subclass (an enum) is written as json
    # writes it, by json itself.
    kind = type(value)
    if kind is str:
        parts.append(_string(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif kind is int:
        parts.append(int.__repr__(value))
    elif kind is dict and all(type(key) is str for key in value):
        if not value:
            parts.append("{}")
            return
        inner = newline + "  "
        separator = "{"
        for key in sorted(value):
            parts += (separator, inner, _string(key), ": ")
            _encode(value[key], inner, parts)
            separator = ","
        parts += (newline, "}")
    elif kind is list or kind is tuple:
        if not value:
            parts.append("[]")
            return
        inner = newline + "  "
        separator = "["
        for item in value:
            parts += (separator, inner)
            _encode(item, inner, parts)
            separator = ","
        parts += (newline, "]")
    else:  # floats, subclasses, anything rarer: json decides, indented as here
        text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
        parts.append(text.replace("\n", newline))


_string = json.encoder.encode_basestring
