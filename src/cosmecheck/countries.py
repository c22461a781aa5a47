"""Country names and codes as people write them, resolved to the EU's own country codes.

The EU writes Greece as EL and the United Kingdom as UK (ISO: GR, GB), which are also the
prefixes of NUTS codes, so cosmecheck uses those codes throughout. Kosovo (XK) has no ISO
3166-1 code. This is the only module that imports pycountry, and only where its data files
cannot be read directly.
"""

from __future__ import annotations

import functools
import os
import unicodedata
from collections.abc import Callable, Iterable

ISO_TO_EU = {"GR": "EL", "GB": "UK"}
EU_TO_ISO = {eu: iso for iso, eu in ISO_TO_EU.items()}

# Spellings pycountry does not know: the EU's codes, Kosovo, and names people still write.
_EXTRA_SPELLINGS = {
    "EL": "EL",
    "UK": "UK",
    "XK": "XK",
    "XKX": "XK",
    "Kosovo": "XK",
    "Kosova": "XK",
    "Great Britain": "UK",
    "Britain": "UK",
    "England": "UK",
    "Scotland": "UK",
    "Wales": "UK",
    "Northern Ireland": "UK",
    "Regno Unito": "UK",
    "Gran Bretagna": "UK",
    "Inghilterra": "UK",
    "Turkey": "TR",
    "Turchia": "TR",
    "Czech Republic": "CZ",
    "Repubblica Ceca": "CZ",
    "Slovak Republic": "SK",
    "Holland": "NL",
    "Olanda": "NL",
    "Macedonia": "MK",
    "Former Yugoslav Republic of Macedonia": "MK",
    "FYROM": "MK",
    "Macedonia del Nord": "MK",
    "Moldova": "MD",
    "Russia": "RU",
    "Bosnia": "BA",
}

# The English names of a pycountry record, preferred first.
_ENGLISH = ("common_name", "name", "official_name")

# (alpha-2 code, alpha-3 code, English names in _ENGLISH order, None where missing)
Record = tuple[str, str, list[str | None]]
Source = tuple[list[Record], Callable[[str], str]]


@functools.lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Case-, accent- and space-insensitive form of a name."""
    return _plain(text)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    # ASCII text has no combining marks to drop.
    if not decomposed.isascii():
        decomposed = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(decomposed.replace(",", " ").split())


@functools.cache
def _index() -> tuple[dict[str, str], dict[str, str]]:
    """(normalised spelling -> EU code, EU code -> English name)."""
    records, italian = _from_files() or _from_pycountry()
    return _build(records, italian)


def _build(
    records: Iterable[Record], italian: Callable[[str], str]
) -> tuple[dict[str, str], dict[str, str]]:
    spellings: dict[str, str] = {}
    names: dict[str, str] = {}
    for alpha_2, alpha_3, english in records:
        code = ISO_TO_EU.get(alpha_2, alpha_2)
        names[code] = next(n for n in english if n)
        for text in [alpha_2, alpha_3, *english]:
            if text:
                spellings.setdefault(_plain(text), code)
        for text in english:
            if text:
                spellings.setdefault(_plain(italian(text)), code)
    for text, code in _EXTRA_SPELLINGS.items():
        spellings[_plain(text)] = code
    names["XK"] = "Kosovo"
    return spellings, names


def _from_files() -> Source | None:
    """pycountry's data read from its package folder: importing pycountry costs tens of ms."""
    import gettext
    import importlib.util
    import json

    spec = importlib.util.find_spec("pycountry")
    folders = list(spec.submodule_search_locations or []) if spec else []
    if not folders:
        return None
    database = os.path.join(folders[0], "databases", "iso3166-1.json")
    catalogue = os.path.join(folders[0], "locales", "it", "LC_MESSAGES", "iso3166-1.mo")
    try:
        with open(database, encoding="utf-8") as file:
            entries = json.load(file)["3166-1"]
        with open(catalogue, "rb") as file:
            italian = gettext.GNUTranslations(file)
        records = [(e["alpha_2"], e["alpha_3"], [e.get(key) for key in _ENGLISH]) for e in entries]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return records, italian.gettext


def _from_pycountry() -> Source:
    """pycountry's data through pycountry itself, where its files are laid out otherwise."""
    import gettext

    import pycountry

    italian = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=["it"], fallback=True
    )
    records = [
        (c.alpha_2, c.alpha_3, [getattr(c, key, None) for key in _ENGLISH])
        for c in pycountry.countries
    ]
    return records, italian.gettext


def resolve(text: str) -> str | None:
    """The EU country code for a code or name in English or Italian, or None."""
    spellings, _ = _index()
    return spellings.get(normalise(text))


def name(code: str) -> str:
    """The English short name of a country code (EU or ISO)."""
    _, names = _index()
    return names.get(code, code)


def suggest(text: str, limit: int = 3) -> list[str]:
    """The closest country names to a misspelt one, for "did you mean" messages."""
    import difflib

    spellings, names = _index()
    target = normalise(text)
    scored = sorted(
        ((difflib.SequenceMatcher(None, target, word).ratio(), word) for word in spellings),
        reverse=True,
    )
    best = scored[0][0] if scored else 0.0
    found: list[str] = []
    for score, word in scored:
        if score < max(0.7, best - 0.1) or len(found) == limit:
            break
        display = names.get(spellings[word], word)
        if display not in found:
            found.append(display)
    return found
