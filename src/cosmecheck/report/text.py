"""The text report for people at a terminal: colour when it is a terminal, plain otherwise."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TextIO, TypeVar

from rich.cells import cell_len, chop_cells, set_cell_size
from rich.console import Console
from rich.segment import Segment, Segments
from rich.style import Style as RichStyle
from rich.text import Text

from cosmecheck.model import (
    FileResult,
    Finding,
    LoadProblem,
    Report,
    RuleInfo,
    Severity,
    Status,
    place,
)
from cosmecheck.report import Style, clean

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
SEVERITY_MARK = {Severity.ERROR: "✘", Severity.WARNING: "!", Severity.INFO: "i"}
SEVERITY_HEADING = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "info"}
STATUS_STYLE = {
    Status.ELIGIBLE: ("✔ ELIGIBLE", "bold green"),
    Status.INELIGIBLE: ("✘ INELIGIBLE", "bold red"),
    Status.ERROR: ("✘ NOT LOADED", "bold magenta"),
    Status.SKIPPED: ("· SKIPPED", "dim"),
}


def make_console(stream: TextIO, style: Style) -> Console:
    """A console that writes colour only when asked to."""
    return Console(
        file=stream,
        force_terminal=style.color or None,
        color_system="auto" if style.color else None,
        no_color=not style.color,
        highlight=False,
        emoji=False,
        width=style.width,
    )


def render(report: Report, stream: TextIO, style: Style) -> None:
    """Write the report: one file in full, or a table of many files."""
    report = cleaned(report)
    console = make_console(stream, style)
    if len(report.files) == 1:
        render_file(console, report.files[0], report, style)
    elif report.files:
        render_table(console, report)
        if style.verbose:
            for result in report.files:
                console.print()
                render_file(console, result, report, style)
    console.print()
    console.print(summary_line(report))


def cleaned(report: Report) -> Report:
    """The report with every text that comes from a file made safe for a terminal.

    What has nothing to escape is kept as it is, not copied: a batch's report may hold
    thousands of results.
    """

    def finding(item: Finding) -> Finding:
        partner = clean(item.partner) if item.partner else item.partner
        return _with(item, message=clean(item.message), partner=partner, path=clean(item.path))

    def problem(item: LoadProblem) -> LoadProblem:
        return _with(item, message=clean(item.message))

    def result(item: FileResult) -> FileResult:
        return _with(
            item,
            path=clean(item.path),
            acronym=clean(item.acronym) if item.acronym else item.acronym,
            call=clean(item.call) if item.call else item.call,
            findings=_each(finding, item.findings),
            load_errors=_each(problem, item.load_errors),
        )

    return _with(report, files=_each(result, report.files))


_Item = TypeVar("_Item")


def _with(item: _Item, **values: Any) -> _Item:
    """The item with these field values; the item itself where none differs."""
    changed = {name: v for name, v in values.items() if v is not getattr(item, name)}
    return replace(item, **changed) if changed else item  # type: ignore[type-var]


def _each(change: Callable[[_Item], _Item], items: tuple[_Item, ...]) -> tuple[_Item, ...]:
    """Each item changed; the tuple itself where no item changes."""
    new = tuple(change(item) for item in items)
    return items if all(a is b for a, b in zip(new, items, strict=True)) else new


def render_file(console: Console, result: FileResult, report: Report, style: Style) -> None:
    """Header, findings grouped by severity, and load errors of one file."""
    label, colour = STATUS_STYLE[result.status]
    console.print(Text(result.path, style="bold"))
    if result.call:
        what = f"{result.acronym} · " if result.acronym else ""
        console.print(Text(f"  {what}{result.call}", style="dim"))
    verdict = Text("  ").append(label, style=colour)
    if result.load_errors:
        verdict.append(f"  {_plural(len(result.load_errors), 'problem')} in the file")
    else:
        verdict.append("  " + _counts(result))
    console.print(verdict)
    for problem in result.load_errors:
        where = place(result.path, problem.line, problem.column)
        line = Text("  ").append(where, style="cyan").append("  ")
        console.print(line.append_text(wrapped(console, problem.message, 4, first=len(line))))
    if style.quiet:
        return
    shown: set[str] = set()
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        group = [f for f in result.findings if f.severity is severity]
        if not group:
            continue
        console.print()
        console.print(Text(f"  {SEVERITY_HEADING[severity]}", style=SEVERITY_STYLE[severity]))
        for finding in group:
            _finding(
                console,
                result.path,
                finding,
                report.rule(result.call, finding.rule_id),
                shown,
                style,
            )


def _finding(
    console: Console,
    path: str,
    finding: Finding,
    rule: RuleInfo | None,
    shown: set[str],
    style: Style,
) -> None:
    head = Text("  ")
    head.append(f"{SEVERITY_MARK[finding.severity]} ", style=SEVERITY_STYLE[finding.severity])
    head.append(finding.rule_id, style="bold")
    head.append("  ").append(place(path, finding.line, finding.column), style="cyan")
    if finding.partner:
        head.append("  ").append(finding.partner, style="magenta")
    console.print(head)
    console.print(wrapped(console, finding.message, 4))
    if style.verbose and finding.detail:
        console.print(wrapped(console, f"schema: {finding.detail}", 4, style="dim"))
    # The fix is for a failure; undetermined and info findings say in their message what to do.
    if rule and rule.id not in shown and finding.severity is rule.severity:
        shown.add(rule.id)
        console.print(wrapped(console, f"fix: {rule.fix}", 4, style="dim"))


def wrapped(
    console: Console, message: str, indent: int, style: str = "", first: int | None = None
) -> Text:
    """A paragraph with a hanging indent, wrapped without trailing spaces.

    ``first`` is the column where the first line starts when something precedes it.
    """
    start = indent if first is None else first
    width = max(console.width, indent + 30)
    lines = textwrap.wrap(
        message,
        width - indent,
        initial_indent=" " * (start - indent),
        break_long_words=False,
        break_on_hyphens=False,
    ) or [""]
    text = "\n".join(" " * indent + line for line in lines)
    return Text(text[start:] if first is not None else text, style=style)


def render_table(console: Console, report: Report) -> None:
    """One row per file, the worst first: path, acronym, call, verdict, errors, warnings.

    The call column is left out when every file is for the same call (the summary says it).
    The table is laid out here rather than by rich's Table, which measures and renders each
    cell on its own: some 0.4 ms a row, 4 s for a folder of 10,000 files.
    """
    calls = {r.call for r in report.files if r.call}
    rows = sorted(report.files, key=_worst_first)
    narrow = console.width < 120  # keep every column visible on an 80-column terminal
    columns = [
        _Column("file", [r.path for r in rows], fold=True),
        _Column("acronym", [r.acronym or "" for r in rows], most=12 if narrow else None),
        *([_Column("call", [r.call or "" for r in rows], fold=True)] if len(calls) > 1 else []),
        _Column("verdict", [STATUS_STYLE[r.status][0] for r in rows]),
        _Column("errors", [str(r.errors) for r in rows], right=True),
        _Column("warnings", [str(r.count(Severity.WARNING)) for r in rows], right=True),
    ]
    _fit(columns, console.width)
    bold = dict.fromkeys(range(len(columns)), _STYLES["bold"])
    segments = _segments([c.padded(c.header)[0] for c in columns], " ┃ ", bold)
    rule = "╇".join("━" * (c.width + 2) for c in columns)[1:-1]
    segments.append(Segment(rule + "\n"))
    verdict = next(i for i, c in enumerate(columns) if c.header == "verdict")
    for index, result in enumerate(rows):
        colour = {verdict: _STYLES[STATUS_STYLE[result.status][1]]}
        cells = [column.padded(column.cells[index]) for column in columns]
        for number in range(max(map(len, cells))):
            line = [
                lines[number] if number < len(lines) else " " * column.width
                for column, lines in zip(columns, cells, strict=True)
            ]
            segments += _segments(line, " │ ", colour)
        if len(segments) >= 3000:  # written as it goes: a big batch's table is never held whole
            console.print(Segments(segments), crop=False)
            segments = []
    console.print(Segments(segments), crop=False)
    if len(calls) == 1:
        console.print(Text(f"call: {calls.pop()}", style="dim"))


@dataclass(slots=True)
class _Column:
    """A column of the batch table: its cells, and how they give way to a narrow terminal."""

    header: str
    cells: list[str]
    fold: bool = False  # folded onto more lines where the terminal is too narrow
    right: bool = False
    most: int | None = None  # cells cut short with an ellipsis beyond this width
    width: int = 0
    least: int = 0

    def __post_init__(self) -> None:
        longest = max(map(cell_len, self.cells), default=0)
        self.width = max(cell_len(self.header), longest)
        if self.most is not None:
            self.width = max(cell_len(self.header), min(self.width, self.most))
        self.least = max(cell_len(self.header), min(longest, 28)) if self.fold else self.width

    def padded(self, text: str) -> list[str]:
        """The cell's lines, each padded to the column's width."""
        if cell_len(text) <= self.width:
            lines = [text]
        elif self.fold:
            lines = chop_cells(text, self.width)
        else:
            lines = [set_cell_size(text, self.width - 1) + "…"]
        return [self._pad(line) for line in lines]

    def _pad(self, text: str) -> str:
        pad = " " * (self.width - cell_len(text))
        return pad + text if self.right else text + pad


def _fit(columns: list[_Column], width: int) -> None:
    """Narrow the folded columns, first to last, while the table is wider than the terminal.

    A table that cannot fit even then runs past the edge: it is never cut short.
    """
    excess = sum(c.width for c in columns) + 3 * (len(columns) - 1) - width
    for column in columns:
        if excess <= 0:
            return
        cut = min(excess, column.width - column.least)
        column.width -= cut
        excess -= cut


def _segments(cells: list[str], separator: str, styles: dict[int, RichStyle]) -> list[Segment]:
    """One line of the table without trailing spaces: cells joined, some of them styled."""
    text = separator.join(cells).rstrip()
    segments = []
    start = offset = 0
    for index, cell in enumerate(cells):
        offset += len(separator) if index else 0
        style = styles.get(index)
        if style is not None and offset < len(text):
            end = min(offset + len(cell), len(text))
            if start < offset:
                segments.append(Segment(text[start:offset]))
            segments.append(Segment(text[offset:end], style))
            start = end
        offset += len(cell)
    segments.append(Segment(text[start:] + "\n"))
    return segments


_STYLES = {name: RichStyle.parse(name) for name in ("bold", *(c for _, c in STATUS_STYLE.values()))}


_STATUS_RANK = {Status.ERROR: 0, Status.INELIGIBLE: 1, Status.ELIGIBLE: 2, Status.SKIPPED: 3}


def _worst_first(result: FileResult) -> tuple[int, int, int, str]:
    warnings = result.count(Severity.WARNING)
    return (_STATUS_RANK[result.status], -result.errors, -warnings, result.path)


def summary_line(report: Report) -> Text:
    """``2 files: 1 eligible, 1 ineligible · 3 errors, 1 warning, 0 info``."""
    tally = report.tally  # of every file, where a report written as it went holds none
    counts = {status.value: n for status, n in tally.statuses.items()}
    files = f"{tally.files} file{'s' if tally.files != 1 else ''}"
    parts = [f"{counts[k]} {k}" for k in ("eligible", "ineligible") if counts[k]]
    if counts["error"]:
        parts.append(f"{counts['error']} not loaded")
    if counts["skipped"]:
        parts.append(f"{counts['skipped']} skipped (not consortium files)")
    totals = ", ".join(
        _plural(tally.severities[s], SEVERITY_HEADING[s].rstrip("s"))
        for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    )
    return Text(f"{files}: {', '.join(parts) or 'none checked'} · {totals}", style="bold")


def _counts(result: FileResult) -> str:
    return ", ".join(
        _plural(result.count(s), SEVERITY_HEADING[s].rstrip("s"))
        for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 or word == "info" else f"{count} {word}s"
