"""Regular expressions of rule packs, matched in linear time.

Rule packs may come from third parties through ``--rules``. Python's ``re`` backtracks, so a
pattern such as ``^(a+)+$`` can take hours on a short string. The JSON Schema ``pattern``
keyword of rule schemas is therefore matched with RE2, which runs in time linear in the text
and refuses what it cannot do so (backreferences, lookaround): such a pattern is a broken pack,
reported when the pack is loaded.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any

from cosmecheck.errors import RulePackError

# jsonschema matches these with Python's re internally, so a pack may not use them.
REFUSED_KEYWORDS = {"patternProperties": "use propertyNames with a pattern instead"}


@functools.cache
def compiled(pattern: str) -> Any:
    """A pattern compiled by RE2; RulePackError if RE2 refuses it."""
    import re2  # type: ignore[import-untyped]  # no stubs published; only packs with patterns

    options = re2.Options()
    options.log_errors = False  # the error is reported as a RulePackError, not on stderr
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
        raise RulePackError(f"pattern {pattern!r} is not allowed: {reason}") from None


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema import ValidationError

    if validator.is_type(instance, "string") and not compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@functools.cache
def safe_validator() -> Any:
    """jsonschema's Draft 2020-12 validator class with ``pattern`` matched by RE2."""
    from jsonschema import Draft202012Validator, validators

    return validators.extend(Draft202012Validator, {"pattern": _pattern})  # type: ignore[no-untyped-call]


def check_patterns(items: Iterable[tuple[str, Any]]) -> str | None:
    """What is wrong with the regular expressions among a schema's (key, value) pairs, or None."""
    for key, value in items:
        if key in REFUSED_KEYWORDS:
            return f"{key} is not allowed in a rule pack: {REFUSED_KEYWORDS[key]}"
        if key == "pattern" and isinstance(value, str):
            try:
                compiled(value)
            except RulePackError as exc:
                return str(exc)
    return None
