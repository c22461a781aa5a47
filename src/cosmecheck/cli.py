"""The command line: parse options, call the library, render, exit with the right status.

Only this module and ``report/`` print. Heavy modules are imported inside the commands, so that
``--version`` and ``--help`` stay fast.
"""

from __future__ import annotations

import enum
import functools
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from cosmecheck import __version__
from cosmecheck.errors import CosmecheckError, UsageError
from cosmecheck.model import Limits, place
from cosmecheck.report import FORMATTERS, STREAMED, clean
from cosmecheck.report.progress import progress_bar

app = typer.Typer(
    name="cosmecheck",
    help="Check whether a grant consortium is eligible for an EU call, before you submit.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


# The choices of --format are the registry's names (the registry imports nothing heavy).
Format = enum.Enum("Format", {name: name for name in FORMATTERS}, type=str)  # type: ignore[misc]  # built from data


class FailOn(str, enum.Enum):
    error = "error"
    warning = "warning"
    info = "info"


RulesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules", help="A folder of rule packs (or one pack) used before the shipped ones."
    ),
]
CallOption = Annotated[
    str | None,
    typer.Option("--call", help="The call to check against; overrides the file's `call`."),
]


MaxBytes = Annotated[int, typer.Option("--max-bytes", min=1, help="Largest file read, in bytes.")]
MaxNodes = Annotated[
    int, typer.Option("--max-nodes", min=1, help="Most YAML nodes in a file, aliases expanded.")
]
MaxDepth = Annotated[int, typer.Option("--max-depth", min=1, help="Deepest nesting in a file.")]
MaxChars = Annotated[int, typer.Option("--max-chars", min=1, help="Longest value, in characters.")]
MaxPartners = Annotated[int, typer.Option("--max-partners", min=1, help="Most partners in a file.")]
_DEFAULT = Limits()


def _version(value: bool) -> None:
    if value:
        print(f"cosmecheck {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
) -> None:
    """Check whether a grant consortium is eligible for an EU call, before you submit."""


def _color(stream: TextIO, no_color: bool) -> bool:
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or stream.isatty()


def _console(no_color: bool = False) -> Any:
    from cosmecheck.report import Style
    from cosmecheck.report.text import make_console

    return make_console(sys.stdout, Style(color=_color(sys.stdout, no_color)))


def _parse_at(text: str | None) -> Any:
    if text is None:
        return None
    from cosmecheck.times import parse_time

    try:
        return parse_time(text)
    except ValueError as exc:
        raise UsageError(f"--at: {exc}") from None


@app.command()
def check(
    paths: Annotated[list[str], typer.Argument(help="Consortium files, folders or globs.")],
    call: CallOption = None,
    rules: RulesOption = None,
    output_format: Annotated[
        Format | None, typer.Option("--format", "-f", help="Report format [default: text].")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file.")
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option("--fail-on", help="Lowest severity that fails the run [default: error]."),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option("--at", help="Check time where a file gives no submission time (ISO 8601)."),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", help="Report only this rule or call (repeatable)."),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", help="Do not report this rule or call (repeatable)."),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show every file's findings and schema details.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only verdicts and the summary.")
    ] = False,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colour (NO_COLOR is honoured too).")
    ] = False,
    max_bytes: MaxBytes = _DEFAULT.max_bytes,
    max_nodes: MaxNodes = _DEFAULT.max_nodes,
    max_depth: MaxDepth = _DEFAULT.max_depth,
    max_chars: MaxChars = _DEFAULT.max_scalar_chars,
    max_partners: MaxPartners = _DEFAULT.max_partners,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Worker processes for batches [default: cores]."),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", help="Leave out files matching this gitignore pattern."),
    ] = None,
    extra_reports: Annotated[
        list[str] | None,
        typer.Option("--report", metavar="FORMAT=FILE", help="Also write a report to a file."),
    ] = None,
    config_file: Annotated[
        Path | None,
        typer.Option("--config", help="Read settings from this file instead of searching."),
    ] = None,
    skip_non_consortium: Annotated[
        bool,
        typer.Option(
            "--skip-non-consortium",
            help="Skip named YAML files that are not consortium files (for pre-commit).",
        ),
    ] = False,
) -> None:
    """Check consortium files against the rules of their call.

    A PATH is a file, a folder (searched for *.yaml and *.yml), a glob, or - for standard input.
    """
    from cosmecheck.checker import check_targets
    from cosmecheck.discovery import discover
    from cosmecheck.model import CheckOptions, Severity

    config = _config(config_file)
    options = CheckOptions(
        call=call or config.call,
        rules_dirs=tuple(rules or config.rules),
        at=_parse_at(at),
        select=tuple(select or config.select),
        ignore=tuple(ignore or config.ignore),
        fail_on=Severity.parse(fail_on.value if fail_on else config.fail_on or "error"),
        limits=Limits(max_bytes, max_nodes, max_depth, max_chars, max_partners),
        exclude=tuple(exclude or config.exclude),
        jobs=jobs or config.jobs or os.cpu_count() or 1,
        details=verbose,  # the schema details that a verbose text report shows
    )
    format_name = output_format.value if output_format else config.format or "text"
    if format_name not in FORMATTERS:
        raise UsageError(
            f"{config.source}: format {format_name!r} is not one of {', '.join(FORMATTERS)}"
        )
    outputs = [(format_name, output), *map(_extra_report, extra_reports or ())]
    targets = discover(paths, options.exclude)
    if skip_non_consortium:
        targets = [replace(t, found=True) if t.path is not None else t for t in targets]
    if not targets:
        raise UsageError(f"no consortium files found in {' '.join(paths)}")
    bar = _bar_shown(len(targets), quiet)
    # Where every report can be written as the files are checked, it is, so that memory does
    # not grow with their number; not where standard output shares a terminal with the bar.
    if all(name in STREAMED for name, _ in outputs) and not (
        bar and sys.stdout.isatty() and any(path is None for _, path in outputs)
    ):
        report = _check_streamed(
            targets, options, outputs, bar, verbose=verbose, quiet=quiet, no_color=no_color
        )
    else:
        with progress_bar(len(targets), bar) as advance:
            report = check_targets(targets, options, advance)
        _render(report, outputs, verbose=verbose, quiet=quiet, no_color=no_color)
    if report.interrupted:
        print(
            f"cosmecheck: interrupted after {report.tally.files} of {len(targets)} files",
            file=sys.stderr,
        )
    raise typer.Exit(report.exit_code())


