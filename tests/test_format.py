"""The consortium file format: structure, countries, regions, money, times, and its messages."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest

from cosmecheck.consortium import Consortium, read
from cosmecheck.errors import LoadError
from cosmecheck.loader import parse
from cosmecheck.model import LoadProblem
from cosmecheck.times import parse_time

HEAD = "proposal:\n  acronym: BIO4X\npartners:\n  - name: Cluster Bio Lombardia\n"
"""A minimal valid file; a line appended to it belongs to partner 1 (line 5 onwards)."""


def load(text: str) -> Consortium:
    return read(parse(text))


def problems(text: str) -> list[LoadProblem]:
    with pytest.raises(LoadError) as info:
        load(text)
    assert info.value.problems, "a LoadError without problems"
    return info.value.problems


def problem(text: str) -> LoadProblem:
    """The single problem ``text`` has."""
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


def where(found: LoadProblem) -> tuple[int | None, int | None]:
    return found.line, found.column


def test_minimal_file_is_read() -> None:
    consortium = load(HEAD)
    assert consortium.acronym == "BIO4X"
    assert consortium.call is None
    assert consortium.partners == [{"name": "Cluster Bio Lombardia"}]
    assert consortium.countries == (None,)
    assert consortium.regions == (None,)
    assert consortium.submission is None


def test_full_file_is_read() -> None:
    text = """\
cosmecheck: 1
call: ' COS-CLUSTER-2018-03-02 '
proposal:
  acronym: ' BIO4X '
  title: Cluster excellence
  duration_months: 24
  submission: 2019-04-03T16:30:00+02:00
  budget:
    eligible_costs_eur: 480000
    requested_grant_eur: 360000.50
    third_party_support_eur: 0
  clusterxchange:
    planned_exchanges: 50
partners:
  - name: Cluster Bio Lombardia
    short_name: CBL
    role: coordinator
    country: IT
    region: ITC4
    city: Milano
    organisation_type: cluster_organisation
    legal_entity: true
    eccp: registered
    pic: "999999999"
    budget:
      eligible_costs_eur: 120000
