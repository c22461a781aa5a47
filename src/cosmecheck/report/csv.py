"""The CSV report for spreadsheets: one row per file, in the report's order.

It starts with a UTF-8 byte order mark: without one, Excel reads a double-clicked CSV file in
the computer's ANSI code page and garbles accented paths and acronyms; LibreOffice, Google
Sheets, pandas and Python's ``utf-8-sig`` codec all read the mark and drop it. Text cells
that a spreadsheet would run as a formula get a leading ``'`` (CSV injection): acronyms come
from clients' files.
"""

from __future__ import annotations

import csv
from typing import TextIO

from cosmecheck.model import FileResult, Report, Severity
from cosmecheck.report import Style, write_all

BOM = "\ufeff"
HEADER = ["path", "acronym", "call", "status", "errors", "warnings", "infos", "failed_rules"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render(report: Report, stream: TextIO, style: Style | None = None) -> None:
    """Write the header and one row per file."""
    write_all(Writer(stream, style), report)


class Writer:
    """The CSV report written row by row, as results come."""

    def __init__(self, stream: TextIO, style: Style | None = None) -> None:
        stream.write(BOM)
        self._rows = csv.writer(stream, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        self._rows.writerow(HEADER)

    def add(self, result: FileResult) -> None:
        """Write one file's row."""
        self._rows.writerow(row(result))

    def close(self, report: Report) -> None:
        """Nothing follows the rows."""


def row(result: FileResult) -> list[str]:
    """One file's row; load errors count as errors."""
    failed = sorted({f.rule_id for f in result.findings if f.severity is Severity.ERROR})
    return [
        cell(result.path),
        cell(result.acronym or ""),
        cell(result.call or ""),
        result.status.value,
        str(result.errors),
        str(result.count(Severity.WARNING)),
        str(result.count(Severity.INFO)),
        ";".join(failed),
    ]


def cell(text: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula."""
    if text.startswith(_FORMULA_START) and text != "-":
        return "'" + text
    return text
