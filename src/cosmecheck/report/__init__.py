"""Renderers of a Report, picked by name: ``FORMATTERS[name](report, stream, style)``.

The formats of ``STREAMED`` can also be written as a run goes, a file's result at a time:
``writer(name, stream, style)``, then ``add`` each result and ``close`` with the Report.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TextIO

from cosmecheck.model import FileResult, Report

# Characters a terminal acts on: C0 and C1 controls (ESC starts colour and cursor sequences,
# a newline could forge a line of the report) and the bidirectional overrides that reorder
# what a reader sees. Text from a file is shown with them escaped.
_UNSAFE = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F)]
_UNSAFE += [*range(0x2066, 0x206A)]
_ESCAPES = {c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}" for c in _UNSAFE}
_FIND_UNSAFE = re.compile("[" + "".join(re.escape(chr(c)) for c in _UNSAFE) + "]").search


def clean(text: str) -> str:
    """Text from a file, safe to show on a terminal: control characters written as escapes."""
    # Looking first is five times faster than translating, and most texts have none.
    return text.translate(_ESCAPES) if _FIND_UNSAFE(text) else text


@dataclass(frozen=True, slots=True)
class Style:
    """How a human-readable report looks: colour, verbosity, width."""

    color: bool = False
    verbose: bool = False
    quiet: bool = False
    width: int | None = None


Formatter = Callable[[Report, TextIO, Style], None]


def _lazy(name: str) -> Formatter:
    """The formatter of module ``name``, imported on first use (rich and XML load only then)."""

    def render(report: Report, stream: TextIO, style: Style) -> None:
        importlib.import_module(f"cosmecheck.report.{name}").render(report, stream, style)

    return render


FORMATTERS: dict[str, Formatter] = {
    name: _lazy(name) for name in ("text", "json", "sarif", "junit", "github", "csv")
}


# The formats that can write a file's result before the next is known. The others need them
# all first: the text report sorts its table, JUnit counts cases before writing them, and a
# SARIF result refers to its rule by its place in the list of every checked call's rules.
STREAMED = ("json", "csv", "github")


class Writer(Protocol):
    """A report written as results come."""

    def add(self, result: FileResult) -> None:
        """Write one file's result."""

    def close(self, report: Report) -> None:
        """Write what follows the files; ``report`` has the counts of the whole run."""


def writer(name: str, stream: TextIO, style: Style) -> Writer:
    """The writer of a format of ``STREAMED``, its module imported on first use."""
    made: Writer = importlib.import_module(f"cosmecheck.report.{name}").Writer(stream, style)
    return made


def write_all(writer: Writer, report: Report) -> None:
    """Write a whole report through a writer."""
    for result in report.files:
        writer.add(result)
    writer.close(report)