"""
    consortium = load(text)
    assert consortium.call == "COS-CLUSTER-2018-03-02"
    assert consortium.acronym == "BIO4X"
    assert consortium.countries == ("IT",)
    assert consortium.regions == ("ITC4",)
    assert consortium.submission == datetime(2019, 4, 3, 14, 30, tzinfo=timezone.utc)
    assert consortium.partners[0]["pic"] == "999999999"


# --- The shape of the file -------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n...\n", "~\n"], ids=str.strip)
def test_empty_file(text: str) -> None:
    found = problem(text)
    assert "the file is empty" in found.message
    assert "`proposal` and `partners`" in found.message
    assert "cosmecheck init" in found.message
    assert where(found) == (1, 1)


@pytest.mark.parametrize(
    ("text", "kind", "position"),
    [
        ("- name: A\n- name: B\n", "a list", (1, 1)),
        ("# top\n\n[IT, DE]\n", "a list", (3, 1)),
        ("hello\n", "a single value (str)", (1, 1)),
        ("# a comment\n42\n", "a single value (int)", (2, 1)),
    ],
    ids=["block-list", "flow-list", "string", "number"],
)
def test_file_that_is_not_a_mapping(text: str, kind: str, position: tuple[int, int]) -> None:
    found = problem(text)
    assert f"the file holds {kind}" in found.message
    assert "a consortium file is a mapping with `proposal` and `partners`" in found.message
    assert where(found) == position


@pytest.mark.parametrize(
    ("value", "shown"),
    [("2", "2"), ("'1'", "'1'"), ("true", "True"), ("1.1", "1.1"), ("~", "None")],
    ids=["two", "text", "bool", "decimal", "null"],
)
def test_unsupported_format_version(value: str, shown: str) -> None:
    found = problem(f"call: X\ncosmecheck: {value}\n" + HEAD + "    colour: red\n")
    assert f"format version {shown} is not supported" in found.message
    assert "reads version 1" in found.message
    assert "`cosmecheck: 1`" in found.message
    # Reported alone: the rest of a file of another version is not judged by version 1.
    assert where(found) == (2, 13)


def test_format_version_1_is_accepted() -> None:
    assert load("cosmecheck: 1\n" + HEAD).acronym == "BIO4X"


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("# c\npartners:\n  - name: A\n", "the file has no `proposal`: add it", (2, 1)),
        ("proposal:\n  acronym: X\n", "the file has no `partners`: add it", (1, 1)),
        (
            "partners:\n  - name: A\nproposal:\n  title: T\n",
            "`proposal` has no `acronym`: add it",
            (3, 1),
        ),
        (
            "proposal:\n  acronym: X\npartners:\n  - name: A\n  - country: IT\n    role: partner\n",
            "partner 2 has no `name`: add it",
            (5, 5),
        ),
    ],
    ids=["proposal", "partners", "acronym", "partner-name"],
)
def test_missing_required_key(text: str, message: str, position: tuple[int, int]) -> None:
    found = problem(text)
    assert found.message == message
    assert where(found) == position


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        (
            HEAD + "    organisaton_type: other\n",
            "unknown key `organisaton_type` in partner 1 (Cluster Bio Lombardia) "
            "(did you mean `organisation_type`?)",
            (5, 5),
        ),
        (
            "proposal:\n  acronym: X\n  budjet: {}\npartners: []\n",
            "unknown key `budjet` in `proposal` (did you mean `budget`?)",
            (3, 3),
        ),
        (
            HEAD + "    budget:\n      eligible_cost_eur: 1\n",
            "did you mean `eligible_costs_eur`?",
            (6, 7),
        ),
        ("calll: X\n" + HEAD, "unknown key `calll` in the file (did you mean `call`?)", (1, 1)),
        (
            HEAD + "    zzz: 1\n",
            "unknown key `zzz` in partner 1 (Cluster Bio Lombardia) (known: ",
            (5, 5),
        ),
    ],
    ids=["partner", "proposal", "budget", "top-level", "no-close-match"],
)
def test_unknown_key(text: str, message: str, position: tuple[int, int]) -> None:
    found = problem(text)
    assert message in found.message
    assert where(found) == position


def test_unknown_key_lists_the_known_ones_when_nothing_is_close() -> None:
    found = problem(HEAD + "    zzz: 1\n")
    for key in ("name", "country", "region", "pic", "budget"):
        assert key in found.message


@pytest.mark.parametrize(
    ("line", "message", "position"),
    [
        (
            "role: cordinator",
            "partner 1 (Cluster Bio Lombardia), `role` must be one of coordinator, partner, "
            "not 'cordinator'; did you mean coordinator?",
            (5, 11),
        ),
        (
            "organisation_type: cluster_organization",
            "not 'cluster_organization'; did you mean cluster_organisation?",
            (5, 24),
        ),
        ("eccp: registred", "must be one of registered, requested, none", (5, 11)),
    ],
    ids=["role", "organisation-type", "eccp"],
)
def test_enum_typo(line: str, message: str, position: tuple[int, int]) -> None:
    found = problem(HEAD + "    " + line + "\n")
    assert message in found.message
    assert where(found) == position


def test_enum_without_close_match_has_no_hint() -> None:
    found = problem(HEAD + "    role: boss\n")
    assert "not 'boss'" in found.message
    assert "did you mean" not in found.message


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("proposal: BIO4X\npartners: []\n", "`proposal`: must be a mapping, not 'BIO4X'", (1, 11)),
        ("proposal:\n  acronym: X\npartners: {}\n", "`partners`: must be a list", (3, 11)),
        (
            "proposal:\n  acronym: X\npartners:\n  - Cluster\n",
            "partner 1: must be a mapping, not 'Cluster'",
            (4, 5),
        ),
        ("proposal:\n  acronym: [42]\npartners: []\n", "`proposal.acronym`: must be text", (2, 12)),
        (
            "proposal:\n  acronym: X\n  duration_months: '24'\npartners: []\n",
            "`proposal.duration_months`: must be a whole number, not '24'",
            (3, 20),
        ),
        (
            "proposal:\n  acronym: X\n  duration_months: 0\npartners: []\n",
            "must be at least 1, not 0",
            (3, 20),
        ),
        (HEAD + "    legal_entity: maybe\n", "`legal_entity`: must be true or false", (5, 19)),
        (
            "proposal:\n  acronym: X\npartners: [null]\n",
            "partner 1: must be a mapping, not null",
            (3, 12),
        ),
        (
            "proposal:\n  acronym: X\n  budget: []\npartners: []\n",
            "`proposal.budget`: must be a mapping, not a list",
            (3, 11),
        ),
        ("call: ''\n" + HEAD, "`call`: must not be empty", (1, 7)),
        (HEAD + "    pic: '12345'\n", "'12345' is not a PIC", (5, 10)),
        (HEAD + "    region: ITC4CX\n", "'ITC4CX' has the wrong form", (5, 13)),
    ],
    ids=[
        "proposal-scalar",
        "partners-mapping",
        "partner-scalar",
        "acronym-list",
        "duration-text",
        "duration-zero",
        "bool",
        "null-partner",
        "list-budget",
        "empty-call",
        "short-pic",
        "long-region",
    ],
)
def test_wrong_type_or_form(text: str, message: str, position: tuple[int, int]) -> None:
    found = problem(text)
    assert message in found.message
    assert where(found) == position


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("proposal:\n  acronym: ''\npartners: []\n", (2, 12)),
        ("proposal:\n  acronym: X\npartners:\n  - name: ''\n", (4, 11)),
    ],
    ids=["acronym", "partner-name"],
)
def test_empty_required_text_is_reported_once(text: str, position: tuple[int, int]) -> None:
    found = problem(text)
    assert "must not be empty" in found.message
    assert where(found) == position


def test_blank_acronym_is_rejected() -> None:
    found = problem("proposal:\n  acronym: '   '\npartners: []\n")
    assert found.message == "`proposal.acronym`: must not be empty"
    assert where(found) == (2, 12)


def test_x_keys_are_accepted_anywhere() -> None:
    text = """\
