"""Configuration files: discovery, reading, and one clear error for every bad value."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from conftest import EXAMPLES
from cosmecheck.config import Config, ConfigError, discover, find_config, load, schema
from cosmecheck.errors import CosmecheckError

FULL = """\
call = "COS-CLUSTER-2018-03-02"
rules = ["packs", "/abs/packs"]
select = ["consortium-countries"]
ignore = ["budget-share", "cos-other"]
fail-on = "warning"
format = "json"
exclude = ["drafts/", "*.old.yaml"]
jobs = 4
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository root, so that discovery never looks above the test's folder."""
    (tmp_path / ".git").mkdir()
    return tmp_path.resolve()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def in_pyproject(text: str) -> str:
    return f'[project]\nname = "x"\n\n[tool.cosmecheck]\n{text}'


# Discovery


def test_discovery_walks_up_from_a_nested_folder(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(repo / "cosmecheck.toml", 'call = "A"\n')
    nested = repo / "a" / "b" / "c"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    assert discover(nested) == config
    assert find_config() == Config(source=config, call="A")


def test_cosmecheck_toml_beats_pyproject_in_the_same_folder(repo: Path) -> None:
    write(repo / "pyproject.toml", in_pyproject('call = "FROM-PYPROJECT"\n'))
    own = write(repo / "cosmecheck.toml", 'call = "OWN"\n')
    assert discover(repo) == own
    assert find_config(repo).call == "OWN"


def test_the_nearer_file_beats_the_farther(repo: Path) -> None:
    write(repo / "cosmecheck.toml", 'call = "FAR"\n')
    near = write(repo / "sub" / "pyproject.toml", in_pyproject('call = "NEAR"\n'))
    assert discover(repo / "sub") == near
    assert find_config(repo / "sub").call == "NEAR"


def test_a_pyproject_without_the_table_is_passed_over(repo: Path) -> None:
    outer = write(repo / "pyproject.toml", in_pyproject('format = "json"\n'))
    write(repo / "sub" / "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
    write(repo / "sub" / "deeper" / "pyproject.toml", 'tool = "not a table"\n')
    assert discover(repo / "sub" / "deeper") == outer


def test_discovery_stops_at_the_repository_root(tmp_path: Path) -> None:
    write(tmp_path / "cosmecheck.toml", 'call = "OUTSIDE"\n')
    checkout = tmp_path / "checkout"
    (checkout / "src").mkdir(parents=True)
    (checkout / ".git").write_text("gitdir: elsewhere\n", encoding="utf-8")  # a worktree
    assert discover(checkout / "src") is None
    own = write(checkout / "cosmecheck.toml", "")
    assert discover(checkout / "src") == own.resolve()


def test_discovery_from_a_file_starts_in_its_folder(repo: Path) -> None:
    config = write(repo / "cosmecheck.toml", "")
    file = write(repo / "consortium.yaml", "")
    assert discover(file) == config


def test_a_broken_pyproject_on_the_way_is_an_error(repo: Path) -> None:
    write(repo / "pyproject.toml", "[tool.cosmecheck\n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml:1:\d+: invalid TOML"):
        discover(repo)


def test_no_configuration_anywhere_is_an_empty_config(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    assert discover(repo) is None
    assert find_config() == Config()


# Reading


def test_every_key_is_read(repo: Path) -> None:
    path = write(repo / "cosmecheck.toml", FULL)
    assert load(path) == Config(
        source=path,
        call="COS-CLUSTER-2018-03-02",
        rules=(repo / "packs", Path("/abs/packs")),
        select=("consortium-countries",),
        ignore=("budget-share", "cos-other"),
        fail_on="warning",
        format="json",
        exclude=("drafts/", "*.old.yaml"),
        jobs=4,
    )


def test_pyproject_and_cosmecheck_toml_read_alike(repo: Path) -> None:
    own = load(write(repo / "a" / "cosmecheck.toml", FULL))
    tool = load(write(repo / "a" / "pyproject.toml", in_pyproject(FULL)))
    assert dataclasses.replace(tool, source=own.source) == own


def test_rules_resolve_relative_to_the_config_file(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(repo / "project" / "cosmecheck.toml", 'rules = ["packs", "../shared/packs"]\n')
    (repo / "project" / "deep").mkdir()
    monkeypatch.chdir(repo / "project" / "deep")
    assert find_config().rules == (repo / "project" / "packs", repo / "project/../shared/packs")


def test_an_explicit_relative_path_resolves_rules_from_its_folder(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(repo / "ci" / "strict.toml", 'rules = ["packs"]\nfail-on = "info"\n')
    monkeypatch.chdir(repo)
    config = find_config(explicit=Path("ci/strict.toml"))
    assert config.rules == (repo / "ci" / "packs",)
    assert config.fail_on == "info"


def test_an_empty_table_is_a_valid_empty_config(repo: Path) -> None:
    path = write(repo / "pyproject.toml", in_pyproject(""))
    assert find_config(repo) == Config(source=path)


def test_an_empty_cosmecheck_toml_is_a_valid_empty_config(repo: Path) -> None:
    path = write(repo / "cosmecheck.toml", "# nothing yet\n")
    assert load(path) == Config(source=path)


def test_a_whole_float_is_a_whole_number_of_jobs(repo: Path) -> None:
    config = load(write(repo / "cosmecheck.toml", "jobs = 2.0\n"))
    assert config.jobs == 2
    assert isinstance(config.jobs, int)


# Errors


BAD = [
    pytest.param("jobz = 4", "unknown key `jobz` (did you mean `jobs`?)", id="unknown-key"),
    pytest.param(
        "fail_on = 'error'", "unknown key `fail_on` (did you mean `fail-on`?)", id="underscore"
    ),
    pytest.param(
        "colour = true", "unknown key `colour` (the keys are: call, rules,", id="no-close-key"
    ),
    pytest.param(
        'fail-on = "fatal"',
        '`fail-on` must be one of error, warning, info, not "fatal"',
        id="fail-on-fatal",
    ),
    pytest.param('fail-on = "warn"', 'not "warn" (did you mean "warning"?)', id="fail-on-close"),
    pytest.param('fail-on = "Error"', 'not "Error" (did you mean "error"?)', id="fail-on-case"),
    pytest.param("jobs = 0", "`jobs` must be 1 or more, not 0", id="jobs-zero"),
    pytest.param("jobs = true", "`jobs` must be a whole number, not true", id="jobs-bool"),
    pytest.param("jobs = 1.5", "`jobs` must be a whole number, not 1.5", id="jobs-float"),
    pytest.param(
        'select = "consortium-countries"',
        '`select` must be a list, not "consortium-countries" (write ["consortium-countries"])',
        id="select-string",
    ),
    pytest.param('rules = [""]', "`rules` item 1 must not be empty", id="rules-empty"),
    pytest.param('exclude = ["a", "  "]', "`exclude` item 2 must not be empty", id="blank-item"),
    pytest.param("ignore = [3]", "`ignore` item 1 must be text, not 3", id="ignore-number"),
    pytest.param('format = ""', "`format` must not be empty", id="format-empty"),
    pytest.param("call = {}", "`call` must be text, not a table", id="call-table"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_a_bad_cosmecheck_toml_names_the_file_and_the_key(
    repo: Path, text: str, message: str
) -> None:
    path = write(repo / "cosmecheck.toml", text + "\n")
    with pytest.raises(ConfigError) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_a_bad_pyproject_names_the_key_in_full(repo: Path) -> None:
    path = write(repo / "pyproject.toml", in_pyproject('jobz = 4\nfail-on = "fatal"\n'))
    with pytest.raises(ConfigError) as caught:
        find_config(repo)
    assert str(caught.value) == (
        f"{path}: unknown key `tool.cosmecheck.jobz` (did you mean `jobs`?); "
        '`tool.cosmecheck.fail-on` must be one of error, warning, info, not "fatal"'
    )


def test_a_table_that_is_not_a_table_is_an_error(repo: Path) -> None:
    write(repo / "pyproject.toml", "[tool]\ncosmecheck = 3\n")
    with pytest.raises(ConfigError, match=r"`tool\.cosmecheck` must be a table, not 3"):
        find_config(repo)


def test_every_problem_is_in_the_one_message(repo: Path) -> None:
    path = write(repo / "cosmecheck.toml", 'jobs = 0\nrules = [""]\nselect = "x"\n')
    with pytest.raises(ConfigError) as caught:
        load(path)
    message = str(caught.value)
    assert "\n" not in message
    assert [m in message for m in ("`jobs`", "`rules` item 1", "`select`")] == [True] * 3


def test_invalid_toml_gives_the_line_and_column(repo: Path) -> None:
    path = write(repo / "cosmecheck.toml", 'call = "A"\nrules = ["packs",\nfail-on = \n')
    with pytest.raises(ConfigError, match=r"^.*cosmecheck\.toml:\d+:\d+: invalid TOML: ") as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}:")


def test_a_duplicate_key_gives_its_line(repo: Path) -> None:
    path = write(repo / "cosmecheck.toml", 'call = "A"\njobs = 1\njobs = 2\n')
    with pytest.raises(ConfigError, match=r"cosmecheck\.toml:3:\d+: invalid TOML: ") as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}:3:")


def test_text_that_is_not_utf8_is_an_error(repo: Path) -> None:
    path = repo / "cosmecheck.toml"
    path.write_bytes(b'call = "A"\nformat = "caf\xe9"\n')
    with pytest.raises(ConfigError, match=r"cosmecheck\.toml:2: not UTF-8"):
        load(path)


def test_an_explicit_file_that_is_missing_is_an_error(repo: Path) -> None:
    with pytest.raises(ConfigError, match=r"nope\.toml: cannot read: "):
        find_config(explicit=repo / "nope.toml")


def test_an_explicit_pyproject_without_the_table_is_an_error(repo: Path) -> None:
    path = write(repo / "pyproject.toml", '[project]\nname = "x"\n')
    with pytest.raises(ConfigError, match=r"no \[tool\.cosmecheck\] table"):
        find_config(explicit=path)


def test_config_errors_exit_like_every_cosmecheck_error() -> None:
    assert issubclass(ConfigError, CosmecheckError)


# The schema


def test_the_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(schema())


def test_the_schema_and_the_dataclass_have_the_same_keys() -> None:
    fields = {f.name for f in dataclasses.fields(Config)} - {"source"}
    assert {key.replace("-", "_") for key in schema()["properties"]} == fields


# --- Through the command line ----------------------------------------------------------------


def _project(tmp_path: Path, settings: str) -> Path:
    (tmp_path / ".git").mkdir(exist_ok=True)
    (tmp_path / "cosmecheck.toml").write_text(settings, "utf-8")
    target = tmp_path / "three-regions.yaml"
    target.write_text((EXAMPLES / "three-regions.yaml").read_text("utf-8"), "utf-8")
    return target


def test_cli_uses_the_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Callable[..., Any]
) -> None:
    target = _project(tmp_path, 'format = "json"\nfail-on = "warning"\n')
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", target.name)
    assert run.exit_code == 1
    assert run.json()["files"][0]["status"] == "ineligible"


def test_cli_options_win_over_the_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Callable[..., Any]
) -> None:
    target = _project(tmp_path, 'format = "json"\nignore = ["consortium-region"]\n')
    monkeypatch.chdir(tmp_path)
    assert run_cli("check", target.name).json()["files"][0]["status"] == "eligible"
    run = run_cli("check", target.name, "--format", "text", "--ignore", "proposal-duration")
    assert run.exit_code == 1
    assert "consortium-region" in run.stdout


def test_cli_refuses_a_bad_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Callable[..., Any]
) -> None:
    target = _project(tmp_path, 'formt = "json"\n')
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", target.name)
    assert run.exit_code == 2
    assert "unknown key `formt` (did you mean `format`?)" in run.stderr


def test_cli_refuses_an_unknown_format_in_the_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Callable[..., Any]
) -> None:
    target = _project(tmp_path, 'format = "pdf"\n')
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", target.name)
    assert run.exit_code == 2
    assert "format 'pdf' is not one of" in run.stderr
