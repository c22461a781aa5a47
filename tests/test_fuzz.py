"""Fuzz and property tests: whatever a file holds, cosmecheck loads it or reports a load error.

Generated consortium documents (valid ones and subtly broken ones: wrong types, missing and
unknown keys, unicode names with emoji, right-to-left and control characters, huge numbers,
NaN and infinities, impossible dates and offsets, empty and oversized partner lists) and
byte-level mutations of the shipped examples go through the checker and the JSON report. For
every input the outcome is a result (eligible, ineligible) or a load error: never an
unexpected exception, never a traceback, and the JSON report always parses back.

Budget: the ``ci`` profile (the default) runs a fixed, reproducible set of examples
(``derandomize``) and keeps this file well under 30 seconds. A longer, randomised run::

    COSMECHECK_FUZZ=long python -m pytest tests/test_fuzz.py

Crashes found by fuzzing keep their falsifying examples pinned with ``@example`` in tests of
their own (at the end). A crash found while src/ still has it gets an ``xfail(strict=True)``
test there and is kept out of the main strategies until fixed, so that the main properties keep
guarding everything else; none is open now.
"""

from __future__ import annotations

import functools
import io
import json
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from builders import BUDGET, CALL, consortium, partner
from conftest import CASES, EXAMPLES
from cosmecheck.checker import Checker
from cosmecheck.errors import LoadError
from cosmecheck.loader import decode, parse
from cosmecheck.model import CheckOptions, FileResult, Report, Status
from cosmecheck.report import FORMATTERS, Style
from cosmecheck.report.json import document

RunCli = Callable[..., Any]

# --- Budget ----------------------------------------------------------------------------------
# Profiles are registered under names of our own (Hypothesis ships a "ci" profile of its own)
# and applied per test, never loaded globally: nothing leaks into other test files.
_SUPPRESSED = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.filter_too_much,
    HealthCheck.large_base_example,
]
settings.register_profile(
    "cosmecheck-ci",
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=_SUPPRESSED,
)
settings.register_profile(
    "cosmecheck-long",
    max_examples=5000,
    deadline=None,
    derandomize=False,
    database=None,
    print_blob=True,
    suppress_health_check=_SUPPRESSED,
)
PROFILE = os.environ.get("COSMECHECK_FUZZ", "ci")
if PROFILE not in ("ci", "long"):
    raise pytest.UsageError(f"COSMECHECK_FUZZ={PROFILE!r}: use ci or long")
FUZZ = settings.get_profile(f"cosmecheck-{PROFILE}")
# Runs through the command line cost more (a CliRunner, a rendered report): fewer of them.
FUZZ_CLI = settings(
    FUZZ,
    max_examples=max(1, FUZZ.max_examples // 6),
    suppress_health_check=[*_SUPPRESSED, HealthCheck.function_scoped_fixture],
)
# The pinned-bug tests only need their @example rows and a few more.
FUZZ_BUG = settings(FUZZ, max_examples=min(FUZZ.max_examples, 30))

YEARS = st.one_of(
    st.sampled_from([0, 1, 2, 1970, 2018, 2019, 2020, 2038, 9998, 9999]), st.integers(0, 9999)
)


@functools.cache
def _checker() -> Checker:
    return Checker(CheckOptions(at=datetime(2019, 4, 1, 12, 0)))


# --- Values ----------------------------------------------------------------------------------

# Text as people (and attackers) write it: any UTF-8 encodable character (no lone surrogates),
# with a bias towards emoji, right-to-left text, bidi overrides and control characters.
TRICKY_CHARS = [
    "😀",
    "👩‍👩‍👧",
    "🇮🇹",
    "مرحبا",
    "עברית",
    "\u202e",
    "\u200f",
    "\u200b",
    "\ufeff",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\t",
    "\r\n",
    "\x85",
    "\u2028",
    "\x7f",
    "é",
    "ß",
    "İ",
    "[/]",
    "[bold]",
    "{facts.name}",
    "{0.__class__}",
    "%s",
    "'",
    '"',
    "\\",
    "&a",
    "*a",
    "!!python/object/apply:os.system",
    "<<",
    "- ",
    ": ",
    "#",
    "~",
    "null",
    "NO",
    "yes",
    ".nan",
    "0x1F",
    "0o17",
    "1_000",
    "360.000",
]
texts = st.one_of(
    st.text(max_size=30),
    st.lists(st.sampled_from(TRICKY_CHARS), max_size=6).map("".join),
    st.builds(
        lambda a, b, c: a + b + c,
        st.text(max_size=8),
        st.sampled_from(TRICKY_CHARS),
        st.text(max_size=8),
    ),
)
# Names and acronyms must hold something visible: a blank one becomes visible, not filtered.
visible_texts = texts.map(lambda text: text if text.strip() else text + "X")
huge_ints = st.one_of(
    st.integers(-(2**64), 2**64),
    st.sampled_from([10**30, -(10**30), 10**300, 2**63, -(2**63) - 1, 9_999_999_999]),
)
floats = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([float("nan"), float("inf"), float("-inf"), -0.0, 5e-324, 1e308]),
)
scalars = st.one_of(st.none(), st.booleans(), huge_ints, floats, texts)


