"""JSON Schema validation at two speeds: a compiled yes or no first, jsonschema's detail after.

Most instances pass most schemas, and jsonschema-rs answers "valid?" some fifty times faster
than jsonschema. So it answers first, and jsonschema runs only on an instance that fails, to
give the detailed errors (``json_path``, ``best_match``) that findings and messages are made
of. Where jsonschema-rs says no, jsonschema decides; so the two can only differ where
jsonschema-rs passes what jsonschema fails. The tests look for that over every example,
fixture and rule example and over generated instances. (One such case is known: it takes
NaN for no number, so ``{"not": {"type": "number"}}`` passes NaN. The format refuses
non-finite amounts before any rule runs, so rules never see one.)

jsonschema-rs is optional: without it (no wheel for the platform), or with
``COSMECHECK_PLAIN_JSONSCHEMA=1`` set, jsonschema does everything. Patterns are matched in
linear time on both paths: RE2 in jsonschema (see ``safe_regex``), Rust's regex crate in
jsonschema-rs. Nothing is ever fetched: references resolve inside the schema.
"""

from __future__ import annotations

import os
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

    def passes_fast(self, instance: Any) -> bool:
        """True where the compiled validator says the instance is valid; False otherwise."""
        try:
            return self._fast is not None and bool(self._fast.is_valid(instance))
        except (ValueError, TypeError, OverflowError):
            return False

    def errors(self, instance: Any) -> list[Any]:
        """jsonschema's errors for the instance; none when it is valid."""
        if self.passes_fast(instance):
            return []
        # Invalid, or a value it cannot convert (a date, a key that is no text): jsonschema
        # decides.
        return list(self.detailed().iter_errors(instance))

    def is_valid(self, instance: Any) -> bool:
        """Whether the instance meets the schema."""
        return not self.errors(instance)

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
