"""Check consortium files: load, read the format, evaluate the call's pack, select findings.

This is the library's front door: `check_paths` returns the same `Report` the command line
renders, so a portal or a script can embed cosmecheck without a subprocess.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from datetime import datetime, time, timezone
from pathlib import Path
from typing import Any

from cosmecheck import consortium as fmt
from cosmecheck.deadline import deadline
from cosmecheck.discovery import Target, discover
from cosmecheck.engine import evaluate
from cosmecheck.errors import CosmecheckError, LoadError, UsageError
from cosmecheck.loader import Parsed, decode, parse, read_bytes, read_limited
from cosmecheck.model import (
    CheckOptions,
    FileResult,
    LoadProblem,
    Report,
    RuleInfo,
    Severity,
    Tally,
)
from cosmecheck.rulepacks import Catalogue, Pack

NOT_CONSORTIUM = "not a consortium file (no `proposal` or `partners`)"
Progress = Callable[[int], None]


class Checker:
    """Checks files against the packs of one catalogue; packs are loaded once and reused."""

    def __init__(
        self, options: CheckOptions, keep_facts: bool = True, catalogue: Catalogue | None = None
    ) -> None:
        self.options = options
        self.limits = options.limits
        self.keep_facts = keep_facts
        self.catalogue = catalogue or Catalogue(options.rules_dirs)
        if options.call:
            self.catalogue.get(options.call)  # an unknown --call is a usage error, up front
        self._check_selection()

    def _check_selection(self) -> None:
        names = {*self.options.select, *self.options.ignore}
        if not names:
            return
        known = {i.lower() for i in self.catalogue.ids()}
        for pack in self.catalogue.packs():
            known |= set(pack.rules)
        unknown = sorted(n for n in names if n.lower() not in known)
        if unknown:
            raise UsageError(
                f"unknown rule or call {', '.join(map(repr, unknown))} in --select/--ignore "
                "(see `cosmecheck rules`)"
            )

    def load_packs(self) -> None:
        """Load every pack that loads now (a broken one is reported by the file that needs it)."""
        for call in self.catalogue.ids():
            try:
                self.catalogue.get(call)
            except CosmecheckError:
                continue

    def check_file(self, path: Path, display: str | None = None) -> FileResult:
        """Check one file named by the user; problems with the file become its load errors."""
        return self.check_target(Target(os.fspath(path), display or str(path)))

    def check_target(self, target: Target) -> FileResult:
        """Check one target; a file found in a folder that is no consortium file is skipped."""
        if target.error:
            return FileResult(target.display, load_errors=(LoadProblem(target.error),))
        try:
            data = (
                read_limited(sys.stdin.buffer, self.limits, "standard input")
                if target.path is None
                else read_bytes(target.path, self.limits)
            )
            parsed = parse(decode(data), self.limits)
        except LoadError as exc:
            return FileResult(target.display, load_errors=tuple(exc.problems))
        if target.found and not _looks_like_consortium(parsed.data):
            return FileResult(target.display, skipped=NOT_CONSORTIUM)
        return self.check_parsed(parsed, target.display)

    def check_parsed(self, parsed: Parsed, name: str) -> FileResult:
        """Check an already parsed document."""
        try:
            consortium = fmt.read(parsed, self.limits.max_partners)
            pack = self._pack_for(consortium)
        except LoadError as exc:
            call = parsed.data.get("call") if isinstance(parsed.data, dict) else None
            return FileResult(
                name, call=call if isinstance(call, str) else None, load_errors=tuple(exc.problems)
            )
        evaluation = evaluate(consortium, pack, self._now(pack), details=self.options.details)
        findings = tuple(f for f in evaluation.findings if self._wanted(f.rule_id, pack.id))
        return FileResult(
            name,
            call=pack.id,
            acronym=consortium.acronym,
            findings=findings,
            facts=_public_facts(evaluation.document) if self.keep_facts else None,
        )

    def _pack_for(self, consortium: fmt.Consortium) -> Pack:
        call = self.options.call or consortium.call
        if not call:
            raise LoadError.one(
                "the file names no call: add `call:` with one of "
                f"{', '.join(self.catalogue.ids())}, or use --call",
                *(consortium.parsed.position("$") or (None, None)),
            )
        try:
            return self.catalogue.get(call)
        except UsageError as exc:
            raise LoadError.one(
                str(exc), *(consortium.parsed.position("$.call") or (None, None))
            ) from None

    def _now(self, pack: Pack) -> datetime:
        at = self.options.at
        if at is None:
            return datetime.now(timezone.utc)
        zone = deadline(pack).tzinfo
        if isinstance(at, datetime):
            return at if at.tzinfo else at.replace(tzinfo=zone)
        return datetime.combine(at, time(), tzinfo=zone)

    def _wanted(self, rule_id: str, pack_id: str) -> bool:
        """Whether --select and --ignore let a rule of a pack be reported."""

        def named(names: tuple[str, ...]) -> bool:
            return any(n.lower() in (rule_id, pack_id.lower()) for n in names)

        if self.options.select and not named(self.options.select):
            return False
        return not named(self.options.ignore)

    def rule_infos(self, calls: Iterable[str]) -> dict[tuple[str, str], RuleInfo]:
        """Help text of the selected rules of the packs of these calls."""
        packs = [self.catalogue.get(call) for call in sorted(set(calls))]
        return {
            (pack.id, rule.id): RuleInfo(
                id=rule.id,
                pack=pack.id,
                severity=rule.severity,
                title=rule.title,
                summary=" ".join(str(rule.doc["summary"]).split()),
                fix=" ".join(str(rule.doc["fix"]).split()),
                section=str(rule.doc["section"]),
                source=str(rule.doc["source"]),
            )
            for pack in packs
            for rule in pack.rules.values()
            if self._wanted(rule.id, pack.id)
        }


def _public_facts(document: dict[str, Any]) -> dict[str, Any]:
    return {
        **document["facts"],
        "partners": [p["facts"] for p in document["partners"]],
    }


def _looks_like_consortium(data: Any) -> bool:
    return isinstance(data, dict) and ("proposal" in data or "partners" in data)


def check_paths(
    paths: Iterable[str],
    options: CheckOptions | None = None,
    progress: Progress | None = None,
    on_result: Callable[[FileResult], None] | None = None,
) -> Report:
    """Check every file the paths name (files, folders, globs, "-" for standard input).

    Returns the Report the command line renders; ``interrupted`` is set if Ctrl-C stopped it.
    With ``on_result``, the results go there as they come instead (see `check_targets`).
    """
    options = options or CheckOptions()
    return check_targets(discover(list(paths), options.exclude), options, progress, on_result)


def check_targets(
    targets: list[Target],
    options: CheckOptions,
    progress: Progress | None = None,
    on_result: Callable[[FileResult], None] | None = None,
) -> Report:
    """Check discovered targets, in worker processes when there are many.

    With ``on_result``, each result goes there as soon as it is known, in the targets' order,
    and is not kept: the Report holds no files, only their counts (``Report.counted``), so
    that a run's memory does not grow with its number of files.
    """
    from cosmecheck import batch

    # Facts are for `cosmecheck facts` and check_file; a batch keeps only what it reports.
    checker = Checker(options, keep_facts=False)
    kept: list[FileResult] = []
    tally = Tally()
    calls: set[str] = set()

    def take(result: FileResult) -> None:
        tally.add(result)
        if result.call and not result.load_errors:
            calls.add(result.call)
        if on_result is None:
            kept.append(result)
        else:
            on_result(result)

    interrupted = batch.run(checker, targets, options.jobs, take, progress)
    return Report(
        tuple(kept),
        fail_on=options.fail_on,
        rules=checker.rule_infos(calls),
        interrupted=interrupted,
        counted=tally,
    )


def check_file(path: str | Path, options: CheckOptions | None = None) -> FileResult:
    """Check one consortium file."""
    return Checker(options or CheckOptions()).check_file(Path(path))


__all__ = ["Checker", "Severity", "check_file", "check_paths"]
