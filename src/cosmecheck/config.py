"""Configuration files: find one, read it, check it, and hand back a frozen ``Config``.

The settings live in ``cosmecheck.toml`` (the whole file) or in the ``[tool.cosmecheck]`` table
of ``pyproject.toml``::

    call = "COS-CLUSTER-2018-03-02"      # the call where a file names none
    rules = ["packs"]                    # rule-pack folders, relative to this file
    select = ["consortium-countries"]    # report only these rules or calls
    ignore = ["budget-share"]            # do not report these
    fail-on = "warning"                  # error | warning | info
    format = "json"                      # a report format
    exclude = ["drafts/", "*.old.yaml"]  # gitignore-style patterns of files not to check
    jobs = 4                             # files checked at once

An option given on the command line wins over the file, and the file over the built-in default;
in a ``Config``, ``None`` or ``()`` means "not set". A file that cannot be read or has an
unknown key or a bad value is a ``ConfigError`` (one line, exit status 2).
"""

from __future__ import annotations

import functools
import json
import re
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from cosmecheck.errors import CosmecheckError, closest

CONFIG_FILE = "cosmecheck.toml"
PYPROJECT = "pyproject.toml"
_TABLE = "tool.cosmecheck"
# tomllib and tomli end their messages with the place; Python 3.14 and tomli 2.1 also give
# lineno/colno, older ones only the text, so read the text.
_PLACE = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)$")
_WORDS = {"string": "text", "integer": "a whole number", "array": "a list", "object": "a table"}


class ConfigError(CosmecheckError):
    """A configuration file cannot be read, parsed or understood."""


@dataclass(frozen=True, slots=True)
class Config:
    """The settings of one configuration file; ``None`` or ``()`` means "not set"."""

    source: Path | None = None
    call: str | None = None
    rules: tuple[Path, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    format: str | None = None
    exclude: tuple[str, ...] = ()
    jobs: int | None = None


def find_config(start: Path | None = None, explicit: Path | None = None) -> Config:
    """The configuration in ``explicit``, else the one found from ``start`` (the cwd) upward."""
    if explicit is not None:
        return load(explicit)
    found = discover(Path.cwd() if start is None else start)
    return Config() if found is None else load(found)


def discover(start: Path) -> Path | None:
    """The nearest configuration file at or above ``start``, not looking past a repository root.

    In each folder ``cosmecheck.toml`` wins over ``pyproject.toml``, and a ``pyproject.toml``
    counts only if it has a ``[tool.cosmecheck]`` table. The walk stops after the first folder
    that holds a ``.git`` entry (a folder, or a file in worktrees and submodules), as black
    finds its project root: a checkout is then never configured by whatever lies above it (a
    pyproject.toml in a home folder, say), and a run gives the same result on every machine
    and in CI. Outside a repository the walk goes up to the filesystem root. A pyproject.toml
    that is not valid TOML is an error, not passed over: it may hold the settings meant.
    """
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        found = _config_in(candidate)
        if found is not None or (candidate / ".git").exists():
            return found
    return None


def _config_in(folder: Path) -> Path | None:
    own = folder / CONFIG_FILE
    if own.is_file():
        return own
    pyproject = folder / PYPROJECT
    if pyproject.is_file() and _tool_table(_read(pyproject)) is not None:
        return pyproject
    return None


def _tool_table(data: dict[str, Any]) -> Any:
    tool = data.get("tool")
    return tool.get("cosmecheck") if isinstance(tool, dict) else None


def load(path: Path) -> Config:
    """Read and check one file: ``[tool.cosmecheck]`` of a pyproject.toml, else the whole file."""
    data = _read(path)
    in_pyproject = path.name == PYPROJECT
    table = _tool_table(data) if in_pyproject else data
    if table is None:
        raise ConfigError(f"{path}: no [{_TABLE}] table")
    _validate(table, path, _TABLE if in_pyproject else "")
    return _build(table, path)


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{line}: not UTF-8 text; a TOML file is UTF-8") from None
    if sys.version_info >= (3, 11):
        import tomllib  # here: most runs find no configuration file
    else:  # Python 3.10 has no tomllib; tomli is the parser it was taken from.
        import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_toml_problem(path, text, exc)) from None
    return data


