"""Budget facts: totals, partner sums against them, and the call's caps, exact to the cent."""

from __future__ import annotations

from decimal import ROUND_UP, Decimal
from typing import Any

from cosmecheck.consortium import AMOUNT_KEYS, Consortium
from cosmecheck.template import eur

_ZERO, _CENT = Decimal(0), Decimal("0.01")


def budget_facts(consortium: Consortium, params: dict[str, Any]) -> dict[str, Any]:
    """Budget totals, partner sums against them, and the caps of the call."""
    proposal = consortium.doc["proposal"].get("budget") or {}
    partners = [p.get("budget") or {} for p in consortium.partners]
    totals: dict[str, Decimal | None] = {}
    mismatches = []
    for key in AMOUNT_KEYS:
        given = [_money(b[key]) for b in partners if key in b]
        added = sum(given, _ZERO) if given else None
        totals[key] = _money(proposal[key]) if key in proposal else added
        if key in proposal and added is not None and added != totals[key]:
            missing = len(partners) - len(given)
            note = f", {missing} partner(s) without it" if missing else ""
            mismatches.append(
                f"{key}: the partners' add up to {eur(added)}, "
                f"the proposal says {eur(totals[key])}{note}"
            )
    facts: dict[str, Any] = {k: _plain(v) for k, v in totals.items() if v is not None}
    facts["partner_sum_mismatches"] = mismatches
    facts.update(_caps(totals, params))
    return facts


def _caps(totals: dict[str, Decimal | None], params: dict[str, Any]) -> dict[str, Any]:
    eligible, requested = totals["eligible_costs_eur"], totals["requested_grant_eur"]
    support = totals["third_party_support_eur"] or _ZERO
    facts: dict[str, Any] = {}
    if requested is not None and "max_grant_eur" in params:
        facts["over_max_grant_eur"] = _excess(requested, _money(params["max_grant_eur"]))
    if eligible is not None:
        facts["third_party_support_over_eligible_eur"] = _excess(support, eligible)
    if eligible is not None and requested is not None:
        facts["requested_over_eligible_eur"] = _excess(requested, eligible)
        if "cofinancing_rate" in params:
            cofinanced = eligible - support
            cap = cofinanced * _money(params["cofinancing_rate"]) + support * _money(
                params.get("third_party_support_rate", params["cofinancing_rate"])
            )
            facts["cofinanced_costs_eur"] = _plain(cofinanced)
            facts["cofinancing_support_eur"] = _plain(support)
            facts["cofinancing_cap_eur"] = _plain(cap)
            facts["over_cofinancing_cap_eur"] = _excess(requested, cap)
    return facts


def _money(value: Any) -> Decimal:
    return Decimal(str(value))


def _plain(value: Decimal | None) -> int | float | None:
    """A JSON number: whole euro as int, otherwise a float."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _excess(amount: Decimal, limit: Decimal) -> int | float | None:
    """How far an amount is over a limit, rounded up to the cent: any excess shows."""
    return _plain(max(amount - limit, _ZERO).quantize(_CENT, ROUND_UP))
