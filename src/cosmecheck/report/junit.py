"""The JUnit XML report, for CI servers' test views (Jenkins, GitLab, Azure Pipelines).

One testsuite per file and one testcase per rule of the file's call. A rule fails when it has
a finding at or above the report's fail-on severity (``error`` by default), so that the test
view agrees with the exit status; other findings go to the testcase's ``system-out``. A file
that could not be loaded is one errored testcase ``load``; a skipped file, one skipped one.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from cosmecheck.model import FileResult, Finding, Report, RuleInfo, Status, place
from cosmecheck.report import Style

LOAD = "load"
# Characters XML 1.0 cannot hold even escaped; YAML's "\x01" escapes can put them in a value.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(report: Report, stream: TextIO, style: Style | None = None) -> None:
    """Write the JUnit XML document."""
    root = document(report)
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")


def document(report: Report) -> ET.Element:
    """The ``testsuites`` element for the whole report."""
    root = ET.Element("testsuites", name="cosmecheck")
    for result in report.files:
        root.append(testsuite(result, report))
    _count(root, root.findall("testsuite/testcase"))
    return root


def testsuite(result: FileResult, report: Report) -> ET.Element:
    """One file's testsuite, with its call and verdict as properties."""
    suite = ET.Element("testsuite", name=_clean(result.path))
    properties = ET.SubElement(suite, "properties")
    for name, value in [("call", result.call), ("acronym", result.acronym)]:
        if value:
            ET.SubElement(properties, "property", name=name, value=_clean(value))
    ET.SubElement(properties, "property", name="status", value=result.status.value)
    if result.status is Status.ERROR:
        suite.append(_load_case(result))
    elif result.status is Status.SKIPPED:
        case = _case(result, LOAD)
        ET.SubElement(case, "skipped", message=_clean(result.skipped or "skipped"))
        suite.append(case)
    else:
        for rule_id in _rule_ids(result, report.rules):
            suite.append(rule_case(result, rule_id, report))
    _count(suite, suite.findall("testcase"))
    return suite


def rule_case(result: FileResult, rule_id: str, report: Report) -> ET.Element:
    """The testcase of one rule on one file: failed, passed with output, or passed."""
    case = _case(result, rule_id)
    findings = [f for f in result.findings if f.rule_id == rule_id]
    failing = [f for f in findings if f.severity >= report.fail_on]
    text = "\n".join(describe(result.path, f) for f in findings)
    if failing:
        rule = report.rule(result.call, rule_id)
        fix = f"\nHow to fix: {rule.fix}" if rule and rule.fix else ""
        worst = str(max(f.severity for f in failing))
        failure = ET.SubElement(case, "failure", message=_clean(_headline(failing)), type=worst)
        failure.text = _clean(text + fix)
    elif findings:
        ET.SubElement(case, "system-out").text = _clean(text)
    return case


def describe(path: str, item: Finding) -> str:
    """``path:line:column: severity: message (partner)`` for a failure's or output's text."""
    where = place(path, item.line, item.column)
    partner = f" [{item.partner}]" if item.partner else ""
    return f"{where}: {item.severity}: {item.message}{partner}"


def _load_case(result: FileResult) -> ET.Element:
    case = _case(result, LOAD)
    first = result.load_errors[0].message
    more = len(result.load_errors) - 1
    message = f"{first} (and {more} more)" if more else first
    error = ET.SubElement(case, "error", message=_clean(message), type="load-error")
    lines = []
    for problem in result.load_errors:
        where = place(result.path, problem.line, problem.column)
        lines.append(f"{where}: {problem.message}")
    error.text = _clean("\n".join(lines))
    return case


def _case(result: FileResult, name: str) -> ET.Element:
    return ET.Element("testcase", classname=_clean(classname(result.path)), name=name)


def classname(path: str) -> str:
    """The path without its .yaml/.yml suffix: Jenkins reads dots in a classname as packages."""
    for suffix in (".yaml", ".yml"):
        if path.lower().endswith(suffix) and len(path) > len(suffix):
            return path[: -len(suffix)]
    return path


def _rule_ids(result: FileResult, rules: dict[tuple[str, str], RuleInfo]) -> list[str]:
    """The rules of the file's call, and any rule a finding names, by id."""
    ids = {rule.id for rule in rules.values() if rule.pack == result.call}
    return sorted(ids | {f.rule_id for f in result.findings})


def _headline(failing: list[Finding]) -> str:
    more = len(failing) - 1
    return f"{failing[0].message} (and {more} more)" if more else failing[0].message


def _count(element: ET.Element, cases: list[ET.Element]) -> None:
    """Set the tests, failures, errors and skipped counts from the testcases below."""
    element.set("tests", str(len(cases)))
    for kind, attribute in [("failure", "failures"), ("error", "errors"), ("skipped", "skipped")]:
        element.set(attribute, str(sum(1 for case in cases if case.find(kind) is not None)))


def _clean(text: str) -> str:
    """Text XML can hold: characters XML 1.0 forbids become ``\\xNN``."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