def _config(explicit: Path | None) -> Any:
    """The settings file given, or found upward from here (empty when there is none)."""
    from cosmecheck.config import find_config

    return find_config(explicit=explicit)


def _catalogue(rules: list[Path] | None) -> Any:
    """The rule packs of the --rules folders, else of the configured ones, and the shipped."""
    from cosmecheck.rulepacks import Catalogue

    return Catalogue(tuple(rules or _config(None).rules))


def _extra_report(text: str) -> tuple[str, Path]:
    name, _, path = text.partition("=")
    if name not in FORMATTERS or not path:
        known = ", ".join(FORMATTERS)
        raise UsageError(f"--report {text!r}: write FORMAT=FILE with a format among {known}")
    return name, Path(path)


def _bar_shown(total: int, quiet: bool) -> bool:
    """Whether a progress bar is shown: on a terminal's stderr for batches; not in CI,
    pipes or with --quiet."""
    return total > 1 and not quiet and sys.stderr.isatty() and not os.environ.get("CI")


def _check_streamed(
    targets: list[Any],
    options: Any,
    outputs: list[tuple[str, Path | None]],
    bar: bool,
    **style: bool,
) -> Any:
    """Check the targets, writing every report as the files are checked (formats of STREAMED)."""
    from cosmecheck.checker import check_targets
    from cosmecheck.report import Style
    from cosmecheck.report.output import Streams, name_unloaded

    plain = Style(verbose=style["verbose"], quiet=style["quiet"])
    streams = Streams(outputs, plain)  # a file that cannot be written stops the run here
    try:
        with progress_bar(len(targets), bar) as advance:
            report = check_targets(targets, options, advance, streams.add)
    except BaseException:
        streams.discard()
        raise
    streams.close(report)
    if report.interrupted and not streams.to_stdout:
        # The files keep what they held; standard output has the counts of what was checked.
        FORMATTERS["text"](
            report, sys.stdout, replace(plain, color=_color(sys.stdout, style["no_color"]))
        )
    name_unloaded(streams.unloaded, sys.stderr)
    return report


def _write_report(name: str, report: Any, style: Any, stream: TextIO) -> None:
    FORMATTERS[name](report, stream, style)