@st.composite
def times(draw: st.DrawFn, years: st.SearchStrategy[int] = YEARS) -> str:
    """Submission times: real ones, impossible ones (2019-02-30, 25:00, +25:00), odd forms."""
    year = draw(years)
    month = draw(st.one_of(st.integers(1, 12), st.sampled_from([0, 13, 99])))
    day = draw(st.one_of(st.integers(1, 28), st.sampled_from([0, 29, 30, 31, 32])))
    text = f"{year:04d}-{month:02d}-{day:02d}"
    if draw(st.booleans()):
        hour = draw(st.one_of(st.integers(0, 23), st.sampled_from([24, 25, 99])))
        minute = draw(st.one_of(st.integers(0, 59), st.just(60)))
        separator = draw(st.sampled_from(["T", "t", " ", "  "]))
        text += f"{separator}{hour:02d}:{minute:02d}"
        if draw(st.booleans()):
            text += f":{draw(st.integers(0, 61)):02d}"
            if draw(st.booleans()):
                text += "." + draw(st.from_regex(r"[0-9]{1,12}", fullmatch=True))
        offsets = ["", "Z", "z", "+02:00", "-05:30", "+0200", "+2", "-00:00"]
        text += draw(st.sampled_from([*offsets, "+23:59", "+25:00", "-24:00", "+02:60", "+123"]))
    return text


real_times = st.builds(
    lambda moment, form, offset: moment.strftime(form) + (offset if "T" in form else ""),
    st.datetimes(datetime(1990, 1, 1), datetime(2100, 12, 31)),
    st.sampled_from(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d"]),
    st.sampled_from(["", "Z", "+02:00", "-05:30", "+14:00", "-12:00"]),
)
submissions = st.one_of(
    times(),
    st.sampled_from(
        [
            "2019-04-03T12:00:00+02:00",
            "2019-04-04",
            "2019-02-30",
            "2019-04-03T12:00:00+25:00",
            "2019-04-03T24:00:00",
            "tomorrow",
            "",
            "0000-01-01",
            "2019-04-03T12:00:00 Europe/Brussels",
        ]
    ),
    scalars,
)


amounts = st.one_of(
    st.integers(-(10**6), 10**6),
    st.integers(-(10**30), 10**30),
    st.sampled_from([10**12, 10**12 + 1, 10**27, 10**400, -(10**400)]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([float("nan"), float("inf"), float("-inf"), 0, 0.5, 0.001, -1, 1e308]),
    st.sampled_from(["360.000", "EUR 360,000", "360000", "", "1e6"]),
    st.none(),
    st.booleans(),
)
budgets = st.one_of(
    st.just(dict(BUDGET)),
    st.dictionaries(st.sampled_from([*BUDGET, "x-note", "total_eur"]), amounts, max_size=4),
    scalars,
)
# Wild values for any key: scalars, lists and mappings of anything.
wild = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)),
    max_leaves=12,
)

