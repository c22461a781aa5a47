"""Check consortium files: load, read the format, evaluate the call's pack, select findings.

This is the library's front door: `check_paths` returns the same `Report` the command line
renders, so a portal or a script can embed cosmecheck without a subprocess.
"""

from __future__ import annotations

import glob
from collections.abc import Iterable
from datetime import datetime, time, timezone
from pathlib import Path
from typing import Any

from cosmecheck import consortium as fmt
from cosmecheck.deadline import deadline
from cosmecheck.engine import evaluate
from cosmecheck.errors import LoadError, UsageError
from cosmecheck.loader import Parsed, decode, parse, read_bytes
from cosmecheck.model import CheckOptions, FileResult, Finding, Report, RuleInfo, Severity
from cosmecheck.rulepacks import Catalogue, Pack

YAML_SUFFIXES = (".yaml", ".yml")


class Checker:
    """Checks files against the packs of one catalogue; packs are loaded once and reused."""

    def __init__(self, options: CheckOptions) -> None:
        self.options = options
        self.limits = options.limits
        self.catalogue = Catalogue(options.rules_dirs)
        self.used: dict[str, Pack] = {}
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

    def check_file(self, path: Path, display: str | None = None) -> FileResult:
        """Check one file; problems with the file itself become its load errors."""
        name = display or str(path)
        try:
            parsed = parse(decode(read_bytes(path, self.limits)), self.limits)
        except LoadError as exc:
            return FileResult(name, load_errors=tuple(exc.problems))
        return self.check_parsed(parsed, name)

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
        self.used[pack.id] = pack
        evaluation = evaluate(consortium, pack, self._now(pack))
        findings = tuple(f for f in evaluation.findings if self._selected(f, pack.id))
        return FileResult(
            name,
            call=pack.id,
            acronym=consortium.acronym,
            findings=findings,
            facts=_public_facts(evaluation.document),
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

    def _selected(self, finding: Finding, pack_id: str) -> bool:
        def named(names: tuple[str, ...]) -> bool:
            return any(n.lower() in (finding.rule_id, pack_id.lower()) for n in names)

        if self.options.select and not named(self.options.select):
            return False
        return not named(self.options.ignore)

    def rule_infos(self) -> dict[str, RuleInfo]:
        """Help text of the rules of every pack used so far."""
        return {
            rule.id: RuleInfo(
                id=rule.id,
                pack=pack.id,
                severity=rule.severity,
                title=rule.title,
                summary=" ".join(str(rule.doc["summary"]).split()),
                fix=" ".join(str(rule.doc["fix"]).split()),
                section=str(rule.doc["section"]),
                source=str(rule.doc["source"]),
            )
            for pack in self.used.values()
            for rule in pack.rules.values()
        }


def _public_facts(document: dict[str, Any]) -> dict[str, Any]:
    return {
        **document["facts"],
        "partners": [p["facts"] for p in document["partners"]],
    }


def expand(paths: Iterable[str]) -> list[Path]:
    """Files named, found in folders (recursively, skipping hidden folders), or matched by globs."""
    found: list[Path] = []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.suffix in YAML_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts[:-1])
                and not p.is_dir()
            )
        elif not path.exists() and glob.has_magic(text):
            found += sorted(Path(p) for p in glob.glob(text, recursive=True))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def check_paths(paths: Iterable[str], options: CheckOptions | None = None) -> Report:
    """Check every file the paths name; the Report the command line renders."""
    options = options or CheckOptions()
    checker = Checker(options)
    results = tuple(checker.check_file(path) for path in expand(paths))
    return Report(results, fail_on=options.fail_on, rules=checker.rule_infos())


def check_file(path: str | Path, options: CheckOptions | None = None) -> FileResult:
    """Check one consortium file."""
    return Checker(options or CheckOptions()).check_file(Path(path))


__all__ = ["Checker", "Severity", "check_file", "check_paths", "expand"]
