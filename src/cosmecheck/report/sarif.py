"""The SARIF 2.1.0 report, for code-scanning services that annotate the consortium file.

One run: the rules of the checked calls (with their help text) and one result per finding,
plus one per load error under the tool's own ``load-error`` rule. No timestamps, sorted keys.
"""

from __future__ import annotations

import collections
import json
from pathlib import PurePath
from typing import Any, TextIO
from urllib.parse import quote

from cosmecheck import __version__
from cosmecheck.model import FileResult, Finding, LoadProblem, Report, RuleInfo, Severity
from cosmecheck.report import Style

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LOAD_ERROR = "load-error"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(report: Report, stream: TextIO, style: Style | None = None) -> None:
    """Write the SARIF log."""
    json.dump(document(report), stream, indent=2, sort_keys=True, ensure_ascii=False)
    stream.write("\n")


def document(report: Report) -> dict[str, Any]:
    """The whole SARIF log as plain data."""
    ids = sarif_ids(report)
    rules = _rule_descriptors(report, ids)
    index = {rule["id"]: number for number, rule in enumerate(rules)}
    results = [result for f in report.files for result in _file_results(f, index, ids)]
    driver = {"name": "cosmecheck", "version": __version__, "rules": rules}
    run = {"tool": {"driver": driver}, "results": results, "columnKind": "unicodeCodePoints"}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def sarif_ids(report: Report) -> dict[tuple[str, str], str]:
    """SARIF rule ids: the rule id, or CALL/rule-id where two calls of the report share it."""
    calls_per_id = collections.Counter(rule_id for _, rule_id in report.rules)
    return {
        (call, rule_id): rule_id if calls_per_id[rule_id] == 1 else f"{call}/{rule_id}"
        for call, rule_id in report.rules
    }


def _rule_descriptors(report: Report, ids: dict[tuple[str, str], str]) -> list[dict[str, Any]]:
    """Every rule of the report, the load-error rule, and any rule a finding names, by id."""
    described = {
        ids[key]: {**descriptor(rule), "id": ids[key]} for key, rule in report.rules.items()
    }
    described[LOAD_ERROR] = _load_error_descriptor()
    for result in report.files:
        for item in result.findings:
            sarif_id = ids.get((result.call or "", item.rule_id), item.rule_id)
            described.setdefault(sarif_id, {**_bare_descriptor(item), "id": sarif_id})
    return [described[rule_id] for rule_id in sorted(described)]


def descriptor(rule: RuleInfo) -> dict[str, Any]:
    """A rule as a SARIF reportingDescriptor, with its help text and where it comes from."""
    where = f"Call {rule.pack}, section {rule.section}; source: {rule.source}."
    return {
        "id": rule.id,
        "name": _pascal(rule.id),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.summary},
        "help": {"text": f"{rule.summary}\n\nHow to fix: {rule.fix}\n\n{where}"},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"section": rule.section, "source": rule.source, "pack": rule.pack},
    }


def _load_error_descriptor() -> dict[str, Any]:
    text = "The file could not be read as a consortium file, so no rule was checked."
    fix = "Correct the file at the place named; `cosmecheck schema` gives the file format."
    return {
        "id": LOAD_ERROR,
        "name": _pascal(LOAD_ERROR),
        "shortDescription": {"text": "File could not be loaded"},
        "fullDescription": {"text": text},
        "help": {"text": f"{text}\n\nHow to fix: {fix}"},
        "defaultConfiguration": {"level": "error"},
    }


def _bare_descriptor(item: Finding) -> dict[str, Any]:
    """A rule the report has no help text for (kept so that every result has a rule)."""
    return {
        "id": item.rule_id,
        "name": _pascal(item.rule_id),
        "defaultConfiguration": {"level": LEVELS[item.severity]},
    }


def _file_results(
    result: FileResult, index: dict[str, int], ids: dict[tuple[str, str], str]
) -> list[dict[str, Any]]:
    problems = [_load_result(result.path, p, index[LOAD_ERROR]) for p in result.load_errors]
    found = []
    for item in result.findings:
        sarif_id = ids.get((result.call or "", item.rule_id), item.rule_id)
        found.append({**_finding_result(result.path, item, index[sarif_id]), "ruleId": sarif_id})
    return problems + found


def _finding_result(path: str, item: Finding, rule_index: int) -> dict[str, Any]:
    properties = {"jsonPath": item.path}
    if item.partner:
        properties["partner"] = item.partner
    return {
        "ruleId": item.rule_id,
        "ruleIndex": rule_index,
        "level": LEVELS[item.severity],
        "message": {"text": item.message},
        "locations": [location(path, item.line, item.column)],
        "properties": properties,
    }


def _load_result(path: str, problem: LoadProblem, rule_index: int) -> dict[str, Any]:
    return {
        "ruleId": LOAD_ERROR,
        "ruleIndex": rule_index,
        "level": "error",
        "message": {"text": problem.message},
        "locations": [location(path, problem.line, problem.column)],
    }


def location(path: str, line: int | None, column: int | None) -> dict[str, Any]:
    """A physical location: the file's URI and, where known, its 1-based line and column."""
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(path)}}
    if line is not None and line >= 1:
        region = {"startLine": line}
        if column is not None and column >= 1:
            region["startColumn"] = column
        physical["region"] = region
    return {"physicalLocation": physical}


def artifact_uri(path: str) -> str:
    """The path as a URI reference: forward slashes, relative kept relative, escaped."""
    pure = PurePath(path)
    if pure.is_absolute():
        return pure.as_uri()
    return quote(pure.as_posix(), safe="/")


def _pascal(rule_id: str) -> str:
    """``consortium-region`` -> ``ConsortiumRegion``, the usual shape of a SARIF rule name."""
    return "".join(part[:1].upper() + part[1:] for part in rule_id.replace("_", "-").split("-"))
