"""Derived facts, through the library: what cosmecheck works out from a consortium file.

Each test writes a small consortium file in tmp_path and reads ``FileResult.facts`` (the same
facts ``cosmecheck facts`` prints): country standing on the deadline, region categories,
legal identity, the deadline, the budget and the consortium counts.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from builders import CALL, ON_TIME, check, partner
from cosmecheck.checker import Checker
from cosmecheck.model import CheckOptions


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(CheckOptions())


def facts(tmp_path: Path, checker: Checker, partners: list[dict[str, Any]], **proposal: Any) -> Any:
    """The facts of a consortium file written from ``partners`` and ``proposal`` fields."""
    result = check(tmp_path, checker, partners, **proposal)
    assert result.facts is not None
    return result.facts


def three() -> list[dict[str, Any]]:
    """Three eligible partners in three countries, one in a less developed region."""
    return [
        partner("Cluster Bio Lombardia", "IT", "ITC4", pic="999999991"),
        partner("Pannon Klaszter", "HU", "HU22", pic="999999992"),
        partner("Bioeconomy Cluster NRW", "DE", "DEA1", pic="999999993"),
    ]


# Countries: standing on the deadline ----------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "eligible", "groups", "standing"),
    [
        ("UK", True, ["eu"], "an EU Member State"),
        ("United Kingdom", True, ["eu"], "an EU Member State"),
        ("IT", True, ["eu"], "an EU Member State"),
        ("HR", True, ["eu"], "an EU Member State"),
        ("XK", True, ["COSME"], "a COSME participating country"),
        ("Kosovo", True, ["COSME"], "a COSME participating country"),
        ("BA", True, ["COSME"], "a COSME participating country"),
        ("RS", True, ["COSME"], "a COSME participating country"),
        ("TR", True, ["COSME"], "a COSME participating country"),
        ("UA", True, ["COSME"], "a COSME participating country"),
        ("NO", False, [], "neither an EU Member State nor a COSME participating country"),
        ("CH", False, [], "neither an EU Member State nor a COSME participating country"),
        ("LI", False, [], "neither an EU Member State nor a COSME participating country"),
        ("US", False, [], "neither an EU Member State nor a COSME participating country"),
        ("GE", False, [], "neither an EU Member State nor a COSME participating country"),
        ("IL", False, [], "neither an EU Member State nor a COSME participating country"),
        ("TN", False, [], "neither an EU Member State nor a COSME participating country"),
    ],
)
def test_country_standing_on_the_deadline(
    tmp_path: Path,
    checker: Checker,
    country: str,
    eligible: bool,
    groups: list[str],
    standing: str,
) -> None:
    found = facts(tmp_path, checker, [partner("Some Cluster", country)])["partners"][0]
    assert found["country_eligible"] is eligible
    assert found["country_groups"] == groups
    assert found["country_standing"] == standing


@pytest.mark.parametrize(
    ("written", "code", "name"),
    [
        ("UK", "UK", "United Kingdom"),
        ("GB", "UK", "United Kingdom"),
        ("GR", "EL", "Greece"),
        ("EL", "EL", "Greece"),
        ("XK", "XK", "Kosovo"),
        ("Paesi Bassi", "NL", "Netherlands"),
        ("Germania", "DE", "Germany"),
        ("PRT", "PT", "Portugal"),
        ("  norway ", "NO", "Norway"),
    ],
)
def test_countries_are_resolved_to_eu_codes(
    tmp_path: Path, checker: Checker, written: str, code: str, name: str
) -> None:
    found = facts(tmp_path, checker, [partner("Some Cluster", written)])["partners"][0]
    assert (found["country"], found["country_name"]) == (code, name)


def test_call_facts_name_the_reference_date_and_deadline(tmp_path: Path, checker: Checker) -> None:
    call = facts(tmp_path, checker, three())["call"]
    assert call["id"] == CALL
    assert call["reference_date"] == "2019-04-04"
    assert call["timezone"] == "Europe/Brussels"
    assert datetime.fromisoformat(call["deadline"]) == datetime(
        2019, 4, 4, 15, 0, tzinfo=timezone.utc
    )


# Regions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "region", "code", "category"),
    [
        ("HU", "HU22", "HU22", "less_developed"),
        ("IT", "ITF1", "ITF1", "transition"),
        ("IT", "ITC4", "ITC4", "more_developed"),
        ("IT", "itc4c", "ITC4", "more_developed"),  # NUTS 3, lower case
        ("IT", "ITF33", "ITF3", "less_developed"),  # NUTS 3 in Campania
        ("EL", "GR11", "EL51", "less_developed"),  # NUTS 2006
        ("EL", "EL11", "EL51", "less_developed"),  # NUTS 2010
        ("FR", "FRY1", "FRA1", "less_developed"),  # NUTS 2016
        ("FR", "FR91", "FRA1", "less_developed"),  # NUTS 2006/2010
        ("PL", "PL71", "PL11", "less_developed"),  # NUTS 2016
        ("UK", "UKD5", "UKD7", "transition"),  # NUTS 2006/2010
        ("UK", "UKL1", "UKL1", "less_developed"),
        ("DE", "DED2", "DED2", "transition"),
        ("DE", "DE21", "DE21", "more_developed"),
        ("ES", "ES43", "ES43", "less_developed"),
        ("ES", "ES51", "ES51", "more_developed"),
        ("PT", "PT11", "PT11", "less_developed"),
        ("NL", "NL41", "NL41", "more_developed"),
    ],
)
def test_region_category(
    tmp_path: Path, checker: Checker, country: str, region: str, code: str, category: str
) -> None:
    found = facts(tmp_path, checker, [partner("Some Cluster", country, region)])["partners"][0]
    assert found["region"] == code
    assert found["region_category"] == category


@pytest.mark.parametrize(
    ("country", "category"),
    [
        ("EE", "less_developed"),  # every region of Estonia (one) is less developed
        ("LV", "less_developed"),
        ("LT", "less_developed"),
        ("HR", "less_developed"),
        ("BG", "less_developed"),
        ("MT", "transition"),
        ("NL", "more_developed"),  # no Dutch region is listed
        ("LU", "more_developed"),
        ("IT", "unknown"),  # Italian regions differ: the region is needed
        ("DE", "unknown"),
        ("UK", "unknown"),
        ("RS", "none"),  # outside the EU: no cohesion-policy category
        ("XK", "none"),
        ("NO", "none"),
    ],
)
def test_region_category_without_region(
    tmp_path: Path, checker: Checker, country: str, category: str
) -> None:
    found = facts(tmp_path, checker, [partner("Some Cluster", country)])["partners"][0]
    assert "region" not in found
    assert found["region_category"] == category


def test_region_from_country_is_said_so(tmp_path: Path, checker: Checker) -> None:
    found = facts(tmp_path, checker, [partner("Estonian Cluster", "EE")])["partners"][0]
    assert found["region_category_from"] == "country"


def test_a_listed_region_carries_its_name_and_status(tmp_path: Path, checker: Checker) -> None:
    found = facts(tmp_path, checker, [partner("Campania Cluster", "IT", "ITF3")])["partners"][0]
    assert found["region_name"] == "Campania"
    assert found["region_status"] == "confirmed"
    assert found["region_listed"] is True


# Identity of legal entities ------------------------------------------------------------------


def test_same_pic_different_names_is_one_entity(tmp_path: Path, checker: Checker) -> None:
    found = facts(
        tmp_path,
        checker,
        [
            partner("Cluster Bio Lombardia", "IT", "ITC4", pic="999999991"),
            partner("Pannon Klaszter", "HU", "HU22", pic="999999992"),
            partner("CBL - Lombardy Bioeconomy", "IT", "ITC4", pic="999999991"),
        ],
    )
    first, second, third = found["partners"]
    assert third["entity"] == first["entity"] == 1
    assert second["entity"] == 2
    assert first["duplicate_of"] is None
    assert third["duplicate_of"] == "Cluster Bio Lombardia (partner 1)"
    assert third["duplicate_reason"] == "same PIC 999999991"
    assert found["eligible_entity_count"] == 2
    assert found["eligible_entities"] == ["Cluster Bio Lombardia", "Pannon Klaszter"]


def test_unquoted_pic_is_the_same_pic(tmp_path: Path, checker: Checker) -> None:
    text = f"""\
