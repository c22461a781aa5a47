"""Where reports go: files written atomically, reports written as a run goes, and a word on
stderr about unloaded files."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TextIO

from cosmecheck.errors import UsageError
from cosmecheck.model import FileResult, Report, place
from cosmecheck.report import Style, Writer, clean, writer


def name_unloaded(results: Iterable[FileResult], stream: TextIO) -> None:
    """Name the files that could not be loaded on stderr, where the report is not for a person."""
    for result in results:
        if result.load_errors:
            first = result.load_errors[0]
            where = place(result.path, first.line, first.column)
            others = len(result.load_errors) - 1
            more = f" (and {others} more)" if others else ""
            print(clean(f"cosmecheck: {where}: {first.message}{more}"), file=stream)


class AtomicFile:
    """A report file written whole or not at all.

    The text goes to a temporary file beside it, which takes the file's place on ``commit``
    (with the old file's permissions) and is removed on ``discard``: a failed or interrupted
    run never leaves half a report, nor clobbers the old one.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._mode = stat.S_IMODE(path.stat().st_mode)
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            self._mode = 0o666 & ~umask
        try:
            handle, temporary = tempfile.mkstemp(
                dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
            )
        except OSError as exc:
            raise self.error(exc) from None
        self._temporary = Path(temporary)
        self.stream: TextIO = os.fdopen(handle, "w", encoding="utf-8", newline="\n")

    def commit(self) -> None:
        """Put the written file in place of the old one."""
        try:
            self.stream.close()
            os.chmod(self._temporary, self._mode)
            os.replace(self._temporary, self.path)
        except OSError as exc:
            self.discard()
            raise self.error(exc) from None

    def discard(self) -> None:
        """Drop what was written; the old file stays as it was."""
        with contextlib.suppress(OSError):
            self.stream.close()
        self._temporary.unlink(missing_ok=True)

    def error(self, exc: OSError) -> UsageError:
        """The error that ends a run that cannot write this file."""
        return UsageError(f"cannot write {self.path}: {exc.strerror or exc}")


def write_atomically(path: Path, write: Callable[[TextIO], None]) -> None:
    """Write a file so that a failed run never leaves half of it or clobbers the old one."""
    output = AtomicFile(path)
    try:
        write(output.stream)
    except OSError as exc:
        output.discard()
        raise output.error(exc) from None
    except BaseException:
        output.discard()
        raise
    output.commit()


class Streams:
    """The reports of a run written as its files are checked, in formats of ``STREAMED``.

    Each result is written to every report and then let go, so that a run's memory does not
    grow with its number of files. Files are written atomically: they take their place when the
    run is complete, and keep what they held when it is interrupted. A report that cannot be
    written (a full disk, a reader gone from standard output) is left aside, so that the run
    and the other reports go on, and its error is raised when the others are done.
    """

    def __init__(self, outputs: Sequence[tuple[str, Path | None]], style: Style) -> None:
        self._files: list[tuple[AtomicFile, Writer]] = []
        self._stdout: list[Writer] = []
        self._failed: dict[Writer, OSError] = {}
        self.unloaded: list[FileResult] = []  # few: they are named on stderr at the end
        try:
            for name, path in outputs:
                if path is None:
                    self._stdout.append(writer(name, sys.stdout, style))
                else:
                    output = AtomicFile(path)
                    self._files.append((output, writer(name, output.stream, style)))
        except BaseException:
            self.discard()
            raise
        self._writers = [sink for _, sink in self._files] + self._stdout

    def add(self, result: FileResult) -> None:
        """Write one file's result to every report."""
        for sink in self._writers:
            if sink not in self._failed:
                try:
                    sink.add(result)
                except OSError as exc:
                    self._failed[sink] = exc
        if result.load_errors:
            self.unloaded.append(result)

    def close(self, report: Report) -> None:
        """End every report; files are put in place only if the run was not interrupted.

        Raises the first error of a report file, else that of standard output.
        """
        errors: list[Exception] = []
        try:
            for output, sink in self._files:
                if report.interrupted:
                    output.discard()
                    continue
                self._finish(sink, report)
                if sink in self._failed:
                    output.discard()
                    errors.append(output.error(self._failed[sink]))
                    continue
                try:
                    output.commit()
                except UsageError as exc:
                    errors.append(exc)
        finally:
            self.discard()  # what is in place stays; a temporary file left by a fault goes
        for sink in self._stdout:
            self._finish(sink, report)
            if sink in self._failed:
                errors.append(self._failed[sink])
        if errors:
            raise errors[0]

    def discard(self) -> None:
        """Drop every report file not yet in place."""
        for output, _ in self._files:
            output.discard()

    @property
    def to_stdout(self) -> bool:
        """Whether a report goes to standard output."""
        return bool(self._stdout)

    def _finish(self, sink: Writer, report: Report) -> None:
        if sink not in self._failed:
            try:
                sink.close(report)
            except OSError as exc:
                self._failed[sink] = exc
