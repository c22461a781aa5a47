"""The data tables a rule pack uses: dated country facts and cohesion-policy regions.

Every file checked against a pack asks the same questions of the same tables, so the region
indexes are built once per Tables instance, and pure answers are remembered on the instance
(never across instances: a pack from another folder brings tables of its own).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from cosmecheck import countries

EU = "eu"
# Enough for the questions a batch repeats (each country, each set of countries that lacks a
# qualifying region); a full memo starts afresh, so that its memory stays small and flat.
_MEMO_SIZE = 512

_MISSING = object()

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Region:
    """A NUTS 2 region with its cohesion-policy category."""

    code: str
    name: str
    country: str
    category: str
    status: str


@dataclass(frozen=True, slots=True)
class Tables:
    """Country and region facts, queried by the facts step."""

    countries: dict[str, Any]
    regions: dict[str, Any]
    _by_code: dict[str, Region] = field(init=False, repr=False, compare=False)
    _by_country: dict[str, list[Region]] = field(init=False, repr=False, compare=False)
    _uniform: dict[str, str | None] = field(init=False, repr=False, compare=False)
    _memo: dict[Hashable, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_code = _regions_by_code(self.regions)
        by_country = _regions_by_country(self.regions, by_code)
        nuts2 = self.regions.get("nuts2_regions", {})
        uniform = {c: _uniform(self.regions, n, by_country.get(c, [])) for c, n in nuts2.items()}
        object.__setattr__(self, "_by_code", by_code)
        object.__setattr__(self, "_by_country", by_country)
        object.__setattr__(self, "_uniform", uniform)
        object.__setattr__(self, "_memo", {})

    def remembered(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, worked out once per key: for answers that depend only on these
        tables and the key."""
        found = self._memo.get(key, _MISSING)
        if found is not _MISSING:
            known: T = found
            return known
        value = compute()
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = value
        return value

    def country_name(self, code: str) -> str:
        """The English short name of a country (EU code)."""
        entry = self.countries["countries"].get(code)
        return str(entry["name"]) if entry else countries.name(code)

    def memberships(self, code: str, on: date) -> list[str]:
        """The groups a country belongs to on a date: ``eu`` and/or programme names."""
        return list(self.remembered(("memberships", code, on), lambda: self._groups(code, on)))

    def _groups(self, code: str, on: date) -> tuple[str, ...]:
        entry = self.countries["countries"].get(code) or {}
        groups = [EU] if _within(entry.get("eu"), on) else []
        for programme, span in (entry.get("programmes") or {}).items():
            if _within(span, on):
                groups.append(programme)
        return tuple(groups)

    def region(self, code: str) -> Region | None:
        """The listed region for a NUTS 2 code of any supported NUTS version, or None."""
        return self._by_code.get(code)

    def listed_regions(self, country: str) -> list[Region]:
        """The listed regions of a country, in table order."""
        return list(self._by_country.get(country, ()))

    def uniform_category(self, country: str) -> str | None:
        """The category of every region of a Member State, where they all share one."""
        return self._uniform.get(country)

    def category(self, country: str, region_code: str) -> tuple[str, str | None]:
        """(category, region name) of a Member State's region; unlisted regions are the default."""
        region = self.region(region_code)
        if region:
            return region.category, region.name
        return str(self.regions["unlisted_category"]), None

    def distance_km(self, a: str, b: str) -> float:
        """Great-circle distance between two countries' capitals (infinite if unknown)."""
        pa = (self.countries["countries"].get(a) or {}).get("capital")
        pb = (self.countries["countries"].get(b) or {}).get("capital")
        if not pa or not pb:
            return math.inf
        lat1, lon1, lat2, lon2 = map(math.radians, (*pa, *pb))
        h = (
            math.sin((lat2 - lat1) / 2) ** 2
            + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        )
        return 2 * 6371 * math.asin(math.sqrt(h))


def nuts_country(code: str) -> str:
    """The country of a NUTS code: its first two letters, with GR and GB read as EL and UK."""
    prefix = code[:2].upper()
    return countries.ISO_TO_EU.get(prefix, prefix)


def _regions_by_code(table: dict[str, Any]) -> dict[str, Region]:
    """Every code that names a listed region, NUTS-version aliases included (an alias wins)."""
    listed = {code: _region(code, entry) for code, entry in table["regions"].items()}
    by_code = dict(listed)
    for code, alias in (table.get("aliases") or {}).items():
        target = listed.get(alias["same_as"])
        if target is None:
            by_code.pop(code, None)
        else:
            by_code[code] = target
    return by_code


def _regions_by_country(
    table: dict[str, Any], by_code: dict[str, Region]
) -> dict[str, list[Region]]:
    """The listed regions of each country in table order, read through the same lookup as
    ``Tables.region``."""
    by_country: dict[str, list[Region]] = {}
    for code in table["regions"]:
        if region := by_code.get(code):
            by_country.setdefault(region.country, []).append(region)
    return by_country


def _region(code: str, entry: dict[str, Any]) -> Region:
    return Region(code, entry["name"], nuts_country(code), entry["category"], entry["status"])


def _uniform(table: dict[str, Any], total: Any, listed: list[Region]) -> str | None:
    """The category every region of a country shares, given how many it has and which are
    listed: none listed means all have the unlisted category."""
    if not total:
        return None
    if not listed:
        return str(table["unlisted_category"])
    categories = {r.category for r in listed}
    return categories.pop() if len(listed) == total and len(categories) == 1 else None


def _within(span: dict[str, Any] | None, on: date) -> bool:
    if span is None:
        return False
    start, end = span.get("from"), span.get("until")
    if start and date.fromisoformat(start) > on:
        return False
    return not (end and date.fromisoformat(end) < on)