def _render(report: Any, outputs: list[tuple[str, Path | None]], **style: bool) -> None:
    from cosmecheck.report import Style
    from cosmecheck.report.output import name_unloaded, write_atomically

    plain = Style(verbose=style["verbose"], quiet=style["quiet"])
    if report.interrupted:
        # A partial report must not replace a complete one: files keep what they held.
        outputs = [(name, path) for name, path in outputs if path is None] or [("text", None)]
    # Files first: a reader that closes standard output early must not cost the files. A file
    # that cannot be written does not cost the other reports either: its error comes last.
    failed: list[UsageError] = []
    for name, path in sorted(outputs, key=lambda output: output[1] is None):
        if path is None:
            color = _color(sys.stdout, style["no_color"])
            FORMATTERS[name](report, sys.stdout, replace(plain, color=color))
        else:
            try:
                write_atomically(path, functools.partial(_write_report, name, report, plain))
            except UsageError as exc:
                failed.append(exc)
    if outputs[0][0] != "text" or outputs[0][1] is not None:
        name_unloaded(report.files, sys.stderr)
    if failed:
        raise failed[0]


@app.command()
def calls(rules: RulesOption = None) -> None:
    """List the calls that rule packs are shipped (or given) for."""
    from cosmecheck.report.catalogue import calls_table

    _console().print(calls_table(_catalogue(rules).packs()))


@app.command(name="rules")
def list_rules(
    call: Annotated[str | None, typer.Argument(help="The call (default: every pack).")] = None,
    rules: RulesOption = None,
) -> None:
    """List a call's rules: id, severity, title, section of the call, source."""
    from cosmecheck.report.catalogue import rules_table

    catalogue = _catalogue(rules)
    packs = [catalogue.get(call)] if call else catalogue.packs()
    console = _console()
    for pack in packs:
        console.print(rules_table(pack))


@app.command()
def explain(
    rule: Annotated[str, typer.Argument(help="A rule id, e.g. consortium-region.")],
    call: CallOption = None,
    rules: RulesOption = None,
) -> None:
    """Explain a rule: what it checks, why, its source and how firm it is, how to fix it."""
    from cosmecheck.report.catalogue import explain_not_checked, explain_rule

    catalogue = _catalogue(rules)
    packs = [catalogue.get(call)] if call else catalogue.packs()
    for pack in packs:
        if rule in pack.rules:
            explain_rule(_console(), pack, pack.rules[rule])
            return
        for item in pack.meta.get("not_checked", []):
            if item["id"] == rule:
                explain_not_checked(_console(), pack, item)
                return
    known = sorted({r for p in packs for r in p.rules})
    raise UsageError(f"no rule {rule!r}; the rules are: {', '.join(known)}")


@app.command()
def facts(
    file: Annotated[Path, typer.Argument(help="A consortium file.")],
    call: CallOption = None,
    rules: RulesOption = None,
    at: Annotated[
        str | None, typer.Option("--at", help="Check time where the file gives no submission time.")
    ] = None,
) -> None:
    """Print the facts cosmecheck derives from a file (as JSON), for users and rule authors."""
    import json

    from cosmecheck.checker import Checker
    from cosmecheck.model import CheckOptions

    config = _config(None)
    options = CheckOptions(
        call=call or config.call, rules_dirs=tuple(rules or config.rules), at=_parse_at(at)
    )
    checker = Checker(options)
    result = checker.check_file(file)
    for problem in result.load_errors:
        where = place(str(file), problem.line, problem.column)
        print(f"{where}: {problem.message}", file=sys.stderr)
    if result.load_errors:
        raise typer.Exit(2)
    print(json.dumps(result.facts, indent=2, ensure_ascii=False))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the consortium file, for editors."""
    import json

    from cosmecheck.consortium import schema as format_schema

    print(json.dumps(format_schema(), indent=2, ensure_ascii=False))


@app.command()
def init(
    file: Annotated[Path, typer.Argument(help="Where to write it.")] = Path("consortium.yaml"),
) -> None:
    """Write a commented starting consortium file (never overwrites a file)."""
    from importlib import resources

    text = resources.files("cosmecheck").joinpath("starter.yaml").read_text("utf-8")
    try:
        with open(file, "x", encoding="utf-8") as stream:
            stream.write(text)
    except FileExistsError:
        raise UsageError(
            f"{file} exists already; cosmecheck init never overwrites a file"
        ) from None
    except OSError as exc:
        raise UsageError(f"cannot write {file}: {exc.strerror or exc}") from None
    print(f"wrote {file}: edit it, then run: cosmecheck check {file}")


def main() -> None:
    """Entry point: run the app; errors become one line on stderr and exit status 2."""
    try:
        app()
    except CosmecheckError as exc:
        print(clean(f"cosmecheck: error: {exc}"), file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("cosmecheck: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:
        if "--debug" in sys.argv[1:] or os.environ.get("COSMECHECK_DEBUG"):
            raise
        print(
            f"cosmecheck: internal error: {type(exc).__name__}: {exc} "
            "(run with --debug for details, and please report it)",
            file=sys.stderr,
        )
        sys.exit(2)
