"""Country names and codes as people write them, resolved to the EU's own country codes.

The EU writes Greece as EL and the United Kingdom as UK (ISO: GR, GB), which are also the
prefixes of NUTS codes, so cosmecheck uses those codes throughout. Kosovo (XK) has no ISO
3166-1 code. This is the only module that imports pycountry.
"""

from __future__ import annotations

import difflib
import functools
import unicodedata

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


def normalise(text: str) -> str:
    """Case-, accent- and space-insensitive form of a name."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.replace(",", " ").split())


@functools.cache
def _index() -> tuple[dict[str, str], dict[str, str]]:
    """(normalised spelling -> EU code, EU code -> English name)."""
    import gettext

    import pycountry

    italian = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=["it"], fallback=True
    )
    spellings: dict[str, str] = {}
    names: dict[str, str] = {}
    for country in pycountry.countries:
        code = ISO_TO_EU.get(country.alpha_2, country.alpha_2)
        english = [getattr(country, a, None) for a in ("common_name", "name", "official_name")]
        names[code] = next(n for n in english if n)
        for text in [country.alpha_2, country.alpha_3, *english]:
            if text:
                spellings.setdefault(normalise(text), code)
        for text in english:
            if text:
                spellings.setdefault(normalise(italian.gettext(text)), code)
    for text, code in _EXTRA_SPELLINGS.items():
        spellings[normalise(text)] = code
    names["XK"] = "Kosovo"
    return spellings, names


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
