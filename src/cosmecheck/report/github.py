"""GitHub Actions workflow commands: one annotation per finding, then a summary line.

``::error file=PATH,line=N,col=N,title=RULE::MESSAGE``, with ``warning`` and ``notice`` for the
lesser severities, escaped as the Actions runner unescapes them.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TextIO

from cosmecheck.model import FileResult, Report, Severity
from cosmecheck.report import Style, write_all

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
LOAD_ERROR = "load-error"


def render(report: Report, stream: TextIO, style: Style | None = None) -> None:
    """Write the workflow commands and a plain summary line."""
    write_all(Writer(stream, style), report)


class Writer:
    """The workflow commands written file by file, as results come, then the summary line."""

    def __init__(self, stream: TextIO, style: Style | None = None) -> None:
        self._stream = stream

    def add(self, result: FileResult) -> None:
        """Write the commands of one file."""
        for line in file_commands(result):
            self._stream.write(line + "\n")

    def close(self, report: Report) -> None:
        """Write the summary line of the whole run."""
        from cosmecheck.report.text import summary_line

        self._stream.write(f"cosmecheck: {summary_line(report).plain}\n")


def file_commands(result: FileResult) -> list[str]:
    """The commands for one file's load errors and findings (none for a clean file)."""
    lines = [
        command("error", result.path, p.line, p.column, LOAD_ERROR, p.message)
        for p in result.load_errors
    ]
    lines += [
        command(COMMANDS[f.severity], result.path, f.line, f.column, f.rule_id, f.message)
        for f in result.findings
    ]
    return lines


def command(
    name: str, path: str, line: int | None, column: int | None, title: str, message: str
) -> str:
    """One workflow command; line and col only where known."""
    properties = [("file", PurePath(path).as_posix())]
    if line is not None and line >= 1:
        properties.append(("line", str(line)))
        if column is not None and column >= 1:
            properties.append(("col", str(column)))
    properties.append(("title", title))
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{name} {joined}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """Escape a command's message: ``%``, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command's property value: as a message, and ``:`` and ``,`` too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
