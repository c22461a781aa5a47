"""Message templates: ``{dotted.name}`` or ``{dotted.name|filter}``, looked up in data only.

Rule packs may come from third parties, so a template never reaches Python attributes (no
``str.format`` on live objects): a name is a path of mapping keys and list indexes in plain
data, and the only operations are the filters below.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

_FIELD = re.compile(r"\{([^{}|]*)(?:\|([^{}]*))?\}")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")
MISSING = "unknown"


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    return Decimal(str(value))


def eur(value: Any) -> str:
    """An amount as ``EUR 360,000`` or ``EUR 360,000.50``."""
    return _eur(value)


def _eur(value: Any) -> str:
    number = _number(value)
    if number is None:
        return _text(value)
    if number == number.to_integral_value():
        return f"EUR {number:,.0f}"
    return f"EUR {number:,.2f}"


def _pct(value: Any) -> str:
    number = _number(value)
    return f"{float(number * 100):g} %" if number is not None else _text(value)


def _joined(separator: str) -> Callable[[Any], str]:
    def join(value: Any) -> str:
        if isinstance(value, (list, tuple)):
            return separator.join(_text(v) for v in value) if value else "none"
        return _text(value)

    return join


FILTERS: dict[str, Callable[[Any], str]] = {
    "list": _joined(", "),
    "items": _joined("; "),
    "eur": _eur,
    "pct": _pct,
}


def _text(value: Any) -> str:
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return _joined(", ")(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def lookup(namespace: Mapping[str, Any], name: str) -> Any:
    """The value at a dotted path of mapping keys and list indexes, or None."""
    value: Any = namespace
    for part in name.split("."):
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def problems(template: str) -> list[str]:
    """What is wrong with a template: bad names or unknown filters (empty if fine)."""
    found = []
    for match in _FIELD.finditer(template.replace("{{", "").replace("}}", "")):
        name, flt = match.group(1), match.group(2)
        if not _NAME.match(name):
            found.append(f"{{{match.group(0)[1:-1]}}}: a name is letters, digits, _ and dots")
        if flt is not None and flt not in FILTERS:
            found.append(f"unknown filter |{flt} (known: {', '.join(FILTERS)})")
    return found


def render(template: str, namespace: Mapping[str, Any]) -> str:
    """Fill a template from plain data; ``{{`` and ``}}`` stand for literal braces."""

    def fill(match: re.Match[str]) -> str:
        value = lookup(namespace, match.group(1))
        return FILTERS.get(match.group(2) or "", _text)(value)

    parts = template.split("{{")
    return "{".join(
        "}".join(_FIELD.sub(fill, piece) for piece in part.split("}}")) for part in parts
    )
