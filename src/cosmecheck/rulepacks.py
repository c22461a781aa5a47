"""Rule packs: find them, read their files, check them against the meta-schemas, compile once.

A pack is a folder holding ``pack.yaml`` (the call's parameters) and one YAML file per rule,
named by the rule's id. Packs live in a rules root (a folder of pack folders) beside a
``data/`` folder of tables. The shipped root is ``cosmecheck/_rules`` in the installed package;
``--rules DIR`` adds roots that come first, so a pack there replaces a shipped one.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from cosmecheck import template
from cosmecheck.errors import LoadError, RulePackError, UsageError
from cosmecheck.loader import load_path
from cosmecheck.model import Severity, place
from cosmecheck.tables import Tables
from cosmecheck.validation import Validator, schema_problem, shared

PACK_FILE = "pack.yaml"
SCOPES = ("partner", "document")


@dataclass(frozen=True, slots=True)
class Check:
    """One schema of a rule with the message reported when it fails."""

    schema: Any
    message: str
    severity: Severity
    at: str | None
    validator: Validator = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule: its documentation, its checks and its own examples."""

    id: str
    severity: Severity
    scope: str
    checks: tuple[Check, ...]
    undetermined: Check | None
    doc: dict[str, Any] = field(compare=False, repr=False)
    file: Path | None = None

    @property
    def title(self) -> str:
        """The rule's one-line title."""
        return str(self.doc["title"])


@dataclass(frozen=True, slots=True)
class Pack:
    """A loaded, validated and compiled rule pack."""

    id: str
    meta: dict[str, Any]
    folder: Path
    rules: dict[str, Rule]
    tables: Tables
    # Per scope, every check of its rules in one schema: most partners and documents pass
    # them all, which one fast validation can tell (see `passes_all`).
    gates: dict[str, Validator | None] = field(default_factory=dict, compare=False, repr=False)

    def passes_all(self, scope: str, instance: Any) -> bool:
        """Whether the instance surely passes every check of every rule of a scope.

        False means "judge each rule": the instance fails one, or the fast validator is not
        there to tell.
        """
        gate = self.gates.get(scope)
        return gate is not None and gate.passes_fast(instance)

    @property
    def params(self) -> dict[str, Any]:
        """The call's parameters."""
        params: dict[str, Any] = self.meta["parameters"]
        return params

    @property
    def title(self) -> str:
        """The call's title."""
        return str(self.meta["title"])


def shipped_root() -> Path:
    """The rules root inside the installed package (or the source checkout's ``rules/``)."""
    packaged = Path(str(resources.files("cosmecheck").joinpath("_rules")))
    if packaged.is_dir():
        return packaged
    # Running from a source checkout (an editable install): the rules sit at the top level.
    return Path(__file__).resolve().parents[2] / "rules"


@functools.cache
def _meta_schema(name: str) -> dict[str, Any]:
    path = shipped_root() / "_meta" / f"{name}.schema.json"
    loaded: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return loaded


def _read_yaml(path: Path) -> Any:
    try:
        return load_path(path).data
    except LoadError as exc:
        first = exc.problems[0]
        where = place(str(path), first.line, first.column)
        raise RulePackError(f"{where}: {first.message}") from None


def _validate(data: Any, schema_name: str, path: Path) -> None:
    errors = shared(("meta-schema", schema_name), lambda: _meta_schema(schema_name)).errors(data)
    if errors:
        from jsonschema.exceptions import best_match

        error = best_match(errors)
        raise RulePackError(f"{path}: {error.json_path}: {error.message}")


class Catalogue:
    """The packs visible from a set of rules roots, loaded on first use."""

    def __init__(self, rules_dirs: tuple[Path, ...] = ()) -> None:
        self.roots = [*rules_dirs, shipped_root()]
        self._folders: dict[str, Path] | None = None
        self._packs: dict[str, Pack] = {}

    def folders(self) -> dict[str, Path]:
        """Pack id -> pack folder; earlier roots win."""
        if self._folders is None:
            found: dict[str, Path] = {}
            for root in self.roots:
                if not root.is_dir():
                    raise RulePackError(f"{root}: no such rules folder")
                candidates = [root] if (root / PACK_FILE).is_file() else sorted(root.iterdir())
                for folder in candidates:
                    if (folder / PACK_FILE).is_file():
                        meta = _read_yaml(folder / PACK_FILE)
                        pack_id = meta.get("id") if isinstance(meta, dict) else None
                        if not isinstance(pack_id, str):
                            raise RulePackError(f"{folder / PACK_FILE}: no `id`")
                        found.setdefault(pack_id, folder)
            self._folders = found
        return self._folders

    def ids(self) -> list[str]:
        """The ids of every visible pack."""
        return sorted(self.folders())

    def get(self, call: str) -> Pack:
        """The pack for a call id (case-insensitive)."""
        folders = self.folders()
        match = next((i for i in folders if i.lower() == call.strip().lower()), None)
        if match is None:
            known = ", ".join(self.ids()) or "none"
            raise UsageError(f"unknown call {call!r}; the rule packs here are for: {known}")
        if match not in self._packs:
            self._packs[match] = load_pack(folders[match], self._data_dirs(folders[match]))
        return self._packs[match]

    def _data_dirs(self, folder: Path) -> list[Path]:
        return [folder.parent / "data", shipped_root() / "data"]

    def packs(self) -> list[Pack]:
        """Every visible pack, loaded."""
        return [self.get(i) for i in self.ids()]


