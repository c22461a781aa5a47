"""The consortium file format (version 1): structure, spellings, and what each value means.

`read()` turns a parsed YAML document into a `Consortium`, or raises `LoadError` listing every
problem with its line and column. The structure is checked against the shipped JSON Schema
(the one `cosmecheck schema` prints); the meaning of values (countries, NUTS codes, times,
amounts written with thousands separators) is checked here.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from cosmecheck import countries
from cosmecheck.errors import LoadError, closest
from cosmecheck.loader import Parsed, child_path
from cosmecheck.model import LoadProblem
from cosmecheck.tables import nuts_country
from cosmecheck.times import Submission, parse_time
from cosmecheck.validation import shared

FORMAT_VERSION = 1
MAX_AMOUNT = 10**12  # a trillion euro: anything larger is a typing mistake
AMOUNT_KEYS = ("eligible_costs_eur", "requested_grant_eur", "third_party_support_eur")
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(\.\d{3})+$")
_TEXT_FIELDS = {"$": ("call",), "$.proposal": ("acronym", "title")}
_PARTNER_TEXT = ("name", "short_name", "country", "region", "city", "pic")
_NUTS = re.compile(r"^[A-Z]{2}[0-9A-Z]{2}[0-9A-Z]?$")
_AMOUNT_HELP = (
    "write amounts as plain numbers in euro, e.g. 360000 or 360000.50 "
    "(no currency, no thousands separators)"
)


@dataclass(frozen=True, slots=True)
class Consortium:
    """A consortium file that follows the format, with its values resolved."""

    doc: dict[str, Any]
    parsed: Parsed
    countries: tuple[str | None, ...]
    regions: tuple[str | None, ...]
    submission: Submission | None

    @property
    def call(self) -> str | None:
        """The call the file names, if any."""
        call = self.doc.get("call")
        return call.strip() if isinstance(call, str) else None

    @property
    def acronym(self) -> str:
        """The proposal's acronym."""
        return str(self.doc["proposal"]["acronym"]).strip()

    @property
    def partners(self) -> list[dict[str, Any]]:
        """The partner entries as written."""
        partners: list[dict[str, Any]] = self.doc["partners"]
        return partners


@functools.cache
def schema() -> dict[str, Any]:
    """The JSON Schema of the consortium file format."""
    text = (
        resources.files("cosmecheck").joinpath("schemas/consortium.schema.json").read_text("utf-8")
    )
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def read(parsed: Parsed, max_partners: int = 1_000) -> Consortium:
    """Check a parsed file against the format and resolve its values."""
    data = parsed.data
    if data is None:
        raise LoadError.one(
            "the file is empty: a consortium file is a mapping with `proposal` and `partners` "
            "(run `cosmecheck init` for a starting file)",
            1,
            1,
        )
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({type(data).__name__})"
        raise LoadError.one(
            f"the file holds {kind}; a consortium file is a mapping with `proposal` and `partners`",
            *parsed.values.get("$", (None, None)),
        )
    reader = _Reader(parsed, data)
    reader.restore_text()
    reader.check_version()
    partners = data.get("partners")
    if isinstance(partners, list) and len(partners) > max_partners:
        reader.problem(
            "$.partners",
            f"the file lists {len(partners):,} partners, over the limit of {max_partners:,} "
            "(raise it with --max-partners)",
        )
        raise LoadError(reader.problems)
    reader.check_structure()
    result = reader.resolve()
    if reader.problems:
        raise LoadError(sorted(reader.problems, key=lambda p: (p.line or 0, p.column or 0)))
    return result