x-owner: Ufficio progetti
cosmecheck: 1
proposal:
  acronym: BIO4X
  x-internal-id: 42
  budget:
    eligible_costs_eur: 1000
    x-note: [rounded, estimated]
  clusterxchange:
    planned_exchanges: 3
    x-plan: {spring: 1, autumn: 2}
partners:
  - name: Cluster Bio Lombardia
    x-contact: {name: Maria, email: maria@example.org}
    budget:
      requested_grant_eur: 750
      x-source: spreadsheet v3
"""
    consortium = load(text)
    assert consortium.doc["x-owner"] == "Ufficio progetti"
    assert consortium.partners[0]["x-contact"]["name"] == "Maria"


def test_x_prefix_is_needed() -> None:
    found = problem(HEAD + "    y-contact: Maria\n")
    assert "unknown key `y-contact`" in found.message
    assert where(found) == (5, 5)


# --- Countries -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("IT", "IT"),
        ("ita", "IT"),
        ("Italy", "IT"),
        ("Italian Republic", "IT"),
        ("Italia", "IT"),
        ("Germania", "DE"),
        ("Paesi Bassi", "NL"),
        (" netherlands ", "NL"),
        ("EL", "EL"),
        ("GR", "EL"),
        ("Greece", "EL"),
        ("Grecia", "EL"),
        ("UK", "UK"),
        ("GB", "UK"),
        ("United Kingdom", "UK"),
        ("Regno Unito", "UK"),
        ("XK", "XK"),
        ("Kosovo", "XK"),
        ("Türkiye", "TR"),
        ("Norway", "NO"),
        ("'NO'", "NO"),
        ("PRT", "PT"),
        ("FRANCE", "FR"),
    ],
    ids=lambda value: value.strip() if isinstance(value, str) else None,
)
def test_country_spellings_resolve(written: str, code: str) -> None:
    quoted = written if written.startswith("'") else f"'{written}'"
    assert load(HEAD + f"    country: {quoted}\n").countries == (code,)


@pytest.mark.parametrize("written", ["NO", "no", "No"], ids=["NO", "no", "No"])
def test_unquoted_norway_code_resolves(written: str) -> None:
    assert load(HEAD + f"    country: {written}\n").countries == ("NO",)


def test_countries_follow_partner_order() -> None:
    text = HEAD + "    country: Italia\n  - name: B\n    country: GR\n  - name: C\n"
    assert load(text).countries == ("IT", "EL", None)


@pytest.mark.parametrize(
    ("written", "hint"),
    [("Netherland", "Netherlands"), ("Germny", "Germany"), ("Itly", "Italy")],
    ids=["Netherland", "Germny", "Itly"],
)
def test_unknown_country_suggests_the_closest(written: str, hint: str) -> None:
    found = problem(HEAD + f"    country: {written}\n")
    assert "partner 1 (Cluster Bio Lombardia)" in found.message
    assert f"{written!r} is not a country cosmecheck knows" in found.message
    assert f"did you mean {hint}" in found.message
    assert where(found) == (5, 14)


def test_unknown_country_without_close_match() -> None:
    found = problem(HEAD + "    country: Qwxz\n")
    assert "'Qwxz' is not a country cosmecheck knows" in found.message
    assert "did you mean" not in found.message
    assert "ISO code" in found.message


# --- Regions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "region", "expected"),
    [
        ("IT", "ITC4", "ITC4"),
        ("IT", "itc4", "ITC4"),
        ("IT", "ITC4C", "ITC4"),
        ("Italia", "' itc4c '", "ITC4"),
        ("FR", "FRF1", "FRF1"),
        ("UK", "UKI3", "UKI3"),
    ],
    ids=["nuts2", "lower-case", "nuts3", "spaces", "france", "uk"],
)
def test_region_forms(country: str, region: str, expected: str) -> None:
    assert load(HEAD + f"    country: {country}\n    region: {region}\n").regions == (expected,)


@pytest.mark.parametrize(
    ("country", "region"),
    [("EL", "GR11"), ("Greece", "gr11"), ("GR", "EL30"), ("GB", "UKI3")],
    ids=["EL-GR11", "Greece-gr11", "GR-EL30", "GB-UKI3"],
)
def test_eu_and_iso_prefixes_are_alike(country: str, region: str) -> None:
    consortium = load(HEAD + f"    country: {country}\n    region: {region}\n")
    (found,) = consortium.regions
    assert found is not None
    assert found[2:] == region.upper()[2:]
    assert {found[:2], region.upper()[:2]} <= {"GR", "EL", "UK", "GB"}


@pytest.mark.parametrize(
    ("country", "region", "region_country", "partner_country"),
    [
        ("IT", "DE21", "Germany", "Italy"),
        ("Germania", "itc4", "Italy", "Germany"),
        ("EL", "CY00", "Cyprus", "Greece"),
    ],
    ids=["DE21-in-IT", "itc4-in-DE", "CY00-in-EL"],
)
def test_region_of_another_country(
    country: str, region: str, region_country: str, partner_country: str
) -> None:
    found = problem(HEAD + f"    country: {country}\n    region: {region}\n")
    assert f"region {region.upper()} is in {region_country}" in found.message
    assert f"partner's country is {partner_country}" in found.message
    assert "partner 1 (Cluster Bio Lombardia)" in found.message
    assert where(found) == (6, 13)


@pytest.mark.parametrize("region", ["ITC", "IT1"], ids=["ITC", "IT1"])
def test_nuts1_code_is_rejected(region: str) -> None:
    found = problem(HEAD + f"    country: IT\n    region: {region}\n")
    assert f"{region!r} is not a NUTS 2 or NUTS 3 code" in found.message
    assert "ITC4" in found.message
    assert where(found) == (6, 13)


def test_region_without_country_is_read() -> None:
    assert load(HEAD + "    region: ITC4\n").regions == ("ITC4",)


# --- Money -----------------------------------------------------------------------------------


def budget(amount: str, key: str = "requested_grant_eur") -> str:
    return f"proposal:\n  acronym: BIO4X\n  budget:\n    {key}: {amount}\npartners: []\n"


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("360.000", "is written 360.000, which YAML reads as 360 euro: write 360000"),
        ("12.500", "is written 12.500, which YAML reads as 12.5 euro: write 12500"),
        ("1.234.567", "is '1.234.567': write amounts as plain numbers"),
        ("-360.000", "is negative (-360.0)"),
    ],
    ids=["360.000", "12.500", "1.234.567", "negative"],
)
def test_thousands_dots_are_caught(amount: str, message: str) -> None:
    found = problem(budget(amount))
    assert found.message.startswith("`proposal.budget.requested_grant_eur` ")
    assert message in found.message
    assert where(found) == (4, 26)


def test_thousands_dots_in_a_partner_budget() -> None:
    text = HEAD + "    budget:\n      eligible_costs_eur: 90.000\n"
    found = problem(text)
    assert "partner 1 (Cluster Bio Lombardia), `budget.eligible_costs_eur`" in found.message
    assert "write 90000" in found.message
    assert where(found) == (6, 27)


@pytest.mark.parametrize(
    "amount",
    ["EUR 360,000", "'360,000'", "€360000", "'360000'", "360000 EUR", "1e6"],
    ids=["EUR-comma", "comma", "euro-sign", "quoted", "suffix", "exponent-text"],
)
def test_amount_as_text(amount: str) -> None:
    found = problem(budget(amount))
    assert "write amounts as plain numbers in euro" in found.message
    assert "no currency, no thousands separators" in found.message
    assert where(found) == (4, 26)


@pytest.mark.parametrize("amount", ["-1", "-0.5", "-90000", "-.inf"], ids=str)
def test_negative_amount(amount: str) -> None:
    found = problem(budget(amount))
    assert "is negative" in found.message
    assert "amounts are 0 or more" in found.message
    assert where(found) == (4, 26)


@pytest.mark.parametrize("amount", [".nan", ".NaN", ".inf", "+.inf"], ids=str)
def test_not_finite_amount(amount: str) -> None:
    found = problem(budget(amount))
    assert f"is {amount}" in found.message
    assert "write amounts as plain numbers" in found.message
    assert where(found) == (4, 26)


def test_boolean_amount() -> None:
    found = problem(budget("yes"))
    assert "write amounts as plain numbers" in found.message


@pytest.mark.parametrize(
    ("amount", "value"),
    [("360000", 360000), ("360000.50", 360000.5), ("0", 0), ("360.5", 360.5), ("1000.00", 1000.0)],
    ids=["int", "cents", "zero", "one-decimal", "two-decimals"],
)
def test_plain_amounts_are_accepted(amount: str, value: float) -> None:
    consortium = load(budget(amount))
    assert consortium.doc["proposal"]["budget"]["requested_grant_eur"] == value


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("012345678", "012345678"),  # not octal (has an 8): YAML text
        ("012345670", "012345670"),  # octal to YAML: the digits come back
        ("999999999", "999999999"),
        ('"012345678"', "012345678"),
    ],
    ids=["leading-zero", "octal-looking", "plain", "quoted"],
)
def test_unquoted_pic_keeps_its_digits(written: str, expected: str) -> None:
    assert load(HEAD + f"    pic: {written}\n").partners[0]["pic"] == expected


@pytest.mark.parametrize(
    "written", ["12345678", "1234567890", "0x1F"], ids=["eight-digits", "ten-digits", "hex"]
)
def test_unquoted_pic_must_have_nine_digits(written: str) -> None:
    found = problem(HEAD + f"    pic: {written}\n")
    assert "not a PIC" in found.message
    assert where(found) == (5, 10)


# --- Times -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2019-04-04T16:59:00+02:00",
            datetime(2019, 4, 4, 16, 59, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("2019-04-04T14:59:00Z", datetime(2019, 4, 4, 14, 59, tzinfo=timezone.utc)),
        ("2019-04-04T14:59:00.250-01:30", None),
        ("2019-04-04 16:59:00 +2", datetime(2019, 4, 4, 14, 59, tzinfo=timezone.utc)),
        (" 2019-04-04 ", date(2019, 4, 4)),
    ],
    ids=["offset", "utc", "fraction-negative-offset", "yaml-space-form", "spaces"],
)
def test_parse_time_with_offset(text: str, expected: datetime | date | None) -> None:
    parsed = parse_time(text)
    if expected is None:
        assert isinstance(parsed, datetime)
        assert parsed.microsecond == 250000
        assert parsed.utcoffset() == -timedelta(hours=1, minutes=30)
        assert parsed == datetime(2019, 4, 4, 16, 29, 0, 250000, tzinfo=timezone.utc)
    else:
        assert parsed == expected
        assert type(parsed) is type(expected)


def test_parse_time_of_a_date() -> None:
    parsed = parse_time("2019-04-04")
    assert type(parsed) is date
    assert parsed == date(2019, 4, 4)


def test_parse_time_without_offset_is_naive() -> None:
    parsed = parse_time("2019-04-04T16:30")
    assert isinstance(parsed, datetime)
    assert parsed.tzinfo is None
    assert parsed == datetime(2019, 4, 4, 16, 30)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2019-02-30", "is not a real date or time"),
        ("2019-04-04T24:00", "is not a real date or time"),
        ("2019-04-04T16:30:00+25:00", "is not a real date or time"),
        ("next tuesday", "is not a date or time; write 2019-04-04T16:30:00+02:00 or 2019-04-04"),
        ("04/04/2019", "is not a date or time"),
        ("", "is not a date or time"),
    ],
    ids=["feb-30", "hour-24", "offset-25", "words", "slashes", "empty"],
)
def test_parse_time_rejects(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as info:
        parse_time(text)
    assert repr(text) in str(info.value)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2019-04-04T16:59:00+02:00", datetime(2019, 4, 4, 14, 59, tzinfo=timezone.utc)),
        ("'2019-04-04T14:59:00Z'", datetime(2019, 4, 4, 14, 59, tzinfo=timezone.utc)),
        ("2019-04-04", date(2019, 4, 4)),
        ("2019-04-04T16:30", datetime(2019, 4, 4, 16, 30)),
    ],
    ids=["offset", "quoted-utc", "date", "naive"],
)
def test_submission_in_a_file(written: str, expected: datetime | date) -> None:
    text = f"proposal:\n  acronym: X\n  submission: {written}\npartners: []\n"
    submission = load(text).submission
    assert submission == expected
    assert type(submission) is type(expected)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2019-02-30", "'2019-02-30' is not a real date or time"),
        ("next tuesday", "'next tuesday' is not a date or time"),
        ("20190404", "must be text, not 20190404"),
    ],
    ids=["feb-30", "words", "number"],
)
def test_bad_submission_in_a_file(written: str, message: str) -> None:
    text = f"proposal:\n  acronym: X\n  submission: {written}\npartners: []\n"
    found = problem(text)
    assert "`proposal.submission`" in found.message
    assert message in found.message
    assert where(found) == (3, 15)


# --- Several problems ------------------------------------------------------------------------


def test_several_problems_are_all_reported_in_file_order() -> None:
    text = """\
