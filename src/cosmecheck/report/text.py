"""The text report for people at a terminal: colour when it is a terminal, plain otherwise."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from cosmecheck.model import FileResult, Finding, Report, RuleInfo, Severity, Status, place
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
    """The report with every text that comes from a file made safe for a terminal."""

    def finding(item: Finding) -> Finding:
        partner = clean(item.partner) if item.partner else None
        return replace(item, message=clean(item.message), partner=partner, path=clean(item.path))

    def result(item: FileResult) -> FileResult:
        return replace(
            item,
            path=clean(item.path),
            acronym=clean(item.acronym) if item.acronym else None,
            call=clean(item.call) if item.call else None,
            findings=tuple(finding(f) for f in item.findings),
            load_errors=tuple(replace(p, message=clean(p.message)) for p in item.load_errors),
        )

    return replace(report, files=tuple(result(f) for f in report.files))


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
    """
    calls = {r.call for r in report.files if r.call}
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    longest = max(len(r.path) for r in report.files)
    table.add_column("file", overflow="fold", min_width=min(longest, 28))
    narrow = console.width < 120  # keep every column visible on an 80-column terminal
    table.add_column("acronym", overflow="ellipsis", no_wrap=True, max_width=12 if narrow else None)
    if len(calls) > 1:
        table.add_column("call", overflow="fold")
    table.add_column("verdict", no_wrap=True)
    table.add_column("errors", justify="right", min_width=6)
    table.add_column("warnings", justify="right", min_width=8)
    for result in sorted(report.files, key=_worst_first):
        label, colour = STATUS_STYLE[result.status]
        cells: list[str | Text] = [result.path, result.acronym or ""]
        if len(calls) > 1:
            cells.append(result.call or "")
        cells += [
            Text(label, style=colour),
            str(result.errors),
            str(result.count(Severity.WARNING)),
        ]
        table.add_row(*cells)
    console.print(table)
    if len(calls) == 1:
        console.print(Text(f"call: {calls.pop()}", style="dim"))


_STATUS_RANK = {Status.ERROR: 0, Status.INELIGIBLE: 1, Status.ELIGIBLE: 2, Status.SKIPPED: 3}


def _worst_first(result: FileResult) -> tuple[int, int, int, str]:
    warnings = result.count(Severity.WARNING)
    return (_STATUS_RANK[result.status], -result.errors, -warnings, result.path)


def summary_line(report: Report) -> Text:
    """``2 files: 1 eligible, 1 ineligible · 3 errors, 1 warning, 0 info``."""
    counts = report.summary()
    files = f"{counts['files']} file{'s' if counts['files'] != 1 else ''}"
    parts = [f"{counts[k]} {k}" for k in ("eligible", "ineligible") if counts[k]]
    if counts["error"]:
        parts.append(f"{counts['error']} not loaded")
    if counts["skipped"]:
        parts.append(f"{counts['skipped']} skipped (not consortium files)")
    findings = [x for f in report.files for x in f.findings]
    totals = ", ".join(
        _plural(sum(1 for x in findings if x.severity is s), SEVERITY_HEADING[s].rstrip("s"))
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