PARTNER_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "name": st.one_of(texts, st.sampled_from(["Cluster Lombardia", "  ", ""])),
    "short_name": texts,
    "role": st.sampled_from(["coordinator", "partner", "Coordinator", "lead", ""]),
    "country": st.one_of(
        st.sampled_from(["IT", "DE", "ES", "FR", "NO", "CH", "EL", "UK", "GR", "XK", "XX"]),
        st.sampled_from(["Italia", "Paesi Bassi", "Germany", " it ", "Norvegia", ""]),
        texts,
    ),
    "region": st.one_of(
        st.sampled_from(["ITC4", "ITC4C", "DE21", "ES51", "FRF1", "ZZ99", "itc4", " ITC4 ", "I"]),
        texts,
    ),
    "city": texts,
    "organisation_type": st.sampled_from(
        ["cluster_organisation", "business_network_organisation", "other", "university", ""]
    ),
    "legal_entity": st.one_of(st.booleans(), st.sampled_from(["yes", "no", 1, 0])),
    "eccp": st.sampled_from(["registered", "requested", "none", "unknown", ""]),
    "pic": st.one_of(
        st.sampled_from(["999999999", "012345670", "12345", "99999999x"]),
        st.integers(0, 10**12),
        st.from_regex(r"[0-9]{9}", fullmatch=True),
    ),
    "budget": budgets,
}


# How broken a document is: each field is damaged (changed, made wild, dropped) with this
# chance in percent. Level 0 gives documents that follow the format, with random unicode
# names and random (valid) places; shrinking goes towards level 0, the least broken.
DAMAGE = [0, 3, 12, 40]
PLACES = [("IT", "ITC4"), ("DE", "DE21"), ("ES", "ES51"), ("FR", "FRF1"), ("IT", None)]
PLACES += [("NO", None), ("EL", None), ("Italia", "ITC4C"), ("Germany", None)]


def damaged(draw: st.DrawFn, level: int) -> bool:
    return draw(st.integers(0, 99)) >= 100 - DAMAGE[level]


@st.composite
def partners(draw: st.DrawFn, level: int = 0) -> dict[str, Any]:
    """A partner built like builders.partner, then fields changed, broken or dropped."""
    country, region = draw(st.sampled_from(PLACES))
    base = partner(draw(visible_texts), country, region)
    if draw(st.booleans()):
        base["pic"] = draw(st.from_regex(r"[1-9][0-9]{8}", fullmatch=True))
    entry: dict[str, Any] = {}
    for key, strategy in PARTNER_FIELDS.items():
        if not damaged(draw, level):
            if key in base:
                entry[key] = base[key]
            continue
        how = draw(st.sampled_from(["other", "wild", "drop"]))
        if how == "other":
            entry[key] = draw(strategy)
        elif how == "wild":
            entry[key] = draw(wild)
    if damaged(draw, level):
        entry[draw(st.sampled_from(["nmae", "x-note", "countries", "budget_eur"]))] = draw(wild)
    return entry


@st.composite
def partner_lists(draw: st.DrawFn, level: int = 0) -> Any:
    """Usually a few partners; sometimes none, exactly 1,000, or thousands; or not a list."""
    kind = draw(st.integers(0, 39))
    if kind == 39:
        one = partner("Cluster", "IT", "ITC4")
        count = draw(st.sampled_from([1000, 1001, 1500, 3000]))
        return [{**one, "name": f"Cluster {i}", "pic": f"{100_000_000 + i}"} for i in range(count)]
    if kind == 38:
        return []
    if kind in (36, 37) and level:
        return draw(wild)
    return draw(st.lists(partners(level), min_size=1, max_size=6))


PROPOSAL_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "acronym": st.one_of(texts, st.sampled_from(["TESTX", "", "  ", "2019"])),
    "title": texts,
    "duration_months": st.one_of(huge_ints, st.sampled_from([0, 1, 24, 36, -1, 24.5, "24"])),
    "submission": submissions,
    "budget": budgets,
    "clusterxchange": st.one_of(
        st.fixed_dictionaries({"planned_exchanges": st.one_of(huge_ints, floats, texts)}),
        wild,
    ),
}


def _all_named(items: list[Any]) -> bool:
    return all(isinstance(item, dict) and "name" in item for item in items)


