"""Rule behaviour end to end: the spec's worked examples and each rule's findings.

Every test writes a consortium file in tmp_path and checks it with ``Checker.check_file``,
as the command line does, then looks at the findings: rule, severity, message, where in the
file it points, and which partner it is about.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

import builders
from builders import BUDGET, CALL, consortium, partner, write
from cosmecheck.checker import Checker
from cosmecheck.errors import UsageError
from cosmecheck.model import CheckOptions, FileResult, Finding, Report, Severity, Status
from cosmecheck.rulepacks import Catalogue


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(CheckOptions())


def check(
    tmp_path: Path, checker: Checker, partners: list[dict[str, Any]], **proposal: Any
) -> FileResult:
    """Check a consortium with the default budget (``budget=None`` leaves it out)."""
    return builders.check(tmp_path, checker, partners, **{"budget": BUDGET, **proposal})


def errors(result: FileResult) -> list[str]:
    return sorted(f.rule_id for f in result.findings if f.severity is Severity.ERROR)


def only(result: FileResult, rule_id: str) -> Finding:
    found = [f for f in result.findings if f.rule_id == rule_id]
    assert len(found) == 1, result.findings
    return found[0]


def recipe() -> list[dict[str, Any]]:
    """RECiPE4Mobility: FR coordinator; HU (less developed), DE, NL, PT (less developed)."""
    return [
        partner("Pôle Véhicule du Futur", "FR", "FRF1", pic="999417620", role="coordinator"),
        partner("Pannon Autóipari Klaszter", "Hungary", "HU22", pic="999863112"),
        partner("Automotive Cluster RheinlandPfalz", "Germania", "DE23", pic="998231547"),
        partner(
            "Brainport Automotive Cluster",
            "NL",
            "NL41",
            organisation_type="business_network_organisation",
            eccp="requested",
        ),
        partner("Mobinov", "PRT", "PT11", pic="996655112"),
    ]


def tri_regions() -> list[dict[str, Any]]:
    """Lombardy, Bavaria, Catalonia: every region more developed."""
    return [
        partner("Lombardy Advanced Materials Cluster", "IT", "ITC4", role="coordinator"),
        partner("Bayern Materials Network", "DE", "DE21"),
        partner("Clúster de Materials de Catalunya", "ES", "ES51"),
    ]


def sound() -> list[dict[str, Any]]:
    """Three eligible partners in three countries, one in a less developed region."""
    return [
        partner("Distretto Agroalimentare Campania", "IT", "ITF3", role="coordinator"),
        partner("Food Cluster Bayern", "DE", "DE21"),
        partner("Catalonia Food Cluster", "ES", "ES51"),
    ]


# The worked examples -------------------------------------------------------------------------


def test_recipe4mobility_is_eligible(tmp_path: Path, checker: Checker) -> None:
    result = check(tmp_path, checker, recipe())
    assert result.status is Status.ELIGIBLE
    assert result.findings == ()
    assert result.acronym == "TESTX"
    assert result.call == CALL
    assert result.facts is not None
    assert result.facts["eligible_entity_count"] == 5
    assert result.facts["eligible_country_count"] == 5
    assert result.facts["region"]["qualifying_count"] == 2


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))


def test_lombardy_bavaria_catalonia_fails_only_the_region_rule(
    tmp_path: Path, checker: Checker
) -> None:
    result = check(tmp_path, checker, tri_regions())
    assert result.status is Status.INELIGIBLE
    assert errors(result) == ["consortium-region"]
    finding = only(result, "consortium-region")
    assert finding.severity is Severity.ERROR
    assert finding.path == "$.partners"
    message = finding.message
    for region in ("Campania", "Puglia", "Basilicata", "Calabria", "Sicilia"):
        assert region in message  # Italy's less developed regions
    for region in ("Abruzzo", "Molise", "Sardegna"):
        assert region in message  # Italy's transition regions
    for region in ("Extremadura", "Andalucía", "Brandenburg", "Thüringen"):
        assert region in message
    # The consortium's own countries first, in its order: Italy, Germany, Spain.
    assert message.index("Italy:") < message.index("Germany:") < message.index("Spain:")


def test_region_suggestions_continue_with_the_nearest_other_countries(
    tmp_path: Path, checker: Checker
) -> None:
    result = check(tmp_path, checker, tri_regions())
    message = only(result, "consortium-region").message
    # Work out, independently of the engine, which other countries have a qualifying region
    # and how far their capitals are from the nearest of Rome, Berlin and Madrid.
    pack = Catalogue().get(CALL)
    table = pack.tables.countries["countries"]
    regions = pack.tables.regions
    qualifying = {
        code[:2].replace("GR", "EL")
        for code, entry in regions["regions"].items()
        if entry["category"] in ("less_developed", "transition")
    }
    own = ["IT", "DE", "ES"]
    others = sorted(
        (c for c in qualifying if c not in own),
        key=lambda c: min(_distance(table[c]["capital"], table[o]["capital"]) for o in own),
    )
    nearest = [table[c]["name"] for c in others[:3]]
    assert nearest == ["Czechia", "Denmark", "Slovenia"]
    positions = [message.index(f"{name}") for name in ["Italy", "Germany", "Spain", *nearest]]
    assert positions == sorted(positions)
    farther = [table[c]["name"] for c in others[3:]]
    assert not [name for name in farther if f"{name}:" in message or f"{name} (" in message]


def test_italian_norwegian_serbian(tmp_path: Path, checker: Checker) -> None:
    text = f"""\
