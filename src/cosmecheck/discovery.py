"""Which files a run checks: files named, folders searched, globs, and standard input.

Folders are searched recursively for ``*.yaml`` and ``*.yml`` in a stable (sorted) order,
skipping hidden folders and not following links to folders (so a link loop cannot trap the
search). ``--exclude`` patterns and ``.cosmecheckignore`` files use gitignore syntax: the
patterns of an ignore file apply below its folder, ``--exclude`` patterns below the working
folder. Files named on the command line are always checked.
"""

from __future__ import annotations

import glob
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec

STDIN = "-"
IGNORE_FILE = ".cosmecheckignore"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Target:
    """One thing to check: a file (or standard input when ``path`` is None).

    The path is kept as text, often the very string shown: a batch holds one per file.
    """

    path: str | None
    display: str
    found: bool = False  # found in a folder or by a glob, rather than named
    error: str | None = None  # why it could not even be listed


_Spec = tuple[Path, "pathspec.GitIgnoreSpec"]


def _spec(lines: Iterable[str]) -> pathspec.GitIgnoreSpec:
    import pathspec  # only where there are patterns: a named file needs none

    return pathspec.GitIgnoreSpec.from_lines(list(lines))


def _ignore_file(folder: Path) -> list[_Spec]:
    path = folder / IGNORE_FILE
    try:
        return [(folder, _spec(path.read_text("utf-8").splitlines()))] if path.is_file() else []
    except (OSError, UnicodeDecodeError):
        return []


def _excluded(path: str | Path, specs: Sequence[_Spec], folder: bool = False) -> bool:
    if not specs:
        return False
    absolute = os.path.abspath(path)
    for base, spec in specs:
        relative = os.path.relpath(absolute, os.path.abspath(base))
        if relative.startswith(".."):
            continue
        posix = Path(relative).as_posix() + ("/" if folder else "")
        if spec.match_file(posix):
            return True
    return False


def discover(inputs: Sequence[str], exclude: Sequence[str] = ()) -> list[Target]:
    """The targets of a run, in the order given, each folder's files sorted, no duplicates."""
    cwd = Path.cwd()
    specs: list[_Spec] = _ignore_file(cwd)
    if exclude:
        specs.append((cwd, _spec(exclude)))
    targets: list[Target] = []
    for text in inputs:
        targets += _targets(text, specs)
    if len(inputs) == 1:  # one file, folder or glob names each file once
        return targets
    seen: set[str] = set()
    unique = []
    for target in targets:
        key = target.display if target.path is None else os.path.abspath(target.path)
        if key not in seen:
            seen.add(key)
            unique.append(target)
    return unique


def _targets(text: str, specs: list[_Spec]) -> list[Target]:
    if text == STDIN:
        return [Target(None, "<stdin>")]
    path = Path(text)
    if path.is_dir():
        return list(_walk(path, specs + _between(path)))
    if not os.path.lexists(path) and glob.has_magic(text):
        return [
            Target(m, m, found=True)
            for m in _glob(text)
            if not _excluded(m, specs + _between(Path(m).parent))
        ]
    return [Target(text, text)]


def _between(folder: Path) -> list[_Spec]:
    """The ignore files from below the working folder down to ``folder`` itself."""
    cwd = Path.cwd().absolute()
    target = folder.absolute()
    if target == cwd or cwd not in target.parents:
        return [] if target == cwd else _ignore_file(folder)
    chain = [target, *[p for p in target.parents if cwd in p.parents]]
    return [spec for step in reversed(chain) for spec in _ignore_file(step)]


def _glob(pattern: str) -> list[str]:
    """Paths matching a glob; ``**`` is any depth, without following links to folders."""
    if "**" not in pattern:
        return sorted(glob.glob(pattern))
    parts = Path(pattern).parts
    fixed = next(i for i, part in enumerate(parts) if glob.has_magic(part))
    root = Path(*parts[:fixed]) if fixed else Path()
    matcher = re.compile(_translate(parts[fixed:]))
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in dirs + files:
            relative = Path(folder, name).relative_to(root).as_posix()
            if matcher.fullmatch(relative):
                found.append(str(Path(folder, name)))
    return sorted(found)


def _translate(parts: Sequence[str]) -> str:
    """A regular expression for glob parts over ``/``-separated relative paths."""
    pieces = []
    for number, part in enumerate(parts):
        last = number == len(parts) - 1
        if part == "**":
            pieces.append(".*" if last else "(?:[^/]+/)*")
            continue
        segment = "".join(
            "[^/]*" if ch == "*" else "[^/]" if ch == "?" else re.escape(ch) for ch in part
        )
        pieces.append(segment if last else segment + "/")
    return "".join(pieces)


def _walk(root: Path, specs: list[_Spec]) -> Iterable[Target]:
    scoped: dict[str, list[_Spec]] = {str(root): specs}
    failures: list[OSError] = []
    for folder, dirs, files in os.walk(root, onerror=failures.append):
        yield from _unlisted(failures)
        base = Path(folder)
        here = scoped.get(folder, specs)
        kept = []
        for name in sorted(dirs):
            child = base / name
            if name.startswith(".") or _excluded(child, here, folder=True):
                continue
            kept.append(name)
            scoped[str(child)] = here + _ignore_file(child)
        dirs[:] = kept
        prefix = str(base)  # as str(base / name) writes it, without a Path for every file
        for name in sorted(files):
            if _suffix(name) not in YAML_SUFFIXES:
                continue
            # Interned: a batch's results, made in workers, then share this text (model.py).
            file = sys.intern(name if prefix == "." else os.path.join(prefix, name))
            if not _excluded(file, here):
                yield Target(file, file, found=True)
    yield from _unlisted(failures)


def _suffix(name: str) -> str:
    """``Path(name).suffix``, without making a Path of every file of a large folder."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _unlisted(failures: list[OSError]) -> Iterable[Target]:
    """Folders the search could not list, as targets that report it."""
    for failure in failures:
        where = str(failure.filename)
        yield Target(where, where, found=True, error=f"cannot read this folder: {failure.strerror}")
    failures.clear()