call: {CALL}
proposal: {{acronym: PICS, duration_months: 24, submission: "{ON_TIME}"}}
partners:
  - {{name: Alpha Cluster, role: coordinator, country: IT, region: ITF3, pic: 912345678,
      organisation_type: cluster_organisation, legal_entity: true, eccp: registered}}
  - {{name: Alpha Cluster Association, country: IT, region: ITF3, pic: "912345678",
      organisation_type: cluster_organisation, legal_entity: true, eccp: registered}}
"""
    path = tmp_path / "pics.yaml"
    path.write_text(text, "utf-8")
    result = checker.check_file(path)
    assert not result.load_errors
    assert result.facts is not None
    assert result.facts["partners"][1]["duplicate_of"] == "Alpha Cluster (partner 1)"


@pytest.mark.parametrize(
    "other",
    [
        "cluster bio lombardia",
        "CLUSTER BIO LOMBARDIA",
        "  Cluster   Bio  Lombardia ",
        "Cluster\tBio Lombardia",
    ],
)
def test_same_name_without_pic_is_one_entity(tmp_path: Path, checker: Checker, other: str) -> None:
    found = facts(
        tmp_path,
        checker,
        [
            partner("Cluster Bio Lombardia", "IT", "ITF3"),
            partner("Pannon Klaszter", "HU", "HU22"),
            partner(other, "IT", "ITF3"),
        ],
    )
    third = found["partners"][2]
    assert third["entity"] == 1
    assert third["duplicate_of"] == "Cluster Bio Lombardia (partner 1)"
    assert third["duplicate_reason"] == "same name"
    assert found["eligible_entity_count"] == 2


def test_same_name_with_two_different_pics_is_two_entities(
    tmp_path: Path, checker: Checker
) -> None:
    found = facts(
        tmp_path,
        checker,
        [
            partner("Automotive Cluster", "DE", "DED2", pic="911111111"),
            partner("Automotive Cluster", "AT", "AT11", pic="922222222"),
            partner("Pannon Klaszter", "HU", "HU22"),
        ],
    )
    first, second, _ = found["partners"]
    assert (first["entity"], second["entity"]) == (1, 2)
    assert second["duplicate_of"] is None
    assert found["eligible_entity_count"] == 3


def test_different_names_without_pic_are_different_entities(
    tmp_path: Path, checker: Checker
) -> None:
    found = facts(tmp_path, checker, [partner(f"Cluster {n}", "IT", "ITF3") for n in "ABC"])
    assert [p["entity"] for p in found["partners"]] == [1, 2, 3]
    assert found["eligible_entity_count"] == 3


# The deadline --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("submission", "status", "difference"),
    [
        ("2019-04-04T16:30:00+01:00", "late", "30 min late"),  # London time: 15:30 UTC
        ("2019-04-04T14:59:00Z", "on_time", "1 min before the deadline"),
        ("2019-04-04T17:00:00+02:00", "on_time", "exactly on time"),
        ("2019-04-04T15:00:01Z", "late", "1 s late"),
        ("2019-04-04T18:12:00+02:00", "late", "1 h 12 min late"),
        ("2019-04-01T17:00:00+02:00", "on_time", "3 days before the deadline"),
        ("2019-04-03", "on_time", "at least 17 h before the deadline"),
        ("2019-04-05", "late", "at least 7 h late"),
    ],
)
def test_deadline_status(
    tmp_path: Path, checker: Checker, submission: str, status: str, difference: str
) -> None:
    deadline = facts(tmp_path, checker, three(), submission=submission)["deadline"]
    assert deadline["source"] == "file"
    assert deadline["status"] == status
    assert deadline["difference"] == difference


def test_deadline_day_date_is_undetermined(tmp_path: Path, checker: Checker) -> None:
    deadline = facts(tmp_path, checker, three(), submission="2019-04-04")["deadline"]
    assert deadline["status"] == "deadline_day"
    assert "17:00 Europe/Brussels" in deadline["deadline_text"]


@pytest.mark.parametrize(
    ("submission", "status", "difference"),
    [
        ("2019-04-04T16:30:00", "on_time", "30 min before the deadline"),  # 14:30 UTC
        ("2019-04-04T17:30:00", "late", "30 min late"),
    ],
)
def test_naive_time_is_read_in_brussels(
    tmp_path: Path, checker: Checker, submission: str, status: str, difference: str
) -> None:
    deadline = facts(tmp_path, checker, three(), submission=submission)["deadline"]
    assert deadline["offset_given"] is False
    assert deadline["assumed_timezone"] == "Europe/Brussels"
    assert (deadline["status"], deadline["difference"]) == (status, difference)


def test_time_with_offset_says_so(tmp_path: Path, checker: Checker) -> None:
    deadline = facts(tmp_path, checker, three(), submission="2019-04-04T12:00:00+02:00")["deadline"]
    assert deadline["offset_given"] is True
    assert deadline["assumed_timezone"] is None


@pytest.mark.parametrize(
    ("at", "status", "difference"),
    [
        (datetime(2019, 4, 1, 15, 0, tzinfo=timezone.utc), "on_time", "3 days before"),
        (datetime(2019, 4, 4, 17, 0), "on_time", "exactly on time"),  # naive: Brussels
        (datetime(2019, 4, 4, 17, 1), "late", "1 min late"),
        (datetime(2019, 4, 4, 15, 1, tzinfo=timezone.utc), "late", "1 min late"),
        (date(2019, 3, 1), "on_time", "before the deadline"),
        (datetime(2024, 1, 1, tzinfo=timezone.utc), "late", "days late"),
    ],
)
def test_without_submission_the_check_time_is_used(
    tmp_path: Path, at: datetime | date, status: str, difference: str
) -> None:
    checker = Checker(CheckOptions(at=at))
    deadline = facts(tmp_path, checker, three(), submission=None)["deadline"]
    assert deadline["source"] == "check_time"
    assert deadline["status"] == status
    assert difference in deadline["difference"]


def test_without_submission_or_at_a_closed_call_is_late(tmp_path: Path, checker: Checker) -> None:
    deadline = facts(tmp_path, checker, three(), submission=None)["deadline"]
    assert deadline["source"] == "check_time"
    assert deadline["status"] == "late"


# The budget ----------------------------------------------------------------------------------


def _budget(eligible: float, requested: float, support: float | None = None) -> dict[str, Any]:
    amounts = {"eligible_costs_eur": eligible, "requested_grant_eur": requested}
    return amounts if support is None else {**amounts, "third_party_support_eur": support}


@pytest.mark.parametrize(
    ("budget", "expected"),
    [
        pytest.param(
            _budget(480000, 360000, 120000),
            {
                "cofinanced_costs_eur": 360000,
                "cofinancing_support_eur": 120000,
                "cofinancing_cap_eur": 390000,  # 0.75 * 360000 + 120000
                "over_cofinancing_cap_eur": 0,
                "over_max_grant_eur": 0,
            },
            id="at-the-caps",
        ),
        pytest.param(
            _budget(400000, 310000),
            {"cofinancing_cap_eur": 300000, "over_cofinancing_cap_eur": 10000},
            id="no-third-party-support",
        ),
        pytest.param(
            _budget(480000, 400000, 120000),
            {"over_cofinancing_cap_eur": 10000, "over_max_grant_eur": 40000},
            id="over-the-caps",
        ),
        pytest.param(
            _budget(100000, 150000, 120000),
            {"third_party_support_over_eligible_eur": 20000, "requested_over_eligible_eur": 50000},
            id="support-and-request-over-eligible",
        ),
    ],
)
def test_budget_caps(
    tmp_path: Path, checker: Checker, budget: dict[str, Any], expected: dict[str, Any]
) -> None:
    found = facts(tmp_path, checker, three(), budget=budget)["budget"]
    assert {key: found[key] for key in expected} == expected


def test_totals_from_partner_budgets(tmp_path: Path, checker: Checker) -> None:
    members = three()
    amounts = [(160000, 120000, 40000), (160000, 120000, 40000), (160000.5, 119999.5, 40000)]
    for member, (eligible, requested, support) in zip(members, amounts, strict=True):
        member["budget"] = {
            "eligible_costs_eur": eligible,
            "requested_grant_eur": requested,
            "third_party_support_eur": support,
        }
    budget = facts(tmp_path, checker, members)["budget"]
    assert budget["eligible_costs_eur"] == 480000.5
    assert budget["requested_grant_eur"] == 359999.5
    assert budget["third_party_support_eur"] == 120000
    assert budget["partner_sum_mismatches"] == []
    assert budget["cofinancing_cap_eur"] == 390000.375  # 0.75 * 360000.5 + 120000, exact


def test_no_budget_at_all(tmp_path: Path, checker: Checker) -> None:
    budget = facts(tmp_path, checker, three())["budget"]
    assert "requested_grant_eur" not in budget
    assert "eligible_costs_eur" not in budget
    assert "cofinancing_cap_eur" not in budget
    assert budget["partner_sum_mismatches"] == []


def test_mismatch_to_the_cent(tmp_path: Path, checker: Checker) -> None:
    members = three()
    for member, requested in zip(members, [120000, 120000, 119999.99], strict=True):
        member["budget"] = {"requested_grant_eur": requested}
    budget = facts(
        tmp_path,
        checker,
        members,
        budget={"eligible_costs_eur": 480000, "requested_grant_eur": 360000},
    )["budget"]
    assert budget["requested_grant_eur"] == 360000  # the proposal's total is used
    [mismatch] = budget["partner_sum_mismatches"]
    assert mismatch.startswith("requested_grant_eur")
    assert "EUR 359,999.99" in mismatch
    assert "EUR 360,000" in mismatch


def test_decimal_sums_match_exactly(tmp_path: Path, checker: Checker) -> None:
    """0.1 + 0.2 is 0.3 in euro: sums are exact, not binary floating point."""
    members = three()
    for member, requested in zip(members, [100000.1, 100000.2, 100000], strict=True):
        member["budget"] = {"requested_grant_eur": requested}
    budget = facts(
        tmp_path,
        checker,
        members,
        budget={"eligible_costs_eur": 480000, "requested_grant_eur": 300000.3},
    )["budget"]
    assert budget["partner_sum_mismatches"] == []


def test_mismatch_names_partners_without_the_amount(tmp_path: Path, checker: Checker) -> None:
    members = three()
    members[0]["budget"] = {"eligible_costs_eur": 200000}
    members[1]["budget"] = {"eligible_costs_eur": 200000}
    budget = facts(
        tmp_path,
        checker,
        members,
        budget={"eligible_costs_eur": 480000, "requested_grant_eur": 300000},
    )["budget"]
    [mismatch] = budget["partner_sum_mismatches"]
    assert mismatch.startswith("eligible_costs_eur")
    assert "1 partner(s) without it" in mismatch


# The consortium ------------------------------------------------------------------------------


def test_ineligible_partners_are_not_counted(tmp_path: Path, checker: Checker) -> None:
    found = facts(
        tmp_path,
        checker,
        [
            partner("Distretto Blue Italy", "IT", "ITF4"),
            partner("Norwegian Ocean Cluster", "NO"),
            partner("Vojvodina Maritime Cluster", "RS"),
        ],
    )
    assert found["partner_count"] == 3
    assert found["eligible_entity_count"] == 2
    assert found["eligible_entities"] == ["Distretto Blue Italy", "Vojvodina Maritime Cluster"]
    assert found["eligible_country_count"] == 2
    assert found["eligible_countries"] == ["IT", "RS"]
    assert found["eligible_country_names"] == ["Italy", "Serbia"]
    assert found["not_counted"] == ["Norwegian Ocean Cluster (applicant-country)"]
    norwegian = found["partners"][1]
    assert norwegian["eligible"] is False
    assert norwegian["failed_rules"] == ["applicant-country"]


def test_not_counted_names_every_failed_rule(tmp_path: Path, checker: Checker) -> None:
    found = facts(
        tmp_path,
        checker,
        [
            *three(),
            partner(
                "Regional Development Agency",
                "PL",
                "PL21",
                organisation_type="other",
                eccp="none",
                legal_entity=False,
            ),
        ],
    )
    [entry] = found["not_counted"]
    assert entry.startswith("Regional Development Agency (")
    for rule in ("applicant-type", "applicant-eccp", "applicant-legal-entity"):
        assert rule in entry
    assert sorted(found["partners"][3]["failed_rules"]) == [
        "applicant-eccp",
        "applicant-legal-entity",
        "applicant-type",
    ]
    assert found["eligible_entity_count"] == 3
    # The Polish partner's less developed region does not count either.
    assert found["region"]["qualifying_count"] == 1
    assert "PL" not in found["eligible_countries"]


def test_an_ineligible_partner_in_a_qualifying_region_does_not_count(
    tmp_path: Path, checker: Checker
) -> None:
    found = facts(
        tmp_path,
        checker,
        [
            partner("Lombardy Cluster", "IT", "ITC4"),
            partner("Bayern Network", "DE", "DE21"),
            partner("Catalan Cluster", "ES", "ES51"),
            partner("Campania Chamber", "IT", "ITF3", organisation_type="other"),
        ],
    )
    assert found["region"]["qualifying_count"] == 0
    assert found["region"]["qualifying"] == []
    assert found["region"]["suggestions"]


def test_countries_are_counted_once(tmp_path: Path, checker: Checker) -> None:
    found = facts(
        tmp_path,
        checker,
        [
            partner("Cluster A", "IT", "ITF3"),
            partner("Cluster B", "Italia", "ITC4"),
            partner("Cluster C", "Italy", "ITF1"),
            partner("Cluster D", "DE", "DE21"),
        ],
    )
    assert found["eligible_entity_count"] == 4
    assert found["eligible_country_count"] == 2
    assert found["eligible_countries"] == ["IT", "DE"]


def test_qualifying_regions_and_unknown_ones(tmp_path: Path, checker: Checker) -> None:
    found = facts(
        tmp_path,
        checker,
        [
            partner("Pannon Klaszter", "HU", "HU22"),
            partner("Estonian Cluster", "EE"),
            partner("Italian Cluster", "IT"),
            partner("Dutch Cluster", "NL"),
            partner("Serbian Cluster", "RS"),
        ],
    )
    region = found["region"]
    assert region["qualifying_count"] == 2
    assert region["qualifying"][0] == "Pannon Klaszter (Nyugat-Dunántúl, less developed)"
    assert region["qualifying"][1].startswith("Estonian Cluster (")
    assert region["unknown"] == ["Italian Cluster"]
    assert "Italian Cluster" in region["unknown_note"]
    assert "region" in region["unknown_note"]
    assert "suggestions" not in region


def test_coordinators_are_counted(tmp_path: Path, checker: Checker) -> None:
    members = three()
    members[0]["role"] = "coordinator"
    members[2]["role"] = "coordinator"
    found = facts(tmp_path, checker, members)
    assert found["coordinator_count"] == 2
    assert found["coordinators"] == ["Cluster Bio Lombardia", "Bioeconomy Cluster NRW"]
    assert [p["role"] for p in found["partners"]] == ["coordinator", "partner", "coordinator"]


def test_without_uk_scenario_applies_only_with_uk_partners(
    tmp_path: Path, checker: Checker
) -> None:
    assert facts(tmp_path, checker, three())["scenarios"]["without_uk"]["applies"] is False
    scenario = facts(tmp_path, checker, [*three(), partner("Welsh Cluster", "UK", "UKL1")])[
        "scenarios"
    ]["without_uk"]
    assert scenario["applies"] is True
    assert scenario["excluded"] == ["Welsh Cluster"]
    assert scenario["failing_rules"] == []
