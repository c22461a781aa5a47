"""Where reports go: files written atomically, and a word on stderr about unloaded files."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from cosmecheck.errors import UsageError
from cosmecheck.model import Report, place
from cosmecheck.report import clean


def name_unloaded(report: Report, stream: TextIO) -> None:
    """Name the files that could not be loaded on stderr, where the report is not for a person."""
    for result in report.files:
        if result.load_errors:
            first = result.load_errors[0]
            where = place(result.path, first.line, first.column)
            others = len(result.load_errors) - 1
            more = f" (and {others} more)" if others else ""
            print(clean(f"cosmecheck: {where}: {first.message}{more}"), file=stream)


def write_atomically(path: Path, write: Callable[[TextIO], None]) -> None:
    """Write a file so that a failed run never leaves half of it or clobbers the old one."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            write(stream)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