proposal:
  acronym: BIO4X
  budget:
    eligible_costs_eur: -3
    requested_grant_eur: 360.000
partners:
  - name: Cluster Bio Lombardia
    country: Narnia
    region: ITC
    role: boss
  - country: IT
    colour: red
    region: DE21
  - name: Third
    pic: '1'
"""
    found = problems(text)
    assert [where(p) for p in found] == sorted(where(p) for p in found)  # type: ignore[type-var]
    expected = [
        ((4, 25), "is negative (-3)"),
        ((5, 26), "write 360000"),
        ((8, 14), "'Narnia' is not a country"),
        ((9, 13), "'ITC' is not a NUTS 2 or NUTS 3 code"),
        ((10, 11), "not 'boss'"),
        ((11, 5), "partner 2 has no `name`"),
        ((12, 5), "unknown key `colour`"),
        ((13, 13), "region DE21 is in Germany, but the partner's country is Italy"),
        ((15, 10), "'1' is not a PIC"),
    ]
    assert len(found) == len(expected), found
    for got, (position, message) in zip(found, expected, strict=True):
        assert where(got) == position
        assert message in got.message


def test_load_error_text_joins_the_problems() -> None:
    with pytest.raises(LoadError) as info:
        load(HEAD + "    role: boss\n    country: Narnia\n")
    assert "not 'boss'" in str(info.value)
    assert "'Narnia'" in str(info.value)


def test_too_many_partners() -> None:
    text = "proposal:\n  acronym: X\npartners:\n" + "  - name: P\n" * 4
    with pytest.raises(LoadError) as info:
        read(parse(text), max_partners=3)
    (found,) = info.value.problems
    assert "lists 4 partners, over the limit of 3" in found.message
    assert where(found) in {(3, 1), (4, 3)}  # the key `partners` or the list itself
    assert len(read(parse(text), max_partners=4).partners) == 4
