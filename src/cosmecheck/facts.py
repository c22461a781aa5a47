"""Derived facts: what the rules need that a consortium file does not say in one place.

Every function here is pure and generic: it reads the call's parameters and tables from the
pack, so that a new call is a new folder of YAML. Facts go under a reserved ``facts`` key, on
the document and on each partner; rules are JSON Schemas over that enriched document.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from cosmecheck.consortium import Consortium
from cosmecheck.countries import normalise
from cosmecheck.deadline import deadline
from cosmecheck.rulepacks import Pack
from cosmecheck.tables import EU, Tables

UNKNOWN, NONE = "unknown", "none"
_SUGGESTED_OTHER_COUNTRIES = 3
_REGIONS_NAMED = 6


# Partners ------------------------------------------------------------------------------------


def partner_facts(consortium: Consortium, pack: Pack) -> list[dict[str, Any]]:
    """Facts of each partner: country standing, region category, legal identity."""
    on = deadline(pack).date()
    identities = _identities(consortium.partners)
    result = []
    for index, partner in enumerate(consortium.partners):
        facts: dict[str, Any] = {
            "position": index + 1,
            "name": partner["name"].strip(),
            "role": partner.get("role", "partner"),
        }
        country = consortium.countries[index]
        if country:
            facts.update(_country_facts(country, pack, on))
        facts.update(_region_facts(country, consortium.regions[index], pack.tables))
        facts.update(identities[index])
        result.append(facts)
    return result


def _country_facts(code: str, pack: Pack, on: date) -> dict[str, Any]:
    wanted = pack.params.get("eligible_country_groups", [])
    key = ("country facts", code, on, tuple(wanted))
    facts = pack.tables.remembered(key, lambda: _standing_facts(code, pack.tables, on, wanted))
    # Each partner gets its own copy: later steps add to a partner's facts.
    return {**facts, "country_groups": list(facts["country_groups"])}


def _standing_facts(code: str, tables: Tables, on: date, wanted: list[str]) -> dict[str, Any]:
    groups = tables.memberships(code, on)
    return {
        "country": code,
        "country_name": tables.country_name(code),
        "country_groups": groups,
        "country_eligible": any(g in wanted for g in groups),
        "country_standing": _standing(groups, wanted),
    }


def _group_name(group: str) -> str:
    return "an EU Member State" if group == EU else f"a {group} participating country"


def _standing(groups: list[str], wanted: list[str]) -> str:
    held = [g for g in wanted if g in groups]
    if held:
        return _group_name(held[0])
    names = [_group_name(g) for g in wanted]
    return "neither " + " nor ".join(names) if len(names) > 1 else f"not {names[0]}"


def _region_facts(country: str | None, region: str | None, tables: Tables) -> dict[str, Any]:
    facts: dict[str, Any] = {"region": region} if region else {}
    if country is None:
        return {**facts, "region_category": UNKNOWN}
    if country not in tables.regions["nuts2_regions"]:
        return {**facts, "region_category": NONE}
    if region:
        listed = tables.region(region)
        if listed is None:
            return {
                **facts,
                "region_category": tables.regions["unlisted_category"],
                "region_listed": False,
            }
        return {
            **facts,
            "region": listed.code,
            "region_name": listed.name,
            "region_category": listed.category,
            "region_status": listed.status,
            "region_listed": True,
        }
    uniform = tables.uniform_category(country)
    if uniform:
        return {**facts, "region_category": uniform, "region_category_from": "country"}
    return {**facts, "region_category": UNKNOWN}


def _identities(partners: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Same PIC: same legal entity; same name where a PIC is missing: same legal entity."""
    parent = list(range(len(partners)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        parent[max(root(i), root(j))] = min(root(i), root(j))

    by_pic: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    for i, partner in enumerate(partners):
        pic = partner.get("pic")
        if pic:
            join(i, by_pic.setdefault(str(pic), i))
        by_name.setdefault(normalise(partner["name"]), []).append(i)
    for members in by_name.values():
        anchor = next((m for m in members if partners[m].get("pic")), members[0])
        for m in members:
            if not partners[m].get("pic"):
                join(m, anchor)
    return [_identity(i, root(i), partners) for i in range(len(partners))]


def _identity(i: int, first: int, partners: list[dict[str, Any]]) -> dict[str, Any]:
    pic = partners[i].get("pic")
    identity = f"PIC {pic}" if pic else f"name {normalise(partners[i]['name'])!r}"
    if first == i:
        return {"identity": identity, "entity": i + 1, "duplicate_of": None}
    same_pic = pic and pic == partners[first].get("pic")
    return {
        "identity": identity,
        "entity": first + 1,
        "duplicate_of": f"{partners[first]['name'].strip()} (partner {first + 1})",
        "duplicate_reason": f"same PIC {pic}" if same_pic else "same name",
    }


# The consortium ------------------------------------------------------------------------------


def consortium_facts(partners: list[dict[str, Any]], pack: Pack) -> dict[str, Any]:
    """Counts over the partners that passed the partner eligibility rules."""
    facts = [p["facts"] for p in partners]
    # A legal entity listed twice counts once, where it is first listed.
    eligible = [f for f in facts if f.get("eligible", True) and not f.get("duplicate_of")]
    counted = {id(f) for f in eligible}
    entities = {f["entity"]: f["name"] for f in eligible}
    countries = list(dict.fromkeys(f["country"] for f in eligible if f.get("country_eligible")))
    coordinators = [f["name"] for f in facts if f["role"] == "coordinator"]
    return {
        "partner_count": len(facts),
        "eligible_entity_count": len(entities),
        "eligible_entities": list(entities.values()),
        "not_counted": [_why_not_counted(f) for f in facts if id(f) not in counted],
        "eligible_country_count": len(countries),
        "eligible_countries": countries,
        "eligible_country_names": [pack.tables.country_name(c) for c in countries],
        "coordinator_count": len(coordinators),
        "coordinators": coordinators,
        "region": _consortium_regions(eligible, countries, pack),
    }


def _why_not_counted(f: dict[str, Any]) -> str:
    if f.get("duplicate_of"):
        return f"{f['name']} (the same legal entity as {f['duplicate_of']})"
    return f"{f['name']} ({', '.join(f.get('failed_rules', []))})"


def _consortium_regions(
    eligible: list[dict[str, Any]], countries: list[str], pack: Pack
) -> dict[str, Any]:
    wanted = pack.params.get("region_categories", [])
    qualifying = [
        f"{f['name']} ({f.get('region_name') or f.get('region') or f['country_name']}, "
        f"{f['region_category'].replace('_', ' ')})"
        for f in eligible
        if f["region_category"] in wanted
    ]
    unknown = [f["name"] for f in eligible if f["region_category"] == UNKNOWN and f.get("country")]
    note = (
        f" The rule cannot count {', '.join(unknown)}: no `region` given, and the regions of "
        "that country differ in category; add `region`."
        if unknown
        else ""
    )
    facts: dict[str, Any] = {
        "qualifying_count": len(qualifying),
        "qualifying": qualifying,
        "unknown": unknown,
        "unknown_note": note,
    }
    if not qualifying:
        facts["suggestions"] = suggestions(countries, pack)
    return facts


def suggestions(countries: list[str], pack: Pack) -> list[str]:
    """Where a new partner would bring a qualifying region: own countries first, then nearest."""
    tables, wanted = pack.tables, pack.params.get("region_categories", [])
    key = ("suggestions", tuple(countries), tuple(wanted))
    return list(tables.remembered(key, lambda: _suggestions(countries, tables, wanted)))


def _suggestions(countries: list[str], tables: Tables, wanted: list[str]) -> tuple[str, ...]:
    candidates = [c for c in tables.regions["nuts2_regions"] if _qualifying(c, tables, wanted)]
    own = [c for c in countries if c in candidates]

    def distance(c: str) -> tuple[float, str]:
        return (min((tables.distance_km(c, o) for o in countries), default=0.0), c)

    others = sorted((c for c in candidates if c not in own), key=distance)
    chosen = own + others[:_SUGGESTED_OTHER_COUNTRIES]
    return tuple(_describe_country(c, tables, wanted) for c in chosen)


def _qualifying(country: str, tables: Tables, wanted: list[str]) -> bool:
    if tables.uniform_category(country) in wanted:
        return True
    return any(r.category in wanted for r in tables.listed_regions(country))


def _describe_country(country: str, tables: Tables, wanted: list[str]) -> str:
    name = tables.country_name(country)
    uniform = tables.uniform_category(country)
    if uniform in wanted:
        return f"{name} (the whole country: {uniform.replace('_', ' ')})"
    parts = []
    for category in wanted:
        regions = [r for r in tables.listed_regions(country) if r.category == category]
        if regions:
            named = ", ".join(f"{r.name} ({r.code})" for r in regions[:_REGIONS_NAMED])
            more = (
                f" and {len(regions) - _REGIONS_NAMED} more"
                if len(regions) > _REGIONS_NAMED
                else ""
            )
            parts.append(f"{named}{more} ({category.replace('_', ' ')})")
    return f"{name}: {'; '.join(parts)}"
