"""JSON Schema validation at two speeds: a compiled yes or no, and jsonschema's detail on demand.

Most instances pass most schemas, and jsonschema-rs answers "valid?" some fifty times faster
than jsonschema. So it gives the verdict, and jsonschema runs only where detailed errors
(``json_path``, ``best_match``) are asked for: for a failing check that names no place of its
own, or for the schema details of a verbose report. A run with findings thus need not import
jsonschema at all. jsonschema also decides whatever jsonschema-rs cannot take (a date, a key
that is no text), and an instance it fails that holds a non-finite number. The tests compare
the two verdicts over every example, fixture and rule example and over generated instances.

One difference is known: jsonschema-rs takes NaN and the infinities for no number at all, so
it passes them where jsonschema does not (``{"not": {"type": "number"}}``, ``{"maximum": 5}``
with infinity). The format refuses non-finite amounts before any rule runs, and amounts are
its only numbers that may be fractions, so rules meet one only in an ``x-`` field.

jsonschema-rs is optional: without it (no wheel for the platform), or with
``COSMECHECK_PLAIN_JSONSCHEMA=1`` set, jsonschema does everything. Patterns are matched in
linear time on both paths: RE2 in jsonschema (see ``safe_regex``), Rust's regex crate in
jsonschema-rs. Nothing is ever fetched: references resolve inside the schema.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Hashable
from typing import Any

PLAIN_ENV = "COSMECHECK_PLAIN_JSONSCHEMA"


def _fast_module() -> Any:
    """jsonschema-rs, unless it is missing or turned off (read when a schema is compiled)."""
    if os.environ.get(PLAIN_ENV, "") not in ("", "0"):
        return None
    try:
        import jsonschema_rs
    except ImportError:
        return None
    return jsonschema_rs


def fast_available() -> bool:
    """Whether schemas compiled now get the fast validator (it is installed and not turned off)."""
    return _fast_module() is not None


def _compile(schema: Any) -> Any:
    """A jsonschema-rs validator of the schema, or None where it cannot take it."""
    module = _fast_module()
    if module is None:
        return None
    try:
        return module.Draft202012Validator(
            schema, pattern_options=module.RegexOptions(), validate_formats=False, offline=True
        )
    except Exception:  # any schema it refuses is simply validated by jsonschema
        return None


class Validator:
    """A schema compiled once: ``is_valid`` fast, ``errors`` in jsonschema's detail."""

    __slots__ = ("_detailed", "_fast", "_safe_patterns", "schema")

    def __init__(self, schema: Any, *, safe_patterns: bool = False) -> None:
        self.schema = schema
        self._fast = _compile(schema)
        self._detailed: Any = None
        self._safe_patterns = safe_patterns

    @property
    def fast(self) -> bool:
        """Whether the compiled validator took this schema."""
        return self._fast is not None

    def fast_verdict(self, instance: Any) -> bool | None:
        """The compiled validator's verdict, or None where it has none to give."""
        if self._fast is None:
            return None
        try:
            valid = bool(self._fast.is_valid(instance))
        except (ValueError, TypeError, OverflowError):  # a date, a key that is no text
            return None
        return None if not valid and _holds_non_finite(instance) else valid

    def passes_fast(self, instance: Any) -> bool:
        """True where the compiled validator says the instance is valid; False otherwise."""
        return self.fast_verdict(instance) is True

    def is_valid(self, instance: Any) -> bool:
        """Whether the instance meets the schema: the compiled verdict, else jsonschema's."""
        verdict = self.fast_verdict(instance)
        return self.detailed().is_valid(instance) if verdict is None else verdict

    def errors(self, instance: Any) -> list[Any]:
        """jsonschema's errors for the instance; none when it is valid."""
        if self.passes_fast(instance):
            return []
        return list(self.detailed().iter_errors(instance))

    def detailed(self) -> Any:
        """The jsonschema validator, built on first use."""
        if self._detailed is None:
            if self._safe_patterns:
                from cosmecheck.safe_regex import safe_validator

                self._detailed = safe_validator()(self.schema)
            else:
                from jsonschema import Draft202012Validator

                self._detailed = Draft202012Validator(self.schema)
        return self._detailed


# Validators of the schemas that never change in a run (the format's, the meta-schemas).
_SHARED: dict[tuple[Hashable, bool], Validator] = {}


def shared(key: Hashable, schema: Callable[[], Any]) -> Validator:
    """The validator of the fixed schema ``schema()`` names as ``key``, compiled once.

    Compiled again where ``COSMECHECK_PLAIN_JSONSCHEMA`` has changed since, as it does in tests.
    """
    index = (key, fast_available())
    validator = _SHARED.get(index)
    if validator is None:
        validator = _SHARED[index] = Validator(schema())
    return validator


def _holds_non_finite(instance: Any) -> bool:
    """Whether NaN or an infinity is anywhere in the instance."""
    pending = [instance]
    while pending:
        value = pending.pop()
        if isinstance(value, float):
            if not math.isfinite(value):
                return True
        elif isinstance(value, dict):
            pending += value.values()
        elif isinstance(value, list):
            pending += value
    return False


def schema_problem(schema: Any) -> Any:
    """jsonschema's SchemaError for a schema that is not valid JSON Schema 2020-12, or None."""
    module = _fast_module()
    if module is not None:
        try:
            if module.meta.is_valid(schema):
                return None
        except Exception:  # e.g. an unknown $schema: jsonschema says what is wrong
            pass
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        return exc
    return None
