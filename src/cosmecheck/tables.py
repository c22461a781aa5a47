"""The data tables a rule pack uses: dated country facts and cohesion-policy regions."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from cosmecheck import countries

EU = "eu"


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

    def country_name(self, code: str) -> str:
        """The English short name of a country (EU code)."""
        entry = self.countries["countries"].get(code)
        return str(entry["name"]) if entry else countries.name(code)

    def memberships(self, code: str, on: date) -> list[str]:
        """The groups a country belongs to on a date: ``eu`` and/or programme names."""
        entry = self.countries["countries"].get(code) or {}
        groups = [EU] if _within(entry.get("eu"), on) else []
        for programme, span in (entry.get("programmes") or {}).items():
            if _within(span, on):
                groups.append(programme)
        return groups

    def region(self, code: str) -> Region | None:
        """The listed region for a NUTS 2 code of any supported NUTS version, or None."""
        regions = self.regions["regions"]
        alias = self.regions.get("aliases", {}).get(code)
        canonical = alias["same_as"] if alias else code
        entry = regions.get(canonical)
        if entry is None:
            return None
        return Region(canonical, entry["name"], nuts_country(canonical), **_fields(entry))

    def listed_regions(self, country: str) -> list[Region]:
        """The listed regions of a country, in table order."""
        return [
            r
            for code in self.regions["regions"]
            if (r := self.region(code)) and r.country == country
        ]

    def uniform_category(self, country: str) -> str | None:
        """The category of every region of a Member State, where they all share one."""
        total = self.regions.get("nuts2_regions", {}).get(country)
        if not total:
            return None
        listed = self.listed_regions(country)
        if not listed:
            return str(self.regions["unlisted_category"])
        categories = {r.category for r in listed}
        return categories.pop() if len(listed) == total and len(categories) == 1 else None

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


def _fields(entry: dict[str, Any]) -> dict[str, str]:
    return {"category": entry["category"], "status": entry["status"]}


def _within(span: dict[str, Any] | None, on: date) -> bool:
    if span is None:
        return False
    start, end = span.get("from"), span.get("until")
    if start and date.fromisoformat(start) > on:
        return False
    return not (end and date.fromisoformat(end) < on)
