"""The shipped rule pack of COS-CLUSTER-2018-03-02, its data tables, and broken packs.

The shipped pack must match the spec's criteria catalogue (ids, severities, sources), every
file must validate against its meta-schema, and each rule's own examples must hold. A broken
pack given with ``--rules`` must be refused with one clear line, never a traceback, and never
by fetching anything from the network.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import urllib.request
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from conftest import EXAMPLES
from cosmecheck.checker import Checker
from cosmecheck.engine import outcome
from cosmecheck.errors import RulePackError
from cosmecheck.model import CheckOptions, Severity
from cosmecheck.rulepacks import Catalogue, Pack, Rule

CALL = "COS-CLUSTER-2018-03-02"
PACK: Pack = Catalogue().get(CALL)
RULES_ROOT = PACK.folder.parent
META = RULES_ROOT / "_meta"
DATA = RULES_ROOT / "data"
RECIPE = EXAMPLES / "recipe4mobility.yaml"

# The criteria catalogue of the spec: id -> (severity, source status).
CATALOGUE = {
    "applicant-country": ("error", "confirmed"),
    "applicant-type": ("error", "confirmed"),
    "applicant-eccp": ("error", "confirmed"),
    "applicant-legal-entity": ("error", "confirmed"),
    "applicant-uk": ("warning", "standard"),
    "consortium-size": ("error", "confirmed"),
    "consortium-countries": ("error", "confirmed"),
    "consortium-region": ("error", "confirmed"),
    "consortium-coordinator": ("error", "standard"),
    "consortium-duplicate": ("error", "derived"),
    "proposal-deadline": ("error", "confirmed"),  # date confirmed, hour standard
    "proposal-duration": ("error", "confirmed"),
    "proposal-max-grant": ("error", "confirmed"),
    "proposal-cofinancing": ("error", "confirmed"),  # formula derived
    "proposal-budget-consistency": ("error", "derived"),
    "proposal-clusterxchange": ("warning", "confirmed"),
}
RULE_FILES = sorted(p for p in PACK.folder.glob("*.yaml") if p.name != "pack.yaml")


def meta_schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((META / f"{name}.schema.json").read_text("utf-8"))
    return loaded


def errors_against(data: Any, schema_name: str) -> list[str]:
    validator = Draft202012Validator(meta_schema(schema_name))
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(data)]


def read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text("utf-8"))


# The shipped pack ----------------------------------------------------------------------------


def test_meta_schemas_are_valid_json_schemas() -> None:
    for name in ("rule", "pack", "countries", "regions"):
        Draft202012Validator.check_schema(meta_schema(name))


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.stem)
def test_rule_file_validates_and_is_named_by_its_id(path: Path) -> None:
    doc = read_yaml(path)
    assert errors_against(doc, "rule") == []
    assert doc["id"] == path.stem


def test_rule_ids_and_severities_are_the_catalogue() -> None:
    assert {p.stem for p in RULE_FILES} == set(CATALOGUE)
    assert {rule_id: str(rule.severity) for rule_id, rule in PACK.rules.items()} == {
        rule_id: severity for rule_id, (severity, _) in CATALOGUE.items()
    }


@pytest.mark.parametrize("rule_id", sorted(CATALOGUE))
def test_rule_documentation(rule_id: str) -> None:
    rule = PACK.rules[rule_id]
    assert rule.severity is Severity.parse(CATALOGUE[rule_id][0])
    doc = rule.doc
    assert doc["source"] in {"confirmed", "standard", "derived"}
    assert doc["source"] == CATALOGUE[rule_id][1]
    for key in ("title", "section", "summary", "rationale", "fix"):
        assert isinstance(doc[key], str)
        assert doc[key].strip()
    assert rule.file == PACK.folder / f"{rule_id}.yaml"


@pytest.mark.parametrize("rule_id", ["proposal-deadline", "proposal-cofinancing"])
def test_mixed_sources_are_explained(rule_id: str) -> None:
    note = PACK.rules[rule_id].doc["source_note"]
    assert "standard" in note or "derived" in note


def test_partner_and_document_scopes() -> None:
    partner_rules = {r.id for r in PACK.rules.values() if r.scope == "partner"}
    assert partner_rules == {
        "applicant-country",
        "applicant-type",
        "applicant-eccp",
        "applicant-legal-entity",
        "applicant-uk",
        "consortium-duplicate",
    }


def _examples() -> list[Any]:
    cases = []
    for rule in PACK.rules.values():
        for example in rule.doc["examples"]:
            cases.append(pytest.param(rule, example, id=f"{rule.id}:{example['description']}"))
    return cases


@pytest.mark.parametrize(("rule", "example"), _examples())
def test_rule_examples(rule: Rule, example: dict[str, Any]) -> None:
    assert outcome(rule, example["data"]) == example["expect"]


def test_every_rule_has_a_passing_and_a_failing_example() -> None:
    for rule in PACK.rules.values():
        expected = {e["expect"] for e in rule.doc["examples"]}
        assert {"pass", "fail"} <= expected, rule.id
        if rule.undetermined is not None:
            assert "undetermined" in expected, rule.id


def test_pack_yaml_validates() -> None:
    meta = read_yaml(PACK.folder / "pack.yaml")
    assert errors_against(meta, "pack") == []
    assert meta["id"] == CALL


def test_pack_parameters_are_the_spec() -> None:
    assert PACK.meta["deadline"]["local"] == "2019-04-04T17:00:00"
    assert PACK.meta["deadline"]["timezone"] == "Europe/Brussels"
    params = PACK.params
    assert params["max_grant_eur"] == 360000
    assert params["cofinancing_rate"] == 0.75
    assert params["third_party_support_rate"] == 1.0
    assert params["duration_months"] == {"min": 20, "max": 24}
    assert params["min_entities"] == 3
    assert params["min_countries"] == 3
    assert sorted(params["region_categories"]) == ["less_developed", "transition"]
    assert sorted(params["eligible_country_groups"]) == ["COSME", "eu"]
    assert set(PACK.meta["partner_eligibility"]) == {
        "applicant-country",
        "applicant-type",
        "applicant-eccp",
        "applicant-legal-entity",
    }


def test_not_checked_topics() -> None:
    items = PACK.meta["not_checked"]
    ids = {item["id"] for item in items}
    assert not ids & set(PACK.rules), "a not_checked id must not be a rule id"
    topics = " ".join(item["topic"] for item in items).lower()
    for words in ("partners", "one proposal", "page", "award", "label", "third party"):
        assert words in topics
    for item in items:
        assert set(item.get("related", [])) <= set(PACK.rules)


# Data tables ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "schema_name"),
    [("countries.yaml", "countries"), ("regions-2014-2020.yaml", "regions")],
)
def test_data_table_validates(file: str, schema_name: str) -> None:
    assert errors_against(read_yaml(DATA / file), schema_name) == []


def test_regions_table_counts() -> None:
    regions = read_yaml(DATA / "regions-2014-2020.yaml")
    listed = regions["regions"]
    assert len(listed) == 122
    assert Counter(r["category"] for r in listed.values()) == {
        "less_developed": 72,
        "transition": 50,
    }
    assert regions["unlisted_category"] == "more_developed"
    assert "2014/99/EU" in regions["source"]


def test_regions_table_aliases_point_at_listed_regions() -> None:
    regions = read_yaml(DATA / "regions-2014-2020.yaml")
    listed, aliases = regions["regions"], regions["aliases"]
    assert aliases
    for code, alias in aliases.items():
        assert alias["same_as"] in listed, code
        assert code not in listed, code
        assert code[:2].replace("GR", "EL") == alias["same_as"][:2], code


def test_regions_belong_to_member_states_with_room_for_them() -> None:
    regions = read_yaml(DATA / "regions-2014-2020.yaml")
    per_country = Counter(code[:2] for code in regions["regions"])
    assert len(regions["nuts2_regions"]) == 28
    for country, count in per_country.items():
        assert country in regions["nuts2_regions"]
        assert count <= regions["nuts2_regions"][country], country


EU28 = "AT BE BG CY CZ DE DK EE EL ES FI FR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK UK"
COSME11 = "IS AL BA XK ME MK RS TR AM MD UA"


def test_countries_table_holds_the_spec_countries() -> None:
    countries = read_yaml(DATA / "countries.yaml")["countries"]
    eu = {code for code, entry in countries.items() if "eu" in entry}
    cosme = {code for code, entry in countries.items() if "COSME" in entry.get("programmes", {})}
    assert eu == set(EU28.split())
    assert cosme == set(COSME11.split())
    assert countries["UK"]["eu"]["until"] == "2020-01-31"
    assert countries["HR"]["eu"]["from"] == "2013-07-01"
    assert countries["XK"]["programmes"]["COSME"]["from"] == "2017-12-19"
    assert countries["BA"]["programmes"]["COSME"]["from"].startswith("2016-06")
    for code in ("NO", "CH", "LI", "GE", "IL", "TN", "US"):
        assert code not in eu | cosme


# Broken packs --------------------------------------------------------------------------------


def copy_pack(tmp_path: Path) -> tuple[Path, Path]:
    """A rules root in tmp_path holding a copy of the shipped pack and data folder."""
    root = tmp_path / "rules"
    folder = root / PACK.folder.name
    shutil.copytree(PACK.folder, folder)
    shutil.copytree(DATA, root / "data")
    return root, folder


def edit_text(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def edit_rule(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    doc = read_yaml(path)
    change(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), "utf-8")


def _rename_id(folder: Path) -> str:
    edit_text(folder / "consortium-size.yaml", "id: consortium-size", "id: consortium-sizes")
    return r"consortium-size\.yaml: id 'consortium-sizes' differs from the file name"


def _no_checks(folder: Path) -> str:
    edit_rule(folder / "consortium-size.yaml", lambda doc: doc.pop("checks"))
    return r"consortium-size\.yaml: .*'checks' is a required property"


def _invalid_schema(folder: Path) -> str:
    def change(doc: dict[str, Any]) -> None:
        doc["checks"][0]["schema"] = {"type": 5}

    edit_rule(folder / "consortium-size.yaml", change)
    return r"consortium-size\.yaml: invalid schema"


def _ref(target: str) -> Callable[[Path], str]:
    def breaker(folder: Path) -> str:
        def change(doc: dict[str, Any]) -> None:
            doc["checks"][0]["schema"] = {"properties": {"facts": {"$ref": target}}}

        edit_rule(folder / "consortium-countries.yaml", change)
        return rf"consortium-countries\.yaml: \$ref '{re.escape(target)}' points outside"

    return breaker


def _unknown_param(folder: Path) -> str:
    edit_text(folder / "consortium-size.yaml", "{$param: min_entities}", "{$param: nope}")
    return r"consortium-size\.yaml: unknown pack parameter 'nope'"


def _unknown_filter(folder: Path) -> str:
    def change(doc: dict[str, Any]) -> None:
        doc["checks"][0]["message"] = "Too few partners: {x|upper}."

    edit_rule(folder / "consortium-size.yaml", change)
    return r"consortium-size\.yaml: message template: unknown filter \|upper"


def _unknown_filter_in_undetermined(folder: Path) -> str:
    def change(doc: dict[str, Any]) -> None:
        doc["undetermined"]["message"] = "No duration: {proposal.duration_months|shout}."

    edit_rule(folder / "proposal-duration.yaml", change)
    return r"proposal-duration\.yaml: message template: unknown filter \|shout"


def _invalid_yaml(folder: Path) -> str:
    path = folder / "consortium-size.yaml"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    assert lines[0].startswith("id:")
    assert lines[1].startswith("severity:")
    lines.insert(2, "  bad: indentation\n")  # line 3: "  bad:" -> the colon is column 6
    path.write_text("".join(lines), "utf-8")
    return rf"{re.escape(str(path))}:3:6: invalid YAML"


def _pack_names_a_missing_rule(folder: Path) -> str:
    edit_text(
        folder / "pack.yaml",
        "partner_eligibility: [applicant-country,",
        "partner_eligibility: [applicant-nope, applicant-country,",
    )
    return r"pack\.yaml: names rule 'applicant-nope', which has no file"


def _rule_file_deleted(folder: Path) -> str:
    (folder / "applicant-type.yaml").unlink()
    return r"pack\.yaml: names rule 'applicant-type', which has no file"


BREAKERS = {
    "id-differs-from-file-name": _rename_id,
    "missing-checks": _no_checks,
    "invalid-json-schema": _invalid_schema,
    "ref-to-url": _ref("https://example.com/x.json"),
    "ref-to-relative-file": _ref("../x.json"),
    "unknown-param": _unknown_param,
    "unknown-filter": _unknown_filter,
    "unknown-filter-in-undetermined": _unknown_filter_in_undetermined,
    "invalid-yaml": _invalid_yaml,
    "pack-names-rule-without-file": _pack_names_a_missing_rule,
    "rule-file-deleted": _rule_file_deleted,
}


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if anything tries to reach the network."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize("breaker", list(BREAKERS.values()), ids=list(BREAKERS))
def test_broken_pack_is_refused(tmp_path: Path, breaker: Callable[[Path], str]) -> None:
    root, folder = copy_pack(tmp_path)
    expected = breaker(folder)
    with pytest.raises(RulePackError, match=expected) as caught:
        Catalogue((root,)).get(CALL)
    assert "\n" not in str(caught.value)


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize("breaker", list(BREAKERS.values()), ids=list(BREAKERS))
def test_broken_pack_through_the_checker(tmp_path: Path, breaker: Callable[[Path], str]) -> None:
    root, folder = copy_pack(tmp_path)
    expected = breaker(folder)
    with pytest.raises(RulePackError, match=expected):
        Checker(CheckOptions(rules_dirs=(root,))).check_file(RECIPE)


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize("breaker", list(BREAKERS.values()), ids=list(BREAKERS))
def test_broken_pack_through_the_cli(
    tmp_path: Path, run_cli: Callable[..., Any], breaker: Callable[[Path], str]
) -> None:
    root, folder = copy_pack(tmp_path)
    expected = breaker(folder)
    run = run_cli("check", RECIPE, "--rules", root)
    assert run.exit_code == 2
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert re.search(expected, lines[0]), lines[0]
    assert "Traceback" not in run.stderr + run.stdout


def test_missing_rules_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RulePackError, match="no such rules folder"):
        Catalogue((tmp_path / "nowhere",)).get(CALL)


# A valid pack under --rules replaces the shipped one ------------------------------------------


def _stricter_copy(tmp_path: Path) -> tuple[Path, Path]:
    root, folder = copy_pack(tmp_path)
    edit_text(folder / "pack.yaml", "max_grant_eur: 360000", "max_grant_eur: 300000")
    return root, folder


def test_shipped_pack_passes_the_recipe_example() -> None:
    result = Checker(CheckOptions()).check_file(RECIPE)
    assert not result.load_errors
    assert [f for f in result.findings if f.severity is Severity.ERROR] == []


@pytest.mark.parametrize("target", ["root", "pack folder"])
def test_rules_dir_replaces_the_shipped_pack(tmp_path: Path, target: str) -> None:
    root, folder = _stricter_copy(tmp_path)
    checker = Checker(CheckOptions(rules_dirs=(root if target == "root" else folder,)))
    result = checker.check_file(RECIPE)
    assert not result.load_errors
    failing = [f for f in result.findings if f.severity is Severity.ERROR]
    assert [f.rule_id for f in failing] == ["proposal-max-grant"]
    assert "EUR 300,000" in failing[0].message
    assert checker.catalogue.get(CALL).folder == folder


def test_rules_dir_replaces_the_shipped_pack_in_the_cli(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    root, _ = _stricter_copy(tmp_path)
    shipped = run_cli("check", RECIPE)
    assert shipped.exit_code == 0, shipped.stdout + shipped.stderr
    run = run_cli("check", RECIPE, "--rules", root)
    assert run.exit_code == 1, run.stdout + run.stderr
    assert "proposal-max-grant" in run.stdout
    assert "300,000" in run.stdout