class _Reader:
    def __init__(self, parsed: Parsed, data: dict[str, Any]) -> None:
        self.parsed = parsed
        self.data = data
        self.problems: list[LoadProblem] = []
        self.broken: set[str] = set()

    def problem(self, path: str, message: str, *, at_key: bool = False) -> None:
        position = (self.parsed.keys.get(path) if at_key else None) or self.parsed.position(path)
        problem = LoadProblem(message, *(position or (None, None)))
        if problem not in self.problems:
            self.problems.append(problem)
        self.broken.add(path)

    def _partner_list(self) -> list[Any]:
        partners = self.data.get("partners")
        return partners if isinstance(partners, list) else []

    def restore_text(self) -> None:
        """Give text fields back the text written where YAML 1.1 read something else.

        An unquoted ``country: NO`` is the boolean false in YAML 1.1, ``acronym: 2019`` a
        number and ``pic: 012345670`` an octal number; what the user meant is what they wrote.
        """
        for path, owner in [("$", self.data), *self._sections()]:
            for key in _TEXT_FIELDS.get(path, _PARTNER_TEXT):
                # Only a value YAML did not read as text has source text to give back; the
                # test comes first so that a file of plain text never indexes its positions.
                if key not in owner or isinstance(owner[key], str):
                    continue
                text = self.parsed.scalar_text.get(f"{path}.{key}")
                if text is not None:
                    owner[key] = text

    def _sections(self) -> list[tuple[str, dict[str, Any]]]:
        """The proposal and each partner that are mappings, with their JSON paths."""
        owners = [("$.proposal", self.data.get("proposal"))]
        owners += [(f"$.partners[{i}]", p) for i, p in enumerate(self._partner_list())]
        return [(path, owner) for path, owner in owners if isinstance(owner, dict)]

    def where(self, path: str) -> str:
        """A path as a reader of the file would name it."""
        match = re.match(r"^\$\.partners\[(\d+)\]\.?(.*)$", path)
        if match:
            index = int(match.group(1))
            partner = self.data["partners"][index]
            name = partner.get("name") if isinstance(partner, dict) else None
            label = f"partner {index + 1}" + (f" ({name})" if isinstance(name, str) else "")
            return f"{label}, `{match.group(2)}`" if match.group(2) else label
        return f"`{path[2:]}`" if path != "$" else "the file"

    def check_version(self) -> None:
        version = self.data.get("cosmecheck", FORMAT_VERSION)
        if version != FORMAT_VERSION or isinstance(version, bool):
            self.problem(
                "$.cosmecheck",
                f"format version {version!r} is not supported: this cosmecheck reads version "
                f"{FORMAT_VERSION} (write `cosmecheck: 1`, or upgrade cosmecheck)",
            )
            raise LoadError(self.problems)

    def check_structure(self) -> None:
        for error in shared("consortium format", schema).errors(self.data):
            self._explain(error)

    def _explain(self, error: Any) -> None:
        path = error.json_path
        keyword = error.validator
        if keyword == "required":
            for name in error.validator_value:
                if isinstance(error.instance, dict) and name not in error.instance:
                    self.problem(path, f"{self.where(path)} has no `{name}`: add it", at_key=True)
        elif keyword == "additionalProperties":
            known = list(error.schema.get("properties", {}))
            for key in error.instance:
                if key not in known and not key.startswith("x-"):
                    close = closest(key, known)
                    hint = (
                        f" (did you mean `{close}`?)"
                        if close is not None
                        else f" (known: {', '.join(known)})"
                    )
                    self.problem(
                        child_path(path, key),
                        f"unknown key `{key}` in {self.where(path)}{hint}",
                        at_key=True,
                    )
        elif keyword == "enum":
            options = [str(o) for o in error.validator_value]
            close = closest(str(error.instance), options)
            hint = f"; did you mean {close}?" if close is not None else ""
            self.problem(
                path,
                f"{self.where(path)} must be one of {', '.join(options)}, "
                f"not {shown(error.instance)}{hint}",
            )
        elif path.rsplit(".", 1)[-1] in AMOUNT_KEYS:
            self._amount_problem(path, error.instance)
        else:
            self.problem(path, f"{self.where(path)}: {_plain_message(error)}")

    def _amount_problem(self, path: str, value: Any) -> None:
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if number and value < 0:
            self.problem(path, f"{self.where(path)} is negative ({value}); amounts are 0 or more")
        elif isinstance(value, float) and not math.isfinite(value):
            text = self.parsed.scalar_text.get(path, str(value))
            self.problem(path, f"{self.where(path)} is {text}: {_AMOUNT_HELP}")
        elif number and value > MAX_AMOUNT:
            self.problem(
                path,
                f"{self.where(path)} is {value:,} euro, more than {MAX_AMOUNT:,}: "
                "check the number (amounts are in euro, not cents)",
            )
        else:
            self.problem(path, f"{self.where(path)} is {shown(value)}: {_AMOUNT_HELP}")

    def resolve(self) -> Consortium:
        self._check_amounts()
        codes = tuple(
            self._country(i, p) if isinstance(p, dict) else None
            for i, p in enumerate(self._partner_list())
        )
        regions = tuple(
            self._region(i, p, codes[i]) if isinstance(p, dict) else None
            for i, p in enumerate(self._partner_list())
        )
        submission = self._submission()
        return Consortium(self.data, self.parsed, codes, regions, submission)

    def _check_amounts(self) -> None:
        for path, value in self._amounts():
            if path in self.broken or not isinstance(value, float):
                continue
            text = self.parsed.scalar_text.get(path, "")
            if _THOUSANDS.match(text.strip()):
                self.problem(
                    path,
                    f"{self.where(path)} is written {text}, which YAML reads as {value:g} "
                    f"euro: write {text.replace('.', '')} if you mean that many euro "
                    "(no thousands separators)",
                )
            elif not math.isfinite(value):
                self.problem(path, f"{self.where(path)} is {text or value}: {_AMOUNT_HELP}")

    def _amounts(self) -> list[tuple[str, Any]]:
        found = []
        for path, owner in self._sections():
            budget = owner.get("budget")
            if isinstance(budget, dict):
                found += [(f"{path}.budget.{k}", budget[k]) for k in AMOUNT_KEYS if k in budget]
        return found

    def _country(self, index: int, partner: dict[str, Any]) -> str | None:
        value = partner.get("country")
        path = f"$.partners[{index}].country"
        if not isinstance(value, str) or path in self.broken:
            return None
        code = countries.resolve(value)
        if code is None:
            close = countries.suggest(value)
            hint = f" (did you mean {' or '.join(close)}?)" if close else ""
            self.problem(
                path,
                f"{self.where(path)}: {value!r} is not a country cosmecheck knows{hint}; "
                "write an ISO code such as IT, or the name in English or Italian",
            )
        return code

    def _region(self, index: int, partner: dict[str, Any], country: str | None) -> str | None:
        value = partner.get("region")
        path = f"$.partners[{index}].region"
        if not isinstance(value, str) or path in self.broken:
            return None
        code = value.strip().upper()
        if not _NUTS.match(code):
            self.problem(
                path,
                f"{self.where(path)}: {value!r} is not a NUTS 2 or NUTS 3 code "
                "(4 or 5 characters, e.g. ITC4 or ITC4C)",
            )
            return None
        if country and nuts_country(code) != country:
            self.problem(
                path,
                f"{self.where(path)}: region {code} is in {countries.name(nuts_country(code))}, "
                f"but the partner's country is {countries.name(country)}",
            )
        return code[:4]

    def _submission(self) -> Submission | None:
        proposal = self.data.get("proposal")
        value = proposal.get("submission") if isinstance(proposal, dict) else None
        path = "$.proposal.submission"
        if not isinstance(value, str) or path in self.broken:
            return None
        try:
            return parse_time(value)
        except ValueError as exc:
            self.problem(path, f"{self.where(path)}: {exc}")
            return None


def shown(value: Any) -> str:
    """A value as the file would write it: null, true, [], 'text'."""
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return repr(value)


def _plain_message(error: Any) -> str:
    keyword, value = error.validator, error.validator_value
    if keyword == "type":
        wanted = " or ".join(value) if isinstance(value, list) else value
        words = {
            "string": "text",
            "integer": "a whole number",
            "number": "a number",
            "boolean": "true or false",
            "object": "a mapping",
            "array": "a list",
        }
        wanted = " or ".join(words.get(w, w) for w in wanted.split(" or "))
        return f"must be {wanted}, not {shown(error.instance)}"
    if keyword in ("minLength", "pattern") and isinstance(error.instance, str):
        if not error.instance.strip():
            return "must not be empty"
        if error.json_path.endswith(".pic"):
            return f"{error.instance!r} is not a PIC: write the 9-digit Participant ID Code"
        return f"{error.instance!r} has the wrong form"
    if keyword == "minimum":
        return f"must be at least {value}, not {shown(error.instance)}"
    return str(error.message)