@st.composite
def documents(draw: st.DrawFn) -> Any:
    """A consortium document (builders.consortium's shape), more or less broken."""
    level = draw(st.integers(0, len(DAMAGE) - 1))
    if level and draw(st.integers(0, 19)) == 19:
        return draw(wild)  # not a mapping at all, or a mapping of anything
    members = draw(partner_lists(level))
    if isinstance(members, list) and _all_named(members):
        doc = consortium(members)
    else:
        doc = consortium([])
        doc["partners"] = members
    doc["proposal"]["acronym"] = draw(visible_texts)
    doc["proposal"]["submission"] = draw(real_times)
    if draw(st.booleans()):
        doc["proposal"]["budget"] = dict(BUDGET)
    proposal: dict[str, Any] = {}
    for key, strategy in PROPOSAL_FIELDS.items():
        if not damaged(draw, level):
            if key in doc["proposal"]:
                proposal[key] = doc["proposal"][key]
            continue
        how = draw(st.sampled_from(["other", "wild", "drop"]))
        if how == "other":
            proposal[key] = draw(strategy)
        elif how == "wild":
            proposal[key] = draw(wild)
    doc["proposal"] = draw(wild) if damaged(draw, level) else proposal
    for key, values in (
        ("cosmecheck", st.sampled_from([2, "1", True, 1.0, None, 0])),
        ("call", st.one_of(st.sampled_from(["COS-NOPE", " cos-cluster-2018-03-02 "]), wild)),
    ):
        if damaged(draw, level):
            if draw(st.booleans()):
                del doc[key]
            else:
                doc[key] = draw(values)
    for key in ("proposal", "partners"):
        if damaged(draw, level) and draw(st.booleans()):
            del doc[key]
    if damaged(draw, level):
        doc[draw(st.sampled_from(["x-notes", "partner", "propsal"]))] = draw(wild)
    return doc


def dump(doc: Any) -> bytes:
    """A document as YAML bytes, unicode kept (libyaml's emitter: fast on big lists)."""
    text = yaml.dump(doc, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
    return text.encode("utf-8")


# --- Byte-level mutations of the shipped examples ----------------------------------------------

SEEDS = [
    *sorted(EXAMPLES.glob("*.yaml")),
    *sorted((CASES / "valid").glob("*.yaml")),
    *sorted(p for p in (CASES / "invalid").glob("*.yaml") if not p.name.startswith("_")),
]
SEED_BYTES = [p.read_bytes() for p in SEEDS]
TOKENS = [
    b"&a ",
    b"*a",
    b"<<: *a\n",
    b"!!python/object/apply:os.system ['true']",
    b"!!binary ",
    b"!!set ",
    b"? ",
    b"[",
    b"]",
    b"{",
    b"}",
    b"- ",
    b": ",
    b"\t",
    b"\n",
    b"\r",
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"---\n",
    b"...\n",
    b"%YAML 1.1\n",
    b"'",
    b'"',
    b"\\",
    b"#",
    b"~",
    b".nan",
    b"-.inf",
    b"1e400",
    b"0x",
    b"360.000",
    b"99999999999",
    "😀".encode(),
    "\u202e".encode(),
]


@st.composite
def mutated_examples(draw: st.DrawFn) -> bytes:
    """An example file with a few bytes flipped, inserted or deleted, or lines spliced."""
    data = bytearray(draw(st.sampled_from(SEED_BYTES)))
    for _ in range(draw(st.integers(1, 8))):
        size = len(data)
        at = draw(st.integers(0, size))
        kind = draw(st.sampled_from(["flip", "insert", "token", "delete", "splice", "swap"]))
        if kind == "flip" and size:
            data[min(at, size - 1)] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "token":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        else:
            lines = bytes(data).splitlines(keepends=True)
            if not lines:
                continue
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if kind == "splice":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"".join(lines))
    return bytes(data)


# --- The property -------------------------------------------------------------------------------


def check_bytes(data: bytes, checker: Checker | None = None) -> FileResult:
    """What `cosmecheck check` does with a file's bytes, a load error being a fine outcome."""
    checker = checker or _checker()
    try:
        parsed = parse(decode(data), checker.limits)
    except LoadError as exc:
        return FileResult("f.yaml", load_errors=tuple(exc.problems))
    return checker.check_parsed(parsed, "f.yaml")


