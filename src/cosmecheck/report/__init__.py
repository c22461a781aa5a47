"""Renderers of a Report, picked by name: ``FORMATTERS[name](report, stream, style)``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from cosmecheck.model import Report


@dataclass(frozen=True, slots=True)
class Style:
    """How a human-readable report looks: colour, verbosity, width."""

    color: bool = False
    verbose: bool = False
    quiet: bool = False
    width: int | None = None


def _text(report: Report, stream: TextIO, style: Style) -> None:
    from cosmecheck.report.text import render

    render(report, stream, style)


def _json(report: Report, stream: TextIO, style: Style) -> None:
    from cosmecheck.report.json import render

    render(report, stream)


def _sarif(report: Report, stream: TextIO, style: Style) -> None:
    from cosmecheck.report.sarif import render

    render(report, stream)


def _junit(report: Report, stream: TextIO, style: Style) -> None:
    from cosmecheck.report.junit import render

    render(report, stream)


def _github(report: Report, stream: TextIO, style: Style) -> None:
    from cosmecheck.report.github import render

    render(report, stream)


def _csv(report: Report, stream: TextIO, style: Style) -> None:
    from cosmecheck.report.csv import render

    render(report, stream)


Formatter = Callable[[Report, TextIO, Style], None]

FORMATTERS: dict[str, Formatter] = {
    "text": _text,
    "json": _json,
    "sarif": _sarif,
    "junit": _junit,
    "github": _github,
    "csv": _csv,
}
