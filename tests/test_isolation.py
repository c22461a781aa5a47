"""Isolation: no network, no code execution, no writes but the explicit --output and init targets.

Every shipped example and test case is checked (through the library and the command line) with
the network disabled: sockets, connections and name look-ups raise and are recorded, and the
test asserts that none was attempted. Writes are watched the same way: `check` writes nothing
but its --output and --report files, `init` nothing but its target, and `init` refuses to
overwrite a file or to write through a symbolic link. A YAML Python tag never runs anything.
"""

from __future__ import annotations

import builtins
import io
import json
import os
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import CASES, EXAMPLES
from cosmecheck.checker import Checker
from cosmecheck.model import CheckOptions, Status
from cosmecheck.report import FORMATTERS

RunCli = Callable[..., Any]

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
CASE_FILES = sorted(p for p in CASES.rglob("*.yaml") if not p.name.startswith("_"))
BAD = CASES / "bad"
ALL_FILES = EXAMPLE_FILES + CASE_FILES


def _is_bad(path: Path) -> bool:
    return path.parent == BAD


class Attempted(RuntimeError):
    """Something the tool must never do was attempted."""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Sockets, connections and name look-ups raise; every attempt is recorded."""
    attempts: list[str] = []

    def refuse(name: str) -> Callable[..., Any]:
        def refused(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{name}{args!r}")
            raise Attempted(f"network access attempted: {name}")

        return refused

    real_socket = socket.socket
    for method in ("connect", "connect_ex", "sendto", "bind"):
        monkeypatch.setattr(real_socket, method, refuse(f"socket.{method}"))
    for name in (
        "socket",
        "create_connection",
        "getaddrinfo",
        "gethostbyname",
        "gethostbyname_ex",
        "socketpair",
    ):
        monkeypatch.setattr(socket, name, refuse(f"socket.{name}"))
    yield attempts
    assert attempts == [], attempts


@pytest.fixture
def no_processes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Shell commands and new processes raise; every attempt is recorded."""
    attempts: list[str] = []

    def refuse(name: str) -> Callable[..., Any]:
        def refused(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{name}{args!r}")
            raise Attempted(f"process attempted: {name}")

        return refused

    monkeypatch.setattr(subprocess, "Popen", refuse("subprocess.Popen"))
    for name in ("system", "popen", "execv", "execve", "execvp", "spawnv", "posix_spawn"):
        if hasattr(os, name):
            monkeypatch.setattr(os, name, refuse(f"os.{name}"))
    yield attempts
    assert attempts == [], attempts


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


class WriteSpy:
    """Records every file opened for writing through open(), io.open(), os.open()."""

    def __init__(self) -> None:
        self.written: list[Path] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        real_open, real_os_open = builtins.open, os.open

        def spy_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            if isinstance(file, (str, bytes, os.PathLike)) and set(mode) & set("wax+"):
                self.written.append(Path(os.fsdecode(file)).absolute())
            return real_open(file, mode, *args, **kwargs)

        def spy_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if flags & _WRITE_FLAGS:
                self.written.append(Path(os.fsdecode(path)).absolute())
            return real_os_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", spy_open)
        monkeypatch.setattr(io, "open", spy_open)
        monkeypatch.setattr(os, "open", spy_os_open)


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> WriteSpy:
    spy = WriteSpy()
    spy.install(monkeypatch)
    return spy


def listing(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


# --- No network ----------------------------------------------------------------------------------


def test_the_network_spy_works(no_network: list[str]) -> None:
    with pytest.raises(Attempted):
        socket.create_connection(("example.com", 80))
    with pytest.raises(Attempted):
        socket.getaddrinfo("example.com", 443)
    assert len(no_network) == 2
    no_network.clear()


def test_the_process_spy_works(no_processes: list[str]) -> None:
    with pytest.raises(Attempted):
        os.system("true")
    with pytest.raises(Attempted):
        subprocess.run(["true"], check=False)
    assert len(no_processes) == 2
    no_processes.clear()


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.relative_to(p.parents[1]).as_posix())
def test_every_example_checks_without_the_network(
    no_network: list[str], no_processes: list[str], path: Path
) -> None:
    result = Checker(CheckOptions()).check_file(path)
    if _is_bad(path):
        assert result.status is Status.ERROR
        assert result.load_errors
    else:
        assert result.load_errors == ()
        assert result.status in (Status.ELIGIBLE, Status.INELIGIBLE)
    assert no_network == []


@pytest.mark.parametrize("name", list(FORMATTERS))
def test_the_cli_checks_every_example_without_the_network(
    run_cli: RunCli,
    no_network: list[str],
    no_processes: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", *ALL_FILES, "-f", name, "--jobs", "1", "--verbose")
    assert run.exit_code == 2  # tests/cases/bad holds files that do not load
    assert "Traceback" not in run.stdout + run.stderr
    if name == "json":
        statuses = {f["path"]: f["status"] for f in run.json()["files"]}
        assert len(statuses) == len(ALL_FILES)
        for path in ALL_FILES:
            assert (statuses[str(path)] == "error") == _is_bad(path), path
    assert no_network == []
    assert listing(tmp_path) == set()


@pytest.mark.parametrize(
    "args",
    [
        ("calls",),
        ("rules",),
        ("explain", "consortium-region"),
        ("schema",),
        ("facts", str(EXAMPLES / "recipe4mobility.yaml")),
        ("init", "new.yaml"),
    ],
    ids=lambda args: args[0],
)
def test_the_other_commands_work_without_the_network(
    run_cli: RunCli,
    no_network: list[str],
    no_processes: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
) -> None:
    monkeypatch.chdir(tmp_path)
    run = run_cli(*args)
    assert run.exit_code == 0, run.stderr
    assert no_network == []


# --- No writes but the explicit targets ----------------------------------------------------------


def _warm_up(run_cli: RunCli, tmp_path: Path) -> None:
    """Import everything a check imports, so that the watched run opens only what it writes."""
    warm = tmp_path / "warm"
    warm.mkdir()
    run_cli("check", *EXAMPLE_FILES, "-f", "json", "--jobs", "1", "-o", warm / "r.json")


def test_check_writes_nothing_without_output(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _warm_up(run_cli, tmp_path)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    spy = WriteSpy()
    spy.install(monkeypatch)
    for name in FORMATTERS:
        run = run_cli("check", *ALL_FILES, "-f", name, "--jobs", "1")
        assert run.exit_code == 2
    assert spy.written == []
    assert listing(cwd) == set()


def test_check_writes_only_its_output_files(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _warm_up(run_cli, tmp_path)
    cwd = tmp_path / "cwd"
    (cwd / "out").mkdir(parents=True)
    monkeypatch.chdir(cwd)
    spy = WriteSpy()
    spy.install(monkeypatch)
    args = ("-f", "json", "--jobs", "1", "-o", "report.json", "--report", "sarif=out/r.sarif")
    run = run_cli("check", *EXAMPLE_FILES, *args)
    assert run.exit_code in (0, 1), run.stderr
    assert run.stdout == ""
    assert listing(cwd) == {"out", "out/r.sarif", "report.json"}
    json.loads((cwd / "report.json").read_text("utf-8"))
    allowed = [cwd / "report.json", cwd / "out" / "r.sarif"]
    assert spy.written
    for path in spy.written:
        assert any(
            path == target
            or (
                path.parent == target.parent
                and path.name.startswith(f".{target.name}.")
                and path.name.endswith(".tmp")
            )
            for target in allowed
        ), path


def test_a_failed_output_leaves_nothing_behind(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", *EXAMPLE_FILES, "-f", "json", "-o", "missing/report.json")
    assert run.exit_code == 2
    assert listing(tmp_path) == set()


# --- init ----------------------------------------------------------------------------------------


def _symlink(link: Path, target: Path) -> None:
    try:
        link.symlink_to(target)
    except (OSError, NotImplementedError):
        pytest.skip("no symbolic links here")


def test_init_writes_a_new_file_and_nothing_else(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writes: WriteSpy
) -> None:
    monkeypatch.chdir(tmp_path)
    run = run_cli("init", "mine.yaml")
    assert run.exit_code == 0, run.stderr
    assert listing(tmp_path) == {"mine.yaml"}
    assert writes.written == [tmp_path / "mine.yaml"]
    assert "call:" in (tmp_path / "mine.yaml").read_text("utf-8")


def test_init_refuses_to_overwrite(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "consortium.yaml"
    target.write_text("# my work\n", "utf-8")
    before = target.stat()
    run = run_cli("init")
    assert run.exit_code == 2
    assert "exists already" in run.stderr
    assert target.read_text("utf-8") == "# my work\n"
    assert target.stat().st_mtime_ns == before.st_mtime_ns
    assert listing(tmp_path) == {"consortium.yaml"}


@pytest.mark.parametrize("exists", [True, False], ids=["existing", "dangling"])
def test_init_never_writes_through_a_link_out_of_the_folder(
    run_cli: RunCli, tmp_path: Path, exists: bool
) -> None:
    folder = tmp_path / "project"
    elsewhere = tmp_path / "elsewhere"
    folder.mkdir()
    elsewhere.mkdir()
    pointee = elsewhere / "x.yaml"
    if exists:
        pointee.write_text("# someone else's\n", "utf-8")
    link = folder / "link.yaml"
    _symlink(link, pointee)
    run = run_cli("init", link)
    assert run.exit_code == 2
    assert "cosmecheck: error:" in run.stderr
    assert link.is_symlink()
    if exists:
        assert pointee.read_text("utf-8") == "# someone else's\n"
    else:
        assert not pointee.exists()
    assert listing(elsewhere) == ({"x.yaml"} if exists else set())
    assert listing(folder) == {"link.yaml"}


def test_init_never_writes_through_a_link_to_an_absolute_path(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    outside = tmp_path.parent / f"{tmp_path.name}-outside.yaml"
    assert not outside.exists()
    _symlink(tmp_path / "consortium.yaml", outside)
    try:
        run = run_cli("init")
        assert run.exit_code == 2
        assert not outside.exists()
    finally:
        outside.unlink(missing_ok=True)


def test_init_refuses_a_link_to_a_folder(run_cli: RunCli, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / "consortium.yaml"
    _symlink(link, elsewhere)
    run = run_cli("init", link)
    assert run.exit_code == 2
    assert listing(elsewhere) == set()


# --- No code execution ---------------------------------------------------------------------------


def python_tag_files(marker: Path) -> dict[str, str]:
    command = f"touch {marker}"
    head = "call: COS-CLUSTER-2018-03-02\n"
    ok = "proposal: {acronym: X}\npartners: [{name: A, country: IT}]\n"
    return {
        "apply-value": head
        + f'proposal:\n  acronym: !!python/object/apply:os.system ["{command}"]\n'
        "partners: [{name: A, country: IT}]\n",
        "apply-root": f'!!python/object/apply:os.system ["{command}"]\n',
        "apply-key": head + ok + f'? !!python/object/apply:os.system ["{command}"]\n: 1\n',
        "apply-in-x-key": head + ok + f'x-note: !!python/object/apply:os.system ["{command}"]\n',
        "new-popen": head
        + ok
        + f"x-note: !!python/object/new:subprocess.Popen [[touch, '{marker}']]\n",
        "object-map": head + ok + "x-note: !!python/object:os.PathLike {a: 1}\n",
        "name": head + ok + "x-note: !!python/name:os.system\n",
        "module": head + ok + "x-note: !!python/module:os\n",
        "tag-directive": "%TAG !p! tag:yaml.org,2002:python/\n---\n"
        + head
        + ok
        + f'x-note: !p!object/apply:os.system ["{command}"]\n',
        "verbatim-tag": head
        + ok
        + f'x-note: !<tag:yaml.org,2002:python/object/apply:os.system> ["{command}"]\n',
        "in-anchor": head
        + f'x-a: &a !!python/object/apply:os.system ["{command}"]\n'
        + "proposal: {acronym: *a}\npartners: [{name: A, country: IT}]\n",
        "in-partners": head
        + "proposal: {acronym: X}\n"
        + f'partners:\n  - !!python/object/apply:os.system ["{command}"]\n',
    }


def test_python_tags_never_run_anything(
    run_cli: RunCli,
    no_processes: list[str],
    no_network: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    marker = tmp_path / "PWNED"
    files = tmp_path / "files"
    files.mkdir()
    monkeypatch.chdir(tmp_path)
    paths = []
    for name, text in python_tag_files(marker).items():
        path = files / f"{name}.yaml"
        path.write_text(text, "utf-8")
        paths.append(path)
        result = Checker(CheckOptions()).check_file(path)
        assert result.status is Status.ERROR, name
        assert any("not allowed" in p.message for p in result.load_errors), (name, result)
    run = run_cli("check", *paths, "-f", "json", "--jobs", "1")
    assert run.exit_code == 2
    assert all(f["status"] == "error" for f in run.json()["files"])
    assert not marker.exists()
    assert not (tmp_path / "files" / "PWNED").exists()
    assert no_processes == []


def test_the_python_tag_case_names_the_tag(run_cli: RunCli) -> None:
    run = run_cli("check", BAD / "python-tag.yaml", "-f", "json")
    assert run.exit_code == 2
    (problem,) = run.json()["files"][0]["load_errors"]
    assert "!!python/object/apply:os.system is not allowed" in problem["message"]
