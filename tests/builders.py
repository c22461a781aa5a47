"""Builders of consortium files for tests: partners, documents, files, checked results."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import yaml

from cosmecheck.checker import Checker
from cosmecheck.model import FileResult

CALL = "COS-CLUSTER-2018-03-02"
ON_TIME = "2019-04-03T12:00:00+02:00"
BUDGET = {
    "eligible_costs_eur": 480000,
    "requested_grant_eur": 360000,
    "third_party_support_eur": 120000,
}
_counter = itertools.count()


def partner(name: str, country: str, region: str | None = None, **fields: Any) -> dict[str, Any]:
    """An eligible-looking partner; a field given as None is left out of the file."""
    entry: dict[str, Any] = {
        "name": name,
        "country": country,
        "region": region,
        "organisation_type": "cluster_organisation",
        "legal_entity": True,
        "eccp": "registered",
        **fields,
    }
    return {key: value for key, value in entry.items() if value is not None}


def consortium(partners: list[dict[str, Any]], **proposal: Any) -> dict[str, Any]:
    """A consortium document; the first partner coordinates unless a role is given.

    A proposal field given as None is left out of the file.
    """
    members = [dict(p) for p in partners]
    if members and not any("role" in p for p in members):
        members[0] = {"name": members[0]["name"], "role": "coordinator", **members[0]}
    fields: dict[str, Any] = {
        "acronym": "TESTX",
        "title": "A test partnership",
        "duration_months": 24,
        "submission": ON_TIME,
        "clusterxchange": {"planned_exchanges": 40},
        **proposal,
    }
    return {
        "cosmecheck": 1,
        "call": CALL,
        "proposal": {key: value for key, value in fields.items() if value is not None},
        "partners": members,
    }


def write(tmp_path: Path, document: dict[str, Any]) -> Path:
    """Write a document as a YAML file with a fresh name in ``tmp_path``."""
    path = tmp_path / f"consortium-{next(_counter)}.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def check(
    tmp_path: Path, checker: Checker, partners: list[dict[str, Any]], **proposal: Any
) -> FileResult:
    """Check a consortium built from ``partners`` and ``proposal`` fields; it must load."""
    result = checker.check_file(write(tmp_path, consortium(partners, **proposal)))
    assert not result.load_errors, result.load_errors
    return result