def load_pack(folder: Path, data_dirs: list[Path]) -> Pack:
    """Read, validate and compile the pack in ``folder``."""
    meta = _read_yaml(folder / PACK_FILE)
    _validate(meta, "pack", folder / PACK_FILE)
    tables = Tables(
        countries=_table(meta["tables"]["countries"], "countries", data_dirs),
        regions=_table(meta["tables"]["regions"], "regions", data_dirs),
    )
    rules: dict[str, Rule] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name != PACK_FILE:
            rule = load_rule(path, meta["parameters"])
            rules[rule.id] = rule
    _check_references(meta, rules, folder)
    gates = {scope: _gate([r for r in rules.values() if r.scope == scope]) for scope in SCOPES}
    return Pack(meta["id"], meta, folder, rules, tables, gates)


def _gate(rules: list[Rule]) -> Validator | None:
    """One schema that holds where every check of the rules holds (None if none can be made).

    A rule's ``$ref`` points into its own schema (``#/...``), which it would no longer be once
    nested in another; rules with references are therefore judged one by one.
    """
    schemas = [c.schema for r in rules for c in (*r.checks, r.undetermined) if c is not None]
    if not schemas or any(key == "$ref" for key, _ in _keys(schemas)):
        return None
    gate = Validator({"allOf": schemas}, safe_patterns=True)
    return gate if gate.fast else None


def _table(name: str, kind: str, data_dirs: list[Path]) -> dict[str, Any]:
    for folder in data_dirs:
        path = folder / f"{name}.yaml"
        if path.is_file():
            data = _read_yaml(path)
            _validate(data, kind, path)
            return dict(data)
    raise RulePackError(f"table {name!r} not found in {', '.join(map(str, data_dirs))}")


def _check_references(meta: dict[str, Any], rules: dict[str, Rule], folder: Path) -> None:
    named = list(meta.get("partner_eligibility", []))
    for scenario in meta.get("scenarios", {}).values():
        named += scenario["rules"]
    for item in meta.get("not_checked", []):
        named += item.get("related", [])
    for rule_id in named:
        if rule_id not in rules:
            raise RulePackError(f"{folder / PACK_FILE}: names rule {rule_id!r}, which has no file")


def load_rule(path: Path, params: dict[str, Any]) -> Rule:
    """Read, validate and compile one rule file."""
    doc = _read_yaml(path)
    _validate(doc, "rule", path)
    if doc["id"] != path.stem:
        raise RulePackError(f"{path}: id {doc['id']!r} differs from the file name {path.stem!r}")
    severity = Severity.parse(doc["severity"])
    checks = tuple(_check(c, severity, params, path) for c in doc["checks"])
    undetermined = doc.get("undetermined")
    return Rule(
        id=doc["id"],
        severity=severity,
        scope=doc["scope"],
        checks=checks,
        undetermined=_check(undetermined, Severity.WARNING, params, path) if undetermined else None,
        doc=doc,
        file=path,
    )


def _check(raw: dict[str, Any], severity: Severity, params: dict[str, Any], path: Path) -> Check:
    from cosmecheck.safe_regex import check_patterns

    schema = substitute(raw["schema"], params, path)
    _refuse_external_refs(schema, path)
    regex_problem = check_patterns(_keys(schema))
    if regex_problem:
        raise RulePackError(f"{path}: {regex_problem}")
    problem = schema_problem(schema)
    if problem is not None:
        raise RulePackError(f"{path}: invalid schema at {problem.json_path}: {problem.message}")
    for problem in template.problems(raw["message"]):
        raise RulePackError(f"{path}: message template: {problem}")
    return Check(
        schema=schema,
        message=raw["message"],
        severity=Severity.parse(raw["severity"]) if "severity" in raw else severity,
        at=raw.get("at"),
        validator=Validator(schema, safe_patterns=True),
    )


def substitute(node: Any, params: dict[str, Any], path: Path) -> Any:
    """Replace every ``{"$param": name}`` in a schema by the pack parameter's value."""
    if isinstance(node, dict):
        if set(node) == {"$param"}:
            value = template.lookup(params, str(node["$param"]))
            if value is None:
                raise RulePackError(f"{path}: unknown pack parameter {node['$param']!r}")
            return value
        return {k: substitute(v, params, path) for k, v in node.items()}
    if isinstance(node, list):
        return [substitute(v, params, path) for v in node]
    return node


_REFUSED = ("$id", "$anchor", "$dynamicAnchor", "$dynamicRef", "$recursiveRef", "$recursiveAnchor")


def _refuse_external_refs(schema: Any, path: Path) -> None:
    """Every $ref must point inside the rule's own schema, at something that is there."""
    for key, value in _keys(schema):
        if key in _REFUSED:
            raise RulePackError(f"{path}: {key} is not allowed in a rule (only #/... references)")
        if key == "$ref" and not (isinstance(value, str) and _resolves(schema, value)):
            raise RulePackError(
                f"{path}: $ref {value!r} points outside the rule, or at nothing in it; only "
                "references such as #/$defs/name to a part of the rule are allowed, and nothing "
                "is fetched"
            )


def _keys(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from _keys(value)


def _resolves(schema: Any, ref: str) -> bool:
    """Whether a reference is a JSON pointer (#, #/a/b) to a part of ``schema``."""
    if ref == "#":
        return True
    if not ref.startswith("#/"):
        return False
    target = schema
    for token in ref[2:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(target, dict) and token in target:
            target = target[token]
        elif isinstance(target, list) and token.isdigit() and int(token) < len(target):
            target = target[int(token)]
        else:
            return False
    return True