def _toml_problem(path: Path, text: str, exc: ValueError) -> str:
    message = str(exc)
    match = _PLACE.search(message)
    if match is None:
        return f"{path}: invalid TOML: {message}"
    if match.group(1):
        line, column = int(match.group(1)), int(match.group(2))
    else:
        line, column = text.count("\n") + 1, len(text.rsplit("\n", 1)[-1]) + 1
    message = message[: match.start()]
    return f"{path}:{line}:{column}: invalid TOML: {message[:1].lower()}{message[1:]}"


@functools.cache
def schema() -> dict[str, Any]:
    """The JSON Schema of the settings (the keys of ``[tool.cosmecheck]``)."""
    text = resources.files("cosmecheck").joinpath("schemas/config.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _validate(table: Any, path: Path, prefix: str) -> None:
    from jsonschema import Draft202012Validator

    errors = Draft202012Validator(schema()).iter_errors(table)
    problems: list[str] = []
    for error in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path]):
        problems += [p for p in _explain(error, prefix) if p not in problems]
    if problems:
        raise ConfigError(f"{path}: {'; '.join(problems)}")


def _explain(error: Any, prefix: str) -> list[str]:
    if error.validator == "additionalProperties":
        known = list(error.schema["properties"])
        return [_unknown(key, known, prefix) for key in error.instance if key not in known]
    return [f"{_name(list(error.absolute_path), prefix)} {_plain(error)}"]


def _unknown(key: str, known: list[str], prefix: str) -> str:
    close = closest(key, known)
    hint = f"did you mean `{close}`?" if close is not None else f"the keys are: {', '.join(known)}"
    return f"unknown key {_name([key], prefix)} ({hint})"


def _name(path: list[Any], prefix: str) -> str:
    """A key as the user would write it in full, e.g. `tool.cosmecheck.rules` item 2."""
    if not path:
        return f"`{prefix}`" if prefix else "the file"
    key = f"`{prefix}.{path[0]}`" if prefix else f"`{path[0]}`"
    return f"{key} item {path[1] + 1}" if len(path) > 1 else key


def _plain(error: Any) -> str:
    keyword, wanted, value = error.validator, error.validator_value, error.instance
    if keyword == "type":
        hint = f" (write [{_shown(value)}])" if wanted == "array" and isinstance(value, str) else ""
        return f"must be {_WORDS.get(wanted, wanted)}, not {_shown(value)}{hint}"
    if keyword == "enum":
        close = closest(str(value).lower(), wanted)
        hint = f" (did you mean {_shown(close)}?)" if close is not None else ""
        return f"must be one of {', '.join(wanted)}, not {_shown(value)}{hint}"
    if keyword == "pattern":
        return "must not be empty"
    if keyword == "minimum":
        return f"must be {wanted} or more, not {_shown(value)}"
    return str(error.message)


def _shown(value: Any) -> str:
    """A value as TOML writes it: "text", true, 3, a list."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a table"
    return str(value)


def _build(table: dict[str, Any], path: Path) -> Config:
    folder = path.absolute().parent
    jobs = table.get("jobs")
    return Config(
        source=path,
        call=table.get("call"),
        rules=tuple(folder / rule for rule in table.get("rules", ())),
        select=tuple(table.get("select", ())),
        ignore=tuple(table.get("ignore", ())),
        fail_on=table.get("fail-on"),
        format=table.get("format"),
        exclude=tuple(table.get("exclude", ())),
        # JSON Schema counts 2.0 as an integer; the field is an int.
        jobs=None if jobs is None else int(jobs),
    )
