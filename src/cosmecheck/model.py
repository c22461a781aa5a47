"""The data model: severities, findings, per-file results and the report (no I/O)."""

from __future__ import annotations

import enum
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

_T = TypeVar("_T")


def pickled_by_fields(cls: type[_T]) -> type[_T]:
    """Pickle instances as the class called with their fields.

    A batch's workers send one result per file to the main process. The default pickling of a
    frozen, slotted dataclass restores each field through Python code and took the main
    process several times longer to load than calling the class does.
    """
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]

    def __reduce__(self: _T) -> tuple[type[_T], tuple[Any, ...]]:
        return cls, tuple([getattr(self, name) for name in names])

    setattr(cls, "__reduce__", __reduce__)  # noqa: B010 (a method, not a field)
    return cls


def _kept_once(instance: object, names: tuple[str, ...]) -> None:
    """Intern the texts of a frozen instance that recur from file to file.

    A batch whose report needs every result first (text, JUnit, SARIF, or a library caller's
    Report) keeps them all in its main process, and results made in workers arrive as copies:
    one copy of each message, path or call is kept.
    """
    for name in names:
        value = getattr(instance, name)
        if type(value) is str:
            object.__setattr__(instance, name, sys.intern(value))


class Severity(enum.IntEnum):
    """How much a finding matters; ordered so that ``max()`` gives the worst."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        """The severity named by ``text`` (``error``, ``warning`` or ``info``)."""
        return cls[text.strip().upper()]

    def __str__(self) -> str:
        return self.name.lower()


class Status(str, enum.Enum):
    """The verdict on one file."""

    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    ERROR = "error"
    SKIPPED = "skipped"

    def __str__(self) -> str:
        return self.value


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a rule found in a consortium file."""

    rule_id: str
    severity: Severity
    message: str
    path: str
    line: int | None = None
    column: int | None = None
    partner: str | None = None
    detail: str = ""  # jsonschema's message, where CheckOptions.details asks for it

    def __post_init__(self) -> None:
        _kept_once(self, ("rule_id", "message", "path", "detail"))

    def sort_key(self) -> tuple[int, int, int, str, str]:
        """Worst first, then in file order."""
        return (-self.severity, self.line or 0, self.column or 0, self.rule_id, self.message)


def place(path: str, line: int | None, column: int | None) -> str:
    """``path:line:column``, or as much of it as is known."""
    if not line:
        return path
    return f"{path}:{line}:{column}" if column else f"{path}:{line}"


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class LoadProblem:
    """One reason a file could not be loaded, with its place in the file."""

    message: str
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What a report says about a rule besides its findings (help text, source)."""

    id: str
    pack: str
    severity: Severity
    title: str
    summary: str
    fix: str
    section: str
    source: str


@dataclass(frozen=True, slots=True)
class Limits:
    """Hard limits on what one file may make cosmecheck do, checked before expensive work."""

    max_bytes: int = 2 * 1024 * 1024
    max_nodes: int = 50_000
    max_depth: int = 40
    max_scalar_chars: int = 10_000
    max_partners: int = 1_000


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """Everything that shapes a check, independent of how it is invoked.

    ``at`` is the check time used where a file gives no submission time; a date or a time
    without an offset is read in the call's time zone. With ``details``, each finding carries
    jsonschema's message for its failure (``Finding.detail``), which costs importing jsonschema.
    """

    call: str | None = None
    rules_dirs: tuple[Path, ...] = ()
    at: datetime | date | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: Severity = Severity.ERROR
    limits: Limits = field(default_factory=Limits)
    exclude: tuple[str, ...] = ()
    jobs: int = 1
    details: bool = False


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class FileResult:
    """The outcome of checking one file."""

    path: str
    call: str | None = None
    acronym: str | None = None
    findings: tuple[Finding, ...] = ()
    load_errors: tuple[LoadProblem, ...] = ()
    facts: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    skipped: str | None = None

    def __post_init__(self) -> None:
        _kept_once(self, ("path", "call"))

    @property
    def status(self) -> Status:
        """``error`` if not loaded, ``skipped`` if not a consortium file found in a folder,
        ``ineligible`` with an error finding, else ``eligible``."""
        if self.load_errors:
            return Status.ERROR
        if self.skipped:
            return Status.SKIPPED
        if any(f.severity is Severity.ERROR for f in self.findings):
            return Status.INELIGIBLE
        return Status.ELIGIBLE

    def count(self, severity: Severity) -> int:
        """How many findings have exactly this severity."""
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def errors(self) -> int:
        """Error findings, or the load errors of a file that could not be loaded."""
        return len(self.load_errors) or self.count(Severity.ERROR)


@dataclass(slots=True)
class Tally:
    """A run's files counted by status, and their findings by severity, as the files come."""

    statuses: dict[Status, int] = field(default_factory=lambda: dict.fromkeys(Status, 0))
    severities: dict[Severity, int] = field(default_factory=lambda: dict.fromkeys(Severity, 0))

    @classmethod
    def of(cls, files: Iterable[FileResult]) -> Tally:
        """The counts of these files."""
        tally = cls()
        for result in files:
            tally.add(result)
        return tally

    def add(self, result: FileResult) -> None:
        """Count one more file."""
        self.statuses[result.status] += 1
        for item in result.findings:
            self.severities[item.severity] += 1

    @property
    def files(self) -> int:
        """How many files were counted."""
        return sum(self.statuses.values())

    def worst(self) -> Severity | None:
        """The severity of the worst finding, if there is any."""
        return max((s for s, n in self.severities.items() if n), default=None)


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of one run over one or more files.

    ``counted`` holds the counts of a run's files as they were checked (``check_targets``); a
    report written as they came (with ``on_result``) keeps none of them, and ``files`` is empty.
    Without it, the counts are those of ``files``.
    """

    files: tuple[FileResult, ...]
    fail_on: Severity = Severity.ERROR
    # The rules reported on, by (call, rule id): two calls may share rule ids.
    rules: dict[tuple[str, str], RuleInfo] = field(default_factory=dict, compare=False)
    interrupted: bool = False
    counted: Tally | None = field(default=None, compare=False, repr=False)

    @property
    def tally(self) -> Tally:
        """The counts of every file of the run, kept or not."""
        return Tally.of(self.files) if self.counted is None else self.counted

    def rule(self, call: str | None, rule_id: str) -> RuleInfo | None:
        """The help text of a rule of a call, if the report has it."""
        return self.rules.get((call or "", rule_id))

    def exit_code(self, fail_on: Severity | None = None) -> int:
        """0 clean, 1 a finding at or above ``fail_on``, 2 a file not loaded, 130 interrupted."""
        threshold = self.fail_on if fail_on is None else fail_on
        if self.interrupted:
            return 130
        tally = self.tally
        if tally.statuses[Status.ERROR]:
            return 2
        worst = tally.worst()
        return 1 if worst is not None and worst >= threshold else 0

    def summary(self) -> dict[str, int]:
        """Counts of files by status."""
        tally = self.tally
        return {"files": tally.files, **{s.value: n for s, n in tally.statuses.items()}}