# An Italian, a Norwegian and a Serbian cluster.
cosmecheck: 1
call: {CALL}
proposal:
  acronym: BLUEGROWTH
  duration_months: 22
  submission: 2019-03-29T10:00:00+01:00
  budget: {{eligible_costs_eur: 300000, requested_grant_eur: 225000}}
  clusterxchange: {{planned_exchanges: 30}}
partners:
  - name: Distretto Tecnologico Blue Italy
    role: coordinator
    country: IT
    region: ITF4
    organisation_type: cluster_organisation
    legal_entity: true
    eccp: registered
  - name: Norwegian Ocean Cluster
    organisation_type: cluster_organisation
    legal_entity: true
    eccp: registered
    country:   Norway
  - name: Vojvodina Maritime Cluster
    country: Serbia
    organisation_type: cluster_organisation
    legal_entity: true
    eccp: requested
"""
    path = tmp_path / "blue.yaml"
    path.write_text(text, "utf-8")
    result = checker.check_file(path)
    assert not result.load_errors
    assert errors(result) == ["applicant-country", "consortium-countries", "consortium-size"]
    finding = only(result, "applicant-country")
    assert finding.partner == "Norwegian Ocean Cluster"
    assert finding.path == "$.partners[1].country"
    line = text.splitlines().index("    country:   Norway") + 1
    assert (finding.line, finding.column) == (line, len("    country:   ") + 1)
    assert "Norway" in finding.message
    assert "2019-04-04" in finding.message
    countries = only(result, "consortium-countries")
    assert countries.partner is None
    assert "2 eligible" in countries.message
    assert "Italy, Serbia" in countries.message
    assert "Norwegian Ocean Cluster (applicant-country)" in countries.message
    assert "2 different eligible legal entities" in only(result, "consortium-size").message


def test_late_submission(tmp_path: Path, checker: Checker) -> None:
    result = check(tmp_path, checker, sound(), submission="2019-04-04T16:30:00+01:00")
    assert errors(result) == ["proposal-deadline"]
    finding = only(result, "proposal-deadline")
    assert finding.severity is Severity.ERROR
    assert "30 min late" in finding.message
    assert "15:30 UTC" in finding.message
    assert finding.path == "$.proposal.submission"
    assert finding.line is not None


def test_on_time_submission_has_no_deadline_finding(tmp_path: Path, checker: Checker) -> None:
    result = check(tmp_path, checker, sound(), submission="2019-04-04T14:59:00Z")
    assert [f for f in result.findings if f.rule_id == "proposal-deadline"] == []


def test_deadline_day_date_is_a_warning(tmp_path: Path, checker: Checker) -> None:
    result = check(tmp_path, checker, sound(), submission="2019-04-04")
    finding = only(result, "proposal-deadline")
    assert finding.severity is Severity.WARNING
    assert "17:00" in finding.message  # names the hour to beat
    assert result.status is Status.ELIGIBLE


@pytest.mark.parametrize(
    ("day", "failing"), [("2019-04-03", []), ("2019-04-05", ["proposal-deadline"])]
)
def test_plain_dates_before_and_after(
    tmp_path: Path, checker: Checker, day: str, failing: list[str]
) -> None:
    result = check(tmp_path, checker, sound(), submission=day)
    assert errors(result) == failing
    assert [f.severity for f in result.findings if f.rule_id == "proposal-deadline"] == (
        [Severity.ERROR] if failing else []
    )


def test_naive_time_gives_an_info_finding(tmp_path: Path, checker: Checker) -> None:
    result = check(tmp_path, checker, sound(), submission="2019-04-04T16:30:00")
    finding = only(result, "proposal-deadline")
    assert finding.severity is Severity.INFO
    assert "Europe/Brussels" in finding.message
    assert result.status is Status.ELIGIBLE


def test_naive_late_time_gives_an_error_and_an_info(tmp_path: Path, checker: Checker) -> None:
    result = check(tmp_path, checker, sound(), submission="2019-04-04T17:30:00")
    severities = sorted(f.severity for f in result.findings if f.rule_id == "proposal-deadline")
    assert severities == [Severity.INFO, Severity.ERROR]


def test_no_submission_uses_the_check_time(tmp_path: Path) -> None:
    from datetime import datetime, timezone

    before = Checker(CheckOptions(at=datetime(2019, 3, 1, tzinfo=timezone.utc)))
    after = Checker(CheckOptions(at=datetime(2019, 4, 5, tzinfo=timezone.utc)))
    assert errors(check(tmp_path, before, sound(), submission=None)) == []
    result = check(tmp_path, after, sound(), submission=None)
    assert errors(result) == ["proposal-deadline"]
    assert "check time" in only(result, "proposal-deadline").message


def test_missing_duration_is_a_warning(tmp_path: Path, checker: Checker) -> None:
    result = check(tmp_path, checker, sound(), duration_months=None)
    finding = only(result, "proposal-duration")
    assert finding.severity is Severity.WARNING
    assert "duration_months" in finding.message
    assert "20 to 24" in finding.message


@pytest.mark.parametrize(
    ("months", "fails"), [(19, True), (20, False), (24, False), (25, True), (36, True)]
)
def test_duration(tmp_path: Path, checker: Checker, months: int, fails: bool) -> None:
    result = check(tmp_path, checker, sound(), duration_months=months)
    assert errors(result) == (["proposal-duration"] if fails else [])
    if fails:
        finding = only(result, "proposal-duration")
        assert f"{months} months" in finding.message
        assert finding.path == "$.proposal.duration_months"


def test_two_coordinators(tmp_path: Path, checker: Checker) -> None:
    members = sound()
    members[1]["role"] = "coordinator"
    result = check(tmp_path, checker, members)
    assert errors(result) == ["consortium-coordinator"]
    message = only(result, "consortium-coordinator").message
    assert "2 partners" in message
    assert "Distretto Agroalimentare Campania" in message
    assert "Food Cluster Bayern" in message


def test_no_coordinator(tmp_path: Path, checker: Checker) -> None:
    members = [{**p, "role": "partner"} for p in sound()]
    result = check(tmp_path, checker, members)
    assert errors(result) == ["consortium-coordinator"]
    assert "0 partners" in only(result, "consortium-coordinator").message


def test_uk_partner_the_consortium_would_still_meet_the_rules(
    tmp_path: Path, checker: Checker
) -> None:
    result = check(tmp_path, checker, [*sound(), partner("Cornwall Marine Network", "UK", "UKK3")])
    assert errors(result) == []
    finding = only(result, "applicant-uk")
    assert finding.severity is Severity.WARNING
    assert finding.partner == "Cornwall Marine Network"
    assert finding.path == "$.partners[3].country"
    assert "would still meet" in finding.message
    assert "would no longer meet" not in finding.message


def test_uk_partner_the_consortium_would_no_longer_meet_the_rules(
    tmp_path: Path, checker: Checker
) -> None:
    members = [
        partner("Distretto Agroalimentare Campania", "IT", "ITF3", role="coordinator"),
        partner("Food Cluster Bayern", "DE", "DE21"),
        partner("Scottish Food Cluster", "UK", "UKM3"),
    ]
    result = check(tmp_path, checker, members)
    assert errors(result) == []
    message = only(result, "applicant-uk").message
    assert "would no longer meet" in message
    assert "consortium-size" in message
    assert "consortium-countries" in message
    assert "consortium-region" not in message  # Campania stays


def test_uk_partner_carrying_the_region_rule(tmp_path: Path, checker: Checker) -> None:
    members = [*tri_regions(), partner("West Wales Cluster", "UK", "UKL1")]
    result = check(tmp_path, checker, members)
    assert errors(result) == []
    message = only(result, "applicant-uk").message
    assert "would no longer meet consortium-region" in message


def test_duplicate_partner(tmp_path: Path, checker: Checker) -> None:
    members = [*sound(), partner("distretto agroalimentare  CAMPANIA", "IT", "ITF3")]
    result = check(tmp_path, checker, members)
    assert errors(result) == ["consortium-duplicate"]
    finding = only(result, "consortium-duplicate")
    assert finding.partner == "distretto agroalimentare  CAMPANIA"
    assert finding.path == "$.partners[3].name"
    assert "Distretto Agroalimentare Campania (partner 1)" in finding.message


def test_max_grant_and_cofinancing(tmp_path: Path, checker: Checker) -> None:
    result = check(
        tmp_path,
        checker,
        sound(),
        budget={
            "eligible_costs_eur": 480000,
            "requested_grant_eur": 380000,
            "third_party_support_eur": 60000,
        },
    )
    assert errors(result) == ["proposal-cofinancing", "proposal-max-grant"]
    assert "EUR 20,000 over" in only(result, "proposal-max-grant").message
    cofinancing = only(result, "proposal-cofinancing").message
    assert "EUR 375,000" in cofinancing  # 0.75 * 420000 + 60000
    assert "EUR 5,000 over" in cofinancing


def test_one_cent_over_the_maximum(tmp_path: Path, checker: Checker) -> None:
    result = check(
        tmp_path,
        checker,
        sound(),
        budget={"eligible_costs_eur": 480000.02, "requested_grant_eur": 360000.01},
    )
    # 75 % of 480,000.02 is 360,000.015: the co-financing cap is met, the maximum is not.
    assert errors(result) == ["proposal-max-grant"]
    assert "EUR 0.01 over" in only(result, "proposal-max-grant").message


def test_budget_without_totals_warns(tmp_path: Path, checker: Checker) -> None:
    result = check(tmp_path, checker, sound(), budget=None)
    assert errors(result) == []
    assert only(result, "proposal-max-grant").severity is Severity.WARNING
    assert only(result, "proposal-cofinancing").severity is Severity.WARNING


def test_budget_consistency(tmp_path: Path, checker: Checker) -> None:
    members = sound()
    for member, requested in zip(members, [120000, 120000, 119999.99], strict=True):
        member["budget"] = {"requested_grant_eur": requested}
    result = check(tmp_path, checker, members)
    assert errors(result) == ["proposal-budget-consistency"]
    finding = only(result, "proposal-budget-consistency")
    assert "EUR 359,999.99" in finding.message
    assert finding.path == "$.proposal.budget"


def test_no_clusterxchange_is_a_warning(tmp_path: Path, checker: Checker) -> None:
    result = check(tmp_path, checker, sound(), clusterxchange=None)
    assert only(result, "proposal-clusterxchange").severity is Severity.WARNING
    assert result.status is Status.ELIGIBLE


@pytest.mark.parametrize(
    ("field", "rule"),
    [
        ("eccp", "applicant-eccp"),
        ("organisation_type", "applicant-type"),
        ("legal_entity", "applicant-legal-entity"),
    ],
)
def test_missing_partner_field_is_undetermined_and_the_partner_counts(
    tmp_path: Path, checker: Checker, field: str, rule: str
) -> None:
    members = sound()
    del members[2][field]
    result = check(tmp_path, checker, members)
    assert errors(result) == []
    finding = only(result, rule)
    assert finding.severity is Severity.WARNING
    assert finding.partner == "Catalonia Food Cluster"
    assert f"`{field}" in finding.message
    assert result.facts is not None
    assert result.facts["eligible_entity_count"] == 3
    assert result.facts["eligible_country_count"] == 3


@pytest.mark.parametrize(
    ("fields", "rule"),
    [
        ({"eccp": "none"}, "applicant-eccp"),
        ({"organisation_type": "other"}, "applicant-type"),
        ({"legal_entity": False}, "applicant-legal-entity"),
    ],
)
def test_failed_partner_field_is_an_error_and_the_partner_does_not_count(
    tmp_path: Path, checker: Checker, fields: dict[str, Any], rule: str
) -> None:
    members = sound()
    members[2].update(fields)
    result = check(tmp_path, checker, members)
    assert errors(result) == sorted([rule, "consortium-countries", "consortium-size"])
    finding = only(result, rule)
    assert finding.partner == "Catalonia Food Cluster"
    assert finding.path == f"$.partners[2].{next(iter(fields))}"


# Selection, order and exit codes --------------------------------------------------------------


def _messy() -> list[dict[str, Any]]:
    return [*tri_regions(), partner("Welsh Cluster", "UK", "UKL2")]


def test_select_keeps_only_that_rule(tmp_path: Path) -> None:
    path = write(tmp_path, consortium(_messy(), duration_months=None, budget=BUDGET))
    everything = Checker(CheckOptions()).check_file(path)
    assert len({f.rule_id for f in everything.findings}) > 1
    selected = Checker(CheckOptions(select=("consortium-region",))).check_file(path)
    assert [f.rule_id for f in selected.findings] == ["consortium-region"]


def test_ignore_a_rule(tmp_path: Path) -> None:
    path = write(tmp_path, consortium(_messy(), duration_months=None, budget=BUDGET))
    result = Checker(CheckOptions(ignore=("consortium-region",))).check_file(path)
    ids = {f.rule_id for f in result.findings}
    assert "consortium-region" not in ids
    assert {"proposal-duration", "applicant-uk"} <= ids


@pytest.mark.parametrize("pack_id", [CALL, CALL.lower()])
def test_ignore_by_pack_id_drops_everything(tmp_path: Path, pack_id: str) -> None:
    path = write(tmp_path, consortium(_messy(), duration_months=None, budget=BUDGET))
    result = Checker(CheckOptions(ignore=(pack_id,))).check_file(path)
    assert result.findings == ()
    assert result.status is Status.ELIGIBLE


@pytest.mark.parametrize(
    "options",
    [
        CheckOptions(select=("consortium-regions",)),
        CheckOptions(ignore=("no-such-rule",)),
        CheckOptions(select=("consortium-region",), ignore=("max-partners-typo",)),
    ],
)
def test_unknown_rule_in_select_or_ignore_is_a_usage_error(options: CheckOptions) -> None:
    with pytest.raises(UsageError, match="unknown rule"):
        Checker(options)


def test_findings_are_sorted_worst_first(tmp_path: Path, checker: Checker) -> None:
    result = check(
        tmp_path,
        checker,
        _messy(),
        duration_months=None,
        clusterxchange=None,
        submission="2019-04-04T16:30:00",  # naive: an info finding
        budget={"eligible_costs_eur": 480000, "requested_grant_eur": 400000},
    )
    severities = [f.severity for f in result.findings]
    assert set(severities) == {Severity.ERROR, Severity.WARNING, Severity.INFO}
    assert severities == sorted(severities, reverse=True)
    for severity in Severity:
        lines = [f.line or 0 for f in result.findings if f.severity is severity]
        assert lines == sorted(lines)


def _result(tmp_path: Path, checker: Checker, **proposal: Any) -> FileResult:
    return check(tmp_path, checker, sound(), **proposal)


def test_exit_code_with_warnings_only(tmp_path: Path, checker: Checker) -> None:
    result = _result(tmp_path, checker, duration_months=None)
    assert {f.severity for f in result.findings} == {Severity.WARNING}
    assert Report((result,)).exit_code() == 0
    assert Report((result,), fail_on=Severity.WARNING).exit_code() == 1
    assert Report((result,)).exit_code(Severity.WARNING) == 1
    assert Report((result,), fail_on=Severity.WARNING).exit_code(Severity.ERROR) == 0


def test_exit_code_with_an_error(tmp_path: Path, checker: Checker) -> None:
    result = _result(tmp_path, checker, duration_months=36)
    assert Report((result,)).exit_code() == 1
    assert Report((result,), fail_on=Severity.WARNING).exit_code() == 1


def test_exit_code_clean(tmp_path: Path, checker: Checker) -> None:
    result = _result(tmp_path, checker)
    assert result.findings == ()
    assert Report((result,), fail_on=Severity.INFO).exit_code() == 0


def test_exit_code_with_a_load_error(tmp_path: Path, checker: Checker) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("proposal: [unclosed\n", "utf-8")
    bad = checker.check_file(broken)
    assert bad.load_errors
    good = _result(tmp_path, checker, duration_months=36)
    assert Report((good, bad)).exit_code() == 2


# Fixed bugs, kept as regression tests ---------------------------------------------------------


@pytest.mark.parametrize("field", ["select", "ignore"])
def test_rule_ids_in_another_case_are_refused_or_matched(tmp_path: Path, field: str) -> None:
    path = write(tmp_path, consortium(tri_regions(), budget=BUDGET))
    ids = ("CONSORTIUM-REGION",)
    options = CheckOptions(select=ids) if field == "select" else CheckOptions(ignore=ids)
    try:
        result = Checker(options).check_file(path)
    except UsageError:
        return  # refusing the id is correct too
    found = [f.rule_id for f in result.findings]
    assert found == (["consortium-region"] if field == "select" else [])


def test_a_closed_call_is_reported_as_closed(tmp_path: Path) -> None:
    from datetime import datetime, timezone

    checker = Checker(CheckOptions(at=datetime(2024, 1, 1, tzinfo=timezone.utc)))
    result = check(tmp_path, checker, sound(), submission=None)
    finding = only(result, "proposal-deadline")
    assert finding.severity is Severity.ERROR
    assert "closed" in finding.message


def test_half_a_cent_over_the_cofinancing_cap_fails(tmp_path: Path, checker: Checker) -> None:
    result = check(
        tmp_path,
        checker,
        sound(),
        budget={"eligible_costs_eur": 400000.02, "requested_grant_eur": 300000.02},
    )
    assert errors(result) == ["proposal-cofinancing"]


def test_region_rule_names_partners_without_a_region(tmp_path: Path, checker: Checker) -> None:
    members = tri_regions()
    del members[0]["region"]  # an Italian partner: the country alone does not decide
    result = check(tmp_path, checker, members)
    assert errors(result) == ["consortium-region"]
    message = only(result, "consortium-region").message
    assert "Lombardy Advanced Materials Cluster" in message
    assert "add `region`" in message


def test_region_rule_met_by_the_country_alone(tmp_path: Path, checker: Checker) -> None:
    members = [*tri_regions()[:2], partner("Estonian Materials Cluster", "Estonia")]
    result = check(tmp_path, checker, members)
    assert errors(result) == []


def test_missing_country_is_undetermined(tmp_path: Path, checker: Checker) -> None:
    members = [*sound(), partner("Cluster Without Address", "XX")]
    del members[3]["country"]
    result = check(tmp_path, checker, members)
    assert errors(result) == []
    finding = only(result, "applicant-country")
    assert finding.severity is Severity.WARNING
    assert finding.partner == "Cluster Without Address"
    assert "`country`" in finding.message