def assert_sound(result: FileResult) -> dict[str, Any]:
    """The result is a verdict or load errors, and its JSON report parses back unchanged."""
    assert result.status in (Status.ELIGIBLE, Status.INELIGIBLE, Status.ERROR)
    for problem in result.load_errors:
        assert isinstance(problem.message, str)
        assert problem.message.strip()
        assert problem.line is None or problem.line >= 1
        assert problem.column is None or problem.column >= 1
    report = Report((result,))
    text = json.dumps(document(report), allow_nan=False, ensure_ascii=False)
    back = json.loads(text)
    assert back == document(report)
    assert back["files"][0]["status"] == result.status.value
    assert report.exit_code() in (0, 1, 2)
    return back


def assert_renders(result: FileResult) -> None:
    """Every report format renders the result, and the machine-readable ones parse."""
    report = Report((result,))
    for name, render in FORMATTERS.items():
        stream = io.StringIO()
        render(report, stream, Style(verbose=True))
        if name in ("json", "sarif"):
            json.loads(stream.getvalue())


@FUZZ
@given(documents())
@example(consortium([partner("Cluster Lombardia", "IT", "ITC4")]))
@example(consortium([]))
@example(consortium([partner("😀\u202e\x00", "IT", "ITC4")], acronym="\u200f"))
@example(consortium([partner("A", "IT", budget={"eligible_costs_eur": float("nan")})]))
@example(consortium([partner("A", "IT")], submission="2019-02-30"))
@example(consortium([partner("A", "IT")], submission="2019-04-03T12:00:00+25:00"))
@example(consortium([partner("A", "IT")], duration_months=10**300))
@example(consortium([partner(f"P{i}", "IT") for i in range(1500)]))
def test_generated_documents_load_or_report_a_load_error(doc: Any) -> None:
    assert_sound(check_bytes(dump(doc)))


