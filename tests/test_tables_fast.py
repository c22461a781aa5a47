"""The indexed tables and the country index give the answers of a plain scan, and stay apart.

Tables answers region questions from indexes built once, and remembers pure answers on the
instance; the country index is read from pycountry's data files without importing pycountry.
Each is checked here against the straightforward construction it replaces.
"""

from __future__ import annotations

import gettext
import subprocess
import sys
from datetime import date
from typing import Any

import pytest

from conftest import cli_env
from cosmecheck import countries, facts
from cosmecheck.rulepacks import Catalogue, Pack
from cosmecheck.tables import Region, Tables, nuts_country

CALL = "COS-CLUSTER-2018-03-02"


@pytest.fixture(scope="module")
def pack() -> Pack:
    return Catalogue().get(CALL)


# Countries -----------------------------------------------------------------------------------


def _index_through_pycountry() -> tuple[dict[str, str], dict[str, str]]:
    """The country index built through pycountry's own API, as a reference."""
    import pycountry

    italian = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=["it"], fallback=True
    )
    spellings: dict[str, str] = {}
    names: dict[str, str] = {}
    for country in pycountry.countries:
        code = countries.ISO_TO_EU.get(country.alpha_2, country.alpha_2)
        english = [getattr(country, a, None) for a in ("common_name", "name", "official_name")]
        names[code] = next(n for n in english if n)
        for text in [country.alpha_2, country.alpha_3, *english]:
            if text:
                spellings.setdefault(countries.normalise(text), code)
        for text in english:
            if text:
                spellings.setdefault(countries.normalise(italian.gettext(text)), code)
    for text, code in countries._EXTRA_SPELLINGS.items():
        spellings[countries.normalise(text)] = code
    names["XK"] = "Kosovo"
    return spellings, names


def test_country_index_from_the_data_files_matches_pycountry() -> None:
    assert countries._from_files() is not None
    assert countries._index() == _index_through_pycountry()


def test_country_index_falls_back_to_pycountry() -> None:
    assert countries._build(*countries._from_pycountry()) == _index_through_pycountry()


def test_resolving_a_country_does_not_import_pycountry() -> None:
    code = (
        "import sys\n"
        "from cosmecheck import countries\n"
        "assert countries.resolve('Italia') == 'IT'\n"
        "assert 'pycountry' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], env=cli_env(), check=True)


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("  Côte d'Ivoire ", "cote d'ivoire"),
        ("Korea,  Republic of", "korea republic of"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
        ("Ångström", "angstrom"),
    ],
)
def test_normalise(text: str, plain: str) -> None:
    assert countries.normalise(text) == plain


# Tables --------------------------------------------------------------------------------------


def _scan_region(tables: Tables, code: str) -> Region | None:
    """A region looked up by reading the tables, without an index."""
    alias = tables.regions.get("aliases", {}).get(code)
    canonical = alias["same_as"] if alias else code
    entry = tables.regions["regions"].get(canonical)
    if entry is None:
        return None
    fields = (entry["name"], nuts_country(canonical), entry["category"], entry["status"])
    return Region(canonical, *fields)


def _scan_listed(tables: Tables, country: str) -> list[Region]:
    return [
        r
        for code in tables.regions["regions"]
        if (r := _scan_region(tables, code)) and r.country == country
    ]


def _scan_uniform(tables: Tables, country: str) -> str | None:
    total = tables.regions.get("nuts2_regions", {}).get(country)
    if not total:
        return None
    listed = _scan_listed(tables, country)
    if not listed:
        return str(tables.regions["unlisted_category"])
    categories = {r.category for r in listed}
    return categories.pop() if len(listed) == total and len(categories) == 1 else None


def _odd_tables() -> Tables:
    """Small tables with the corner cases of aliases: a chain, a dangling one, a listed one."""
    regions: dict[str, Any] = {
        "unlisted_category": "more_developed",
        "nuts2_regions": {"AA": 3, "BB": 1, "EL": 2, "CC": 2},
        "regions": {
            "AA11": {"name": "One", "category": "transition", "status": "confirmed"},
            "AA12": {"name": "Two", "category": "less_developed", "status": "confirmed"},
            "BB11": {"name": "Solo", "category": "transition", "status": "unconfirmed"},
            "EL51": {"name": "Greek", "category": "transition", "status": "confirmed"},
            "GR52": {"name": "Old Greek", "category": "transition", "status": "confirmed"},
        },
        "aliases": {
            "AA21": {"same_as": "AA11", "nuts": "2010"},
            "AA31": {"same_as": "AA21", "nuts": "2006"},
            "AA41": {"same_as": "ZZ99", "nuts": "2006"},
            "AA12": {"same_as": "BB11", "nuts": "2016"},
            "GR51": {"same_as": "EL51", "nuts": "2006"},
        },
    }
    return Tables(countries={"countries": {}}, regions=regions)


def test_indexed_regions_answer_as_a_scan(pack: Pack) -> None:
    for tables in (pack.tables, _odd_tables()):
        codes = [*tables.regions["regions"], *tables.regions["aliases"], "XX11", "AA99"]
        for code in codes:
            assert tables.region(code) == _scan_region(tables, code), code
        for country in [*tables.regions["nuts2_regions"], "US", "XK"]:
            assert tables.listed_regions(country) == _scan_listed(tables, country), country
            assert tables.uniform_category(country) == _scan_uniform(tables, country), country


def test_memberships_are_fresh_lists(pack: Pack) -> None:
    on = date(2018, 4, 12)
    pack.tables.memberships("IT", on).append("changed")
    assert pack.tables.memberships("IT", on) == ["eu"]
    assert pack.tables.memberships("UK", date(2020, 2, 1)) == []
    assert pack.tables.memberships("XK", date(2017, 12, 19)) == ["COSME"]
    assert pack.tables.memberships("XK", date(2017, 12, 18)) == []


def test_remembered_answers_stay_with_their_tables(pack: Pack) -> None:
    other = Tables(countries=pack.tables.countries, regions=_odd_tables().regions)
    twin = Pack(pack.id, pack.meta, pack.folder, pack.rules, other)
    shipped = facts.suggestions(["IT"], pack)
    odd = facts.suggestions(["IT"], twin)
    assert shipped != odd
    assert facts.suggestions(["IT"], pack) == shipped
    assert facts.suggestions(["IT"], twin) == odd
