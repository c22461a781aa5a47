"""The rule engine: enrich a consortium with facts, run a pack's rules, turn failures into findings.

Partner rules run first, on each partner: a partner that fails one of the pack's
``partner_eligibility`` rules does not count towards the consortium's facts (size, countries,
regions). Then come the consortium facts, the pack's scenarios (the consortium re-judged
without some partners), and the document rules. Messages are rendered last, so that every
message can use every fact.
"""

from __future__ import annotations

from collections import ChainMap
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cosmecheck import budget, deadline, facts, template
from cosmecheck.consortium import Consortium
from cosmecheck.loader import Parsed
from cosmecheck.model import Finding, Severity
from cosmecheck.rulepacks import Check, Pack, Rule


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The enriched document and every finding, before selection."""

    document: dict[str, Any]
    findings: list[Finding]


def judge(rule: Rule, instance: Any) -> list[Check]:
    """The checks of ``rule`` that ``instance`` fails (only the undetermined one, if it fails)."""
    if rule.undetermined is not None and not rule.undetermined.validator.is_valid(instance):
        return [rule.undetermined]
    return [check for check in rule.checks if not check.validator.is_valid(instance)]


def outcome(rule: Rule, instance: Any) -> str:
    """``pass``, ``fail`` or ``undetermined``: what a rule's own examples assert."""
    failures = judge(rule, instance)
    if not failures:
        return "pass"
    return "undetermined" if failures[0] is rule.undetermined else "fail"


def evaluate(
    consortium: Consortium, pack: Pack, now: datetime, *, details: bool = False
) -> Evaluation:
    """Enrich the consortium with facts and run every rule of the pack.

    With ``details``, each finding carries jsonschema's message for its failure.
    """
    partners = [
        {**partner, "facts": partner_facts}
        for partner, partner_facts in zip(
            consortium.partners, facts.partner_facts(consortium, pack), strict=True
        )
    ]
    partner_rules = [r for r in pack.rules.values() if r.scope == "partner"]
    partner_failures = [_judge_all(pack, "partner", partner_rules, p) for p in partners]
    decisive = set(pack.meta.get("partner_eligibility", []))
    for partner, results in zip(partners, partner_failures, strict=True):
        failed_rules = [r.id for r, fs in results if r.id in decisive and _fails(fs)]
        partner["facts"].update(eligible=not failed_rules, failed_rules=failed_rules)
    document = {**consortium.doc, "partners": partners}
    document["facts"] = {
        "call": deadline.call_facts(pack),
        **facts.consortium_facts(partners, pack),
        "deadline": deadline.deadline_facts(
            consortium.submission, consortium.doc["proposal"].get("submission"), pack, now
        ),
        "budget": budget.budget_facts(consortium, pack.params),
    }
    document["facts"]["scenarios"] = {
        name: _scenario(spec, document, pack)
        for name, spec in pack.meta.get("scenarios", {}).items()
    }
    renderer = _Renderer(pack, document, consortium.parsed, details)
    findings = [
        renderer.finding(rule, check, partners[i], f"$.partners[{i}]")
        for i, results in enumerate(partner_failures)
        for rule, failed in results
        for check in failed
    ]
    document_rules = [r for r in pack.rules.values() if r.scope == "document"]
    for rule, failed in _judge_all(pack, "document", document_rules, document):
        findings += [renderer.finding(rule, check, document, "$") for check in failed]
    return Evaluation(document, sorted(findings, key=Finding.sort_key))


def _judge_all(
    pack: Pack, scope: str, rules: list[Rule], instance: Any
) -> list[tuple[Rule, list[Check]]]:
    """Each rule of a scope with the checks the instance fails, after one check of them all."""
    if pack.passes_all(scope, instance):
        return [(rule, []) for rule in rules]
    return [(rule, judge(rule, instance)) for rule in rules]


def _fails(failures: list[Check]) -> bool:
    return any(check.severity is Severity.ERROR for check in failures)


def _scenario(spec: dict[str, Any], document: dict[str, Any], pack: Pack) -> dict[str, Any]:
    """The consortium judged again without the partners of some countries."""
    partners = document["partners"]
    excluded = [p for p in partners if p["facts"].get("country") in spec["exclude_countries"]]
    result: dict[str, Any] = {"title": spec["title"], "applies": bool(excluded)}
    if not excluded:
        return result
    kept = [p for p in partners if p not in excluded]
    reduced = {**document, "partners": kept}
    reduced["facts"] = {**document["facts"], **facts.consortium_facts(kept, pack)}
    rules = [pack.rules[rule_id] for rule_id in spec["rules"]]
    met_now = [r.id for r in rules if not _fails_on(r, document)]
    lost = [r.id for r in rules if r.id in met_now and _fails_on(r, reduced)]
    if lost:
        outcome = f"would no longer meet {_and(lost)}"
    elif met_now:
        outcome = f"would still meet {_and(met_now)}"
    else:
        outcome = f"fails {_and([r.id for r in rules])} with or without them"
    result.update(
        excluded=[p["facts"]["name"] for p in excluded], failing_rules=lost, outcome=outcome
    )
    return result


def _fails_on(rule: Rule, document: dict[str, Any]) -> bool:
    instances = document["partners"] if rule.scope == "partner" else [document]
    return any(_fails(judge(rule, instance)) for instance in instances)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class _Renderer:
    """Turns a failed check into a Finding with its message, path, line and partner.

    jsonschema's errors are worked out only where they are used: for the place of a check that
    names none (``at``), and for the details asked for.
    """

    def __init__(self, pack: Pack, document: dict[str, Any], parsed: Parsed, details: bool) -> None:
        self.context = {
            "params": pack.params,
            "call": document["facts"]["call"],
            "document": document,
        }
        self.parsed = parsed
        self.partners = document["partners"]
        self.details = details

    def finding(self, rule: Rule, check: Check, instance: Any, base: str) -> Finding:
        best = _best_error(check, instance) if check.at is None or self.details else None
        path = _join(base, check.at or _user_path(best.json_path if best else "$"))
        line, column = self.parsed.locate(path) or (None, None)
        return Finding(
            rule_id=rule.id,
            severity=check.severity,
            message=template.render(check.message, ChainMap(self.context, instance)),
            path=path,
            line=line,
            column=column,
            partner=self._partner(path),
            detail=best.message if best and self.details else "",
        )

    def _partner(self, path: str) -> str | None:
        if not path.startswith("$.partners["):
            return None
        index = int(path[len("$.partners[") :].split("]", 1)[0])
        return str(self.partners[index]["facts"]["name"])


def _best_error(check: Check, instance: Any) -> Any:
    """jsonschema's most relevant error of a failed check (None if it finds none)."""
    errors = check.validator.errors(instance)
    if not errors:
        return None
    from jsonschema.exceptions import best_match

    return best_match(errors)


def _user_path(json_path: str) -> str:
    """A failing schema's path, cut where it enters derived facts (not in the user's file)."""
    cut = json_path.find(".facts")
    return json_path if cut < 0 else json_path[:cut] or "$"


def _join(base: str, relative: str) -> str:
    return base + relative[1:] if relative.startswith("$") else f"{base}.{relative}"