@settings(FUZZ, max_examples=FUZZ.max_examples * 2)  # cheap: most fail to parse
@given(mutated_examples())
@example(SEED_BYTES[0])
@example(SEED_BYTES[0].replace(b"cosmecheck: 1", b"cosmecheck: 1\x00"))
@example(SEED_BYTES[0][: len(SEED_BYTES[0]) // 2])
@example(b"\xef\xbb\xbf" + SEED_BYTES[0])
@example(SEED_BYTES[0].replace(b"\n", b"\r"))
def test_mutated_examples_load_or_report_a_load_error(data: bytes) -> None:
    assert_sound(check_bytes(data))


@settings(FUZZ, max_examples=max(1, FUZZ.max_examples // 3))
@given(st.one_of(documents().map(dump), mutated_examples()))
def test_every_report_format_renders_whatever_the_input(data: bytes) -> None:
    assert_renders(check_bytes(data))


RAW_YAML = [
    "proposal: {acronym: X}\npartners: [{name: A, country: IT}]\ncall: " + CALL + "\n"
    "x-big: " + "9" * 5000 + "\n",  # past Python's int digit limit: a load error
    "call: " + CALL + "\nproposal: {acronym: X, duration_months: 1e400}\npartners: []\n",
    "call: " + CALL + "\nproposal: {acronym: X, budget: {eligible_costs_eur: 0x1F}}\n"
    "partners: []\n",
    "call: " + CALL + "\nproposal: {acronym: X, submission: 2019-02-30}\npartners: []\n",
    "call: " + CALL + "\nproposal: &p {acronym: X}\npartners: [*p, *p]\n",
    "call: " + CALL + "\nproposal: {acronym: !!binary aGVsbG8=}\npartners: []\n",
    "call: " + CALL + "\nproposal: {acronym: !!set {a, b}}\npartners: []\n",
    "call: " + CALL + "\nproposal: {? [a, b] : c}\npartners: []\n",
    "call: " + CALL + "\nproposal: {acronym: X}\npartners:\n- <<: {name: A}\n  country: IT\n",
    "%YAML 1.2\n---\ncall: " + CALL + "\nproposal: {acronym: X}\npartners: []\n",
]


@pytest.mark.parametrize("text", RAW_YAML, ids=range(len(RAW_YAML)))
def test_hand_written_oddities_load_or_report_a_load_error(text: str) -> None:
    result = check_bytes(text.encode("utf-8"))
    assert_sound(result)
    assert_renders(result)


# --- Through the command line -----------------------------------------------------------------


@FUZZ_CLI
@given(st.one_of(documents().map(dump), mutated_examples()))
@example(b"")
@example(b"\xff\xfe")
@example(dump(consortium([partner("\u202e😀", "IT", "ITC4")], submission="2019-02-30")))
def test_the_cli_reports_json_for_any_file(run_cli: RunCli, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(data)
    run = run_cli("check", path, "-f", "json", "--jobs", "1")
    assert run.exit_code in (0, 1, 2), (run.exit_code, run.stderr)
    assert "Traceback" not in run.stdout + run.stderr
    assert "internal error" not in run.stderr
    report = run.json()
    (entry,) = report["files"]
    assert (entry["status"] == "error") == (run.exit_code == 2)


def test_the_real_cli_prints_no_traceback_for_a_mutated_file(tmp_path: Path) -> None:
    import subprocess
    import sys

    from conftest import cli_env

    path = tmp_path / "f.yaml"
    path.write_bytes(SEED_BYTES[0].replace(b"partners:", b"partners: &a [*a]\nx:", 1) + b"\xff")
    process = subprocess.run(
        [sys.executable, "-m", "cosmecheck", "check", str(path), "-f", "json"],
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert process.returncode == 2
    assert "Traceback" not in process.stderr
    assert json.loads(process.stdout)["files"][0]["status"] == "error"


# --- Crashes found by fuzzing, pinned ------------------------------------------------------------


# Found by fuzzing, since fixed: an amount of 10**27 euro or more crashed the budget facts
# with decimal.InvalidOperation (quantize past the 28-digit decimal context).
@FUZZ_BUG
@given(
    st.sampled_from(list(BUDGET)),
    st.one_of(st.integers(10**12, 10**400), st.floats(min_value=1e12)),
)
@example("requested_grant_eur", 10**27)
@example("eligible_costs_eur", 1e308)
def test_huge_amounts_load_or_report_a_load_error(key: str, amount: Any) -> None:
    budget = {**BUDGET, key: amount}
    doc = consortium([partner("Cluster Lombardia", "IT", "ITC4")], budget=budget)
    assert_sound(check_bytes(dump(doc)))


def test_huge_partner_amounts_adding_up_past_decimal_precision_are_no_crash() -> None:
    amounts = {"eligible_costs_eur": 10**26, "requested_grant_eur": 10**26}
    members = [partner(f"Cluster {i}", "IT", "ITC4", budget=amounts) for i in range(20)]
    assert_sound(check_bytes(dump(consortium(members))))


# Found by fuzzing, since fixed: `partners:` holding a true scalar (1, 1.5, true) crashed
# consortium.read with TypeError ('int' object is not iterable).
@FUZZ_BUG
@given(st.one_of(st.integers(1, 10**6), st.floats(min_value=0.5, max_value=1e6), st.just(True)))
@example(1)
@example(1.5)
@example(True)
def test_partners_that_are_a_number_are_a_load_error(value: Any) -> None:
    doc = consortium([])
    doc["partners"] = value
    result = check_bytes(dump(doc))
    assert_sound(result)
    assert any("must be a list" in p.message for p in result.load_errors)


# Found by fuzzing, since fixed: instants outside years 1..9999 once moved to UTC or to the next
# day crashed the deadline facts with OverflowError.
@FUZZ_BUG
@given(times(years=st.sampled_from([1, 9999])))
@example("9999-12-31")
@example("0001-01-01T00:00:00")
@example("0001-01-01T00:00:00+00:01")
@example("9999-12-31T23:59:59-01:00")
def test_submissions_at_the_edge_of_the_calendar_are_no_crash(submission: str) -> None:
    doc = consortium([partner("Cluster Lombardia", "IT", "ITC4")], submission=submission)
    assert_sound(check_bytes(dump(doc)))


@pytest.mark.parametrize("at", ["0001-01-01", "0001-01-01T00:00:00"])
def test_an_early_check_time_is_no_crash(run_cli: RunCli, tmp_path: Path, at: str) -> None:
    doc = consortium([partner("Cluster Lombardia", "IT", "ITC4")], submission=None)
    path = tmp_path / "no-submission.yaml"
    path.write_bytes(dump(doc))
    run = run_cli("check", path, "-f", "json", "--at", at)
    assert run.exit_code in (0, 1, 2)
    assert "internal error" not in run.stderr
