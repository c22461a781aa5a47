"""Batches: many files, folders and globs, --exclude and .cosmecheckignore, workers whose output
is byte for byte that of one process, progress and summary, faults that never lose the rest of a
batch, and Ctrl-C.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import pty
import pwd
import random
import re
import signal
import subprocess
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, MALFORMED, Run, cli_env
from cosmecheck import batch, check_paths
from cosmecheck import checker as checker_module
from cosmecheck.checker import Checker, check_targets
from cosmecheck.discovery import discover
from cosmecheck.model import CheckOptions, FileResult, Report, Severity
from cosmecheck.report import FORMATTERS, Style
from cosmecheck.report.json import document
from cosmecheck.report.text import summary_line

RunCli = Callable[..., Run]

RECIPE = EXAMPLES / "recipe4mobility.yaml"  # eligible
LATE = EXAMPLES / "late-submission.yaml"  # 1 error, 1 warning
THREE = EXAMPLES / "three-regions.yaml"  # 1 error
NORWAY = EXAMPLES / "norwegian-partner.yaml"  # 3 errors
BUDGET = EXAMPLES / "over-budget.yaml"  # 3 errors
ALL_EXAMPLES = [RECIPE, LATE, THREE, NORWAY, BUDGET]

# A CI workflow: YAML, but no consortium file.
WORKFLOW = """\
name: CI
on:
  push:
    branches: [main]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
"""

MANY = 150  # files in the parallel batch: above batch.IN_PROCESS_BELOW
BIG = 4000  # files in the batch that Ctrl-C interrupts (a second into a run of several)
SUMMARY = re.compile(r"^(\d+) files?: ")


# --------------------------------------------------------------------------------------------
# helpers and fixtures


def _variant(source: Path, suffix: str) -> str:
    """The text of an example with ``-suffix`` added to its acronym."""
    text = source.read_text("utf-8")
    varied, count = re.subn(r"(?m)^(  acronym: )(\S+)", rf"\g<1>\g<2>-{suffix}", text)
    assert count == 1, f"{source.name} no longer has exactly one `  acronym:` line"
    return varied


def _fill(folder: Path, count: int) -> list[Path]:
    """``count`` copies of the examples in turn, each with its own acronym."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        source = ALL_EXAMPLES[i % len(ALL_EXAMPLES)]
        path = folder / f"c{i:04d}-{source.stem}.yaml"
        path.write_text(_variant(source, f"{i:04d}"), "utf-8")
        paths.append(path)
    return paths


def _put(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def _copy(source: Path, path: Path) -> Path:
    return _put(path, source.read_text("utf-8"))


def _command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "cosmecheck", *map(str, args)]


def _cosmecheck(
    *args: str | Path, cwd: Path, timeout: float = 60
) -> subprocess.CompletedProcess[bytes]:
    """Run cosmecheck in a real process, stdout and stderr piped (bytes, for exact comparison)."""
    return subprocess.run(
        _command(*args), capture_output=True, cwd=cwd, env=cli_env(), timeout=timeout, check=False
    )


def _statuses(report: dict[str, Any]) -> dict[str, str]:
    return {f["path"]: f["status"] for f in report["files"]}


def _first_error(report: dict[str, Any], path: str) -> str:
    [entry] = [f for f in report["files"] if f["path"] == path]
    assert entry["load_errors"], entry
    message: str = entry["load_errors"][0]["message"]
    return message


def _table_rows(stdout: str) -> list[list[str]]:
    """The rows of a batch table, in order: file, acronym, call, verdict, errors, warnings."""
    shared = [line[len("call: ") :] for line in stdout.splitlines() if line.startswith("call: ")]
    rows = []
    for line in stdout.splitlines():
        cells = [c.strip() for c in line.split("│")]
        if len(cells) == 5 and shared:  # one call for every file: said below the table
            cells.insert(2, shared[0])
        if len(cells) == 6 and cells[0].endswith((".yaml", ".yml")):
            rows.append(cells)
    return rows


def _json_text(report: Report) -> str:
    return json.dumps(document(report), indent=2, sort_keys=True)


def _no_traceback(*streams: str) -> None:
    for stream in streams:
        assert "Traceback" not in stream


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of MANY consortium files: enough for worker processes."""
    assert batch.IN_PROCESS_BELOW < MANY, "the batch would not reach the workers"
    folder = tmp_path_factory.mktemp("many") / "many"
    _fill(folder, MANY)
    return folder


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of BIG consortium files: a run long enough to interrupt."""
    folder = tmp_path_factory.mktemp("big") / "big"
    _fill(folder, BIG)
    return folder


# --------------------------------------------------------------------------------------------
# many files: folders, globs, stdin


def test_files_folders_globs_and_stdin_in_one_run(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _copy(RECIPE, tmp_path / "tree" / "a.yaml")
    _copy(THREE, tmp_path / "tree" / "b.yml")
    _put(tmp_path / "tree" / "notes.txt", "not YAML at all: {")
    _put(tmp_path / "tree" / "data.json", "{}")
    # Names whose suffix is not .yaml, as pathlib reads them: a bare ".yaml", a backup.
    _put(tmp_path / "tree" / ".yaml", "not: [a consortium")
    _put(tmp_path / "tree" / "a.yaml.bak", "not: [a consortium")
    _put(tmp_path / "tree" / "upper.YAML", "not: [a consortium")
    _copy(RECIPE, tmp_path / "tree" / ".hidden" / "h.yaml")
    _put(tmp_path / "tree" / ".github" / "workflows" / "ci.yaml", WORKFLOW)
    _copy(LATE, tmp_path / "tree" / "sub" / "c.yaml")
    _copy(NORWAY, tmp_path / "tree" / "sub" / "deeper" / "d.yaml")
    _copy(BUDGET, tmp_path / "loose" / "e.yaml")
    _copy(RECIPE, tmp_path / "loose" / "f.yaml")
    _copy(THREE, tmp_path / "single.yaml")
    run = run_cli(
        "check", "tree", "loose/*.yaml", "single.yaml", "-", "--format", "json",
        input=RECIPE.read_text("utf-8"),
    )  # fmt: skip
    assert run.exit_code == 1, run.stdout + run.stderr
    report = run.json()
    # In the order given, a folder's own files sorted before its subfolders'; hidden folders
    # (.hidden, .github) and files that are not *.yaml or *.yml are left out.
    assert [f["path"] for f in report["files"]] == [
        "tree/a.yaml",
        "tree/b.yml",
        "tree/sub/c.yaml",
        "tree/sub/deeper/d.yaml",
        "loose/e.yaml",
        "loose/f.yaml",
        "single.yaml",
        "<stdin>",
    ]
    assert report["summary"] == {
        "files": 8,
        "eligible": 3,
        "ineligible": 5,
        "error": 0,
        "skipped": 0,
    }


def test_a_folder_is_checked_in_a_stable_order(tmp_path: Path) -> None:
    folder = tmp_path / "tree"
    names = [f"{n:03d}.yaml" for n in random.Random(4).sample(range(1000), 20)]
    sub = [f"{n:03d}.yml" for n in random.Random(5).sample(range(1000), 10)]
    for name in names:  # created in random order
        _put(folder / name, WORKFLOW)
    for name in sub:
        _put(folder / "zz-sub" / name, WORKFLOW)
    expected = [f"{folder}/{n}" for n in sorted(names)]
    expected += [f"{folder}/zz-sub/{n}" for n in sorted(sub)]
    first = check_paths([str(folder)])
    again = check_paths([str(folder)])
    assert [f.path for f in first.files] == expected
    assert [f.path for f in again.files] == expected


def test_a_folder_named_by_dot_is_searched(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder searched is never itself 'hidden', even when it is `.`."""
    monkeypatch.chdir(tmp_path)
    _copy(RECIPE, tmp_path / "a.yaml")
    _copy(THREE, tmp_path / "sub" / "b.yaml")
    run = run_cli("check", ".", "--format", "json")
    assert run.exit_code == 1
    assert [Path(f["path"]).as_posix() for f in run.json()["files"]] == ["a.yaml", "sub/b.yaml"]


def test_stdin_is_one_file_shown_as_stdin(run_cli: RunCli) -> None:
    run = run_cli("check", "-", "--format", "json", input=RECIPE.read_text("utf-8"))
    assert run.exit_code == 0, run.stdout + run.stderr
    [entry] = run.json()["files"]
    assert entry["path"] == "<stdin>"
    assert entry["status"] == "eligible"
    assert entry["acronym"] == "RECiPE4Mobility"

    text = run_cli("check", "-", input=LATE.read_text("utf-8"))
    assert text.exit_code == 1
    lines = text.stdout.splitlines()
    assert lines[0] == "<stdin>"
    assert "<stdin>:13:15" in text.stdout  # the late submission, at its place in the input


def test_stdin_beside_many_files_with_jobs(run_cli: RunCli, many: Path) -> None:
    """Standard input is read once, in the main process, even when workers could be used."""
    text = _variant(LATE, "stdin")
    one = run_cli("check", many, "-", "-j", "1", "--format", "json", input=text)
    two = run_cli("check", many, "-", "-j", "2", "--format", "json", input=text)
    assert one.exit_code == two.exit_code == 1
    assert one.stdout == two.stdout
    report = one.json()
    assert report["summary"]["files"] == MANY + 1
    assert report["files"][-1]["path"] == "<stdin>"
    assert report["files"][-1]["acronym"] == "CREATE-X-stdin"


# --------------------------------------------------------------------------------------------
# files that are no consortium files


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository: a consortium file and a CI workflow in a visible folder."""
    monkeypatch.chdir(tmp_path)
    _copy(RECIPE, tmp_path / "repo" / "consortium.yaml")
    _put(tmp_path / "repo" / "ci" / "workflow.yml", WORKFLOW)
    return Path("repo")


def test_a_non_consortium_file_found_in_a_folder_is_skipped(run_cli: RunCli, repo: Path) -> None:
    run = run_cli("check", repo, "--format", "json")
    assert run.exit_code == 0, run.stdout + run.stderr
    report = run.json()
    assert _statuses(report) == {
        "repo/consortium.yaml": "eligible",
        "repo/ci/workflow.yml": "skipped",
    }
    [skipped] = [f for f in report["files"] if f["status"] == "skipped"]
    assert skipped["load_errors"] == []
    assert skipped["findings"] == []
    assert report["summary"] == {
        "files": 2,
        "eligible": 1,
        "ineligible": 0,
        "error": 0,
        "skipped": 1,
    }
    text = run_cli("check", repo)
    assert text.exit_code == 0
    assert text.stdout.splitlines()[-1] == (
        "2 files: 1 eligible, 1 skipped (not consortium files) · 0 errors, 0 warnings, 0 info"
    )


@pytest.mark.parametrize("how", ["named", "stdin"])
def test_a_non_consortium_file_named_explicitly_is_an_error(
    run_cli: RunCli, repo: Path, how: str
) -> None:
    if how == "named":
        run = run_cli("check", repo / "consortium.yaml", repo / "ci" / "workflow.yml", "-f", "json")
        name = "repo/ci/workflow.yml"
    else:
        run = run_cli("check", repo / "consortium.yaml", "-", "-f", "json", input=WORKFLOW)
        name = "<stdin>"
    assert run.exit_code == 2
    report = run.json()
    assert _statuses(report) == {"repo/consortium.yaml": "eligible", name: "error"}
    assert report["summary"]["skipped"] == 0
    assert report["summary"]["error"] == 1


# --------------------------------------------------------------------------------------------
# --exclude and .cosmecheckignore


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tree with ignore files at the top and in a subfolder; the working folder is its parent."""
    monkeypatch.chdir(tmp_path)
    _put(tmp_path / ".cosmecheckignore", "# drafts are not checked\ndrafts/\n")
    proj = tmp_path / "proj"
    for name in [
        "a.yaml",
        "old-a.yaml",  # --exclude old-*.yaml
        "drafts.yaml",  # a file: `drafts/` names folders only
        "drafts/d.yaml",
        "deep/drafts/e.yaml",  # `drafts/` has no slash inside: any depth
        "sub/keep.yaml",
        "sub/drop.yaml",
        "sub/inner/keep.yaml",
        "sub/inner/drop.yaml",
        "other/drop.yaml",  # sub's ignore file applies below sub only
        "drop.yaml",
    ]:
        _copy(RECIPE, proj / name)
    _put(proj / "sub" / ".cosmecheckignore", "*.yaml\n!keep.yaml\n")
    return Path("proj")


KEPT = [
    "proj/a.yaml",
    "proj/drafts.yaml",
    "proj/drop.yaml",
    "proj/other/drop.yaml",
    "proj/sub/keep.yaml",
    "proj/sub/inner/keep.yaml",
]


def test_ignore_files_and_exclude_follow_gitignore_rules(run_cli: RunCli, project: Path) -> None:
    run = run_cli("check", project, "--exclude", "old-*.yaml", "--format", "json")
    assert run.exit_code == 0, run.stdout + run.stderr
    assert sorted(_statuses(run.json())) == sorted(KEPT)
    # Without --exclude, only the ignore files apply.
    paths = [t.display for t in discover([str(project)])]
    assert sorted(paths) == sorted([*KEPT, "proj/old-a.yaml"])


def test_exclude_patterns_are_relative_to_the_working_folder(project: Path) -> None:
    paths = [t.display for t in discover([str(project)], exclude=["/proj/other/", "a.yaml"])]
    assert "proj/other/drop.yaml" not in paths
    assert "proj/a.yaml" not in paths
    assert "proj/drop.yaml" in paths
    # Repeated --exclude patterns add up, like lines of an ignore file.
    assert [t.display for t in discover([str(project)], exclude=["*.yaml", "!drop.yaml"])] == [
        "proj/drop.yaml",
        "proj/other/drop.yaml",
    ]


def test_globs_honour_exclude(run_cli: RunCli, project: Path) -> None:
    run = run_cli("check", "proj/*.yaml", "--exclude", "old-*.yaml", "-f", "json")
    assert sorted(_statuses(run.json())) == ["proj/a.yaml", "proj/drafts.yaml", "proj/drop.yaml"]


def test_files_named_explicitly_are_checked_even_if_excluded(
    run_cli: RunCli, project: Path
) -> None:
    named = ["proj/old-a.yaml", "proj/drafts/d.yaml", "proj/sub/drop.yaml"]
    run = run_cli("check", *named, "--exclude", "old-*.yaml", "--format", "json")
    assert run.exit_code == 0
    assert list(_statuses(run.json()).items()) == [(n, "eligible") for n in named]


@pytest.mark.parametrize("given", ["proj/sub/inner", "proj/sub/inner/*.yaml"])
def test_an_ignore_file_applies_below_its_folder_wherever_the_search_starts(
    project: Path, given: str
) -> None:
    assert [t.display for t in discover([given])] == ["proj/sub/inner/keep.yaml"]


# --------------------------------------------------------------------------------------------
# parallel workers


def test_jobs_give_byte_identical_reports(many: Path) -> None:
    """Text (verbose) on stdout and JSON through --report, for -j 1, 2 and 3."""
    outputs = {}
    for jobs in (1, 2, 3):
        report = many.parent / f"report-{jobs}.json"
        proc = _cosmecheck(
            "check", "many", "-j", jobs, "-v", "--report", f"json={report}", cwd=many.parent
        )
        assert proc.returncode == 1, proc.stderr.decode()
        # Piped and not in CI: no progress bar, nothing else either.
        assert proc.stderr == b"", proc.stderr.decode()
        outputs[jobs] = (proc.stdout, report.read_bytes())
    assert outputs[2] == outputs[1]
    assert outputs[3] == outputs[1]
    text, raw = outputs[1]
    data = json.loads(raw)
    assert data["summary"] == {
        "files": MANY,
        "eligible": MANY // 5,
        "ineligible": MANY - MANY // 5,
        "error": 0,
        "skipped": 0,
    }
    assert [Path(f["path"]).name for f in data["files"]] == sorted(p.name for p in many.iterdir())
    assert len(_table_rows(text.decode("utf-8"))) == MANY


def test_library_jobs_give_the_same_report(many: Path) -> None:
    one = check_paths([str(many)], CheckOptions(jobs=1))
    two = check_paths([str(many)], CheckOptions(jobs=2))
    assert not one.interrupted
    assert not two.interrupted
    assert len(one.files) == MANY
    assert two.files == one.files
    assert _json_text(two) == _json_text(one)
    assert two.exit_code() == one.exit_code() == 1


# --------------------------------------------------------------------------------------------
# progress bar


def _stderr_on_a_terminal(*args: str, **env: str) -> tuple[int, bytes, bytes]:
    """Run a batch with stderr on a pseudo-terminal (stdout piped): the exit status, what the
    terminal got and standard output."""
    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen(
            _command("check", EXAMPLES, "-j", "1", *args),
            stdout=subprocess.PIPE,
            stderr=follower,
            env=cli_env(**env),
        )
    finally:
        os.close(follower)
    received = b""
    try:
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the process closed the terminal
                break
            if not chunk:
                break
            received += chunk
    finally:
        os.close(leader)
    assert proc.stdout is not None
    stdout = proc.stdout.read()
    proc.stdout.close()
    return proc.wait(timeout=60), received, stdout


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize("report", ["text", "json"])  # kept to the end, or written as it goes
def test_progress_bar_on_a_terminal_only(report: str) -> None:
    code, shown, stdout = _stderr_on_a_terminal("-f", report)
    assert code == 1
    assert b"checking" in shown
    assert b"/5" in shown  # done of total
    assert b"checking" not in stdout
    if report == "json":
        assert len(json.loads(stdout)["files"]) == 5

    for args, env in [(("-f", report), {"CI": "true"}), (("-f", report, "--quiet"), {})]:
        code, shown, _ = _stderr_on_a_terminal(*args, **env)
        assert code == 1
        assert shown == b"", (args, env)


def test_no_progress_bar_when_piped(many: Path) -> None:
    proc = _cosmecheck("check", many, "-j", "2", cwd=many.parent)
    assert proc.returncode == 1
    assert proc.stderr == b""
    assert b"checking" not in proc.stdout


# --------------------------------------------------------------------------------------------
# table and summary


@pytest.fixture
def ranked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Files whose names sort in another order than their verdicts."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    folder = tmp_path / "batch"
    _copy(RECIPE, folder / "a-recipe.yaml")
    _put(folder / "b-workflow.yaml", WORKFLOW)
    _copy(THREE, folder / "c-three.yaml")
    _copy(LATE, folder / "d-late.yaml")
    _copy(NORWAY, folder / "e-norway.yaml")
    _copy(BUDGET, folder / "f-budget.yaml")
    _put(folder / "z-malformed.yaml", MALFORMED)
    return Path("batch")


def test_table_is_worst_first_then_a_summary(run_cli: RunCli, ranked: Path) -> None:
    run = run_cli("check", ranked)
    assert run.exit_code == 2
    rows = _table_rows(run.stdout)
    files = [Path(row[0]).name for row in rows]
    assert len(files) == 7
    assert files[0] == "z-malformed.yaml"
    assert set(files[1:3]) == {"e-norway.yaml", "f-budget.yaml"}  # 3 errors each
    assert set(files[3:5]) == {"c-three.yaml", "d-late.yaml"}  # 1 error each
    assert files[5:] == ["a-recipe.yaml", "b-workflow.yaml"]
    verdicts = [row[3].split()[-1] for row in rows]
    assert verdicts == ["LOADED", *["INELIGIBLE"] * 4, "ELIGIBLE", "SKIPPED"]
    assert [row[4] for row in rows[1:]] == ["3", "3", "1", "1", "0", "0"]
    assert run.stdout.splitlines()[-1] == (
        "7 files: 1 eligible, 4 ineligible, 1 not loaded, 1 skipped (not consortium files) "
        "· 8 errors, 1 warning, 0 info"
    )
    # Without -v a batch shows no findings.
    assert "proposal-deadline" not in run.stdout


def test_verbose_adds_each_files_findings(run_cli: RunCli, ranked: Path) -> None:
    run = run_cli("check", ranked, "-v")
    assert run.exit_code == 2
    lines = run.stdout.splitlines()
    assert len(_table_rows(run.stdout)) == 7
    for name in ["a-recipe", "b-workflow", "c-three", "d-late", "e-norway", "f-budget"]:
        assert f"batch/{name}.yaml" in lines, name  # each file's own header
    assert "batch/z-malformed.yaml" in lines
    assert any("batch/d-late.yaml:13:15" in line for line in lines)
    assert any("proposal-deadline" in line for line in lines)
    assert any("batch/z-malformed.yaml:3:9" in line for line in lines)
    assert lines[-1].startswith("7 files: 1 eligible, 4 ineligible, 1 not loaded, 1 skipped")


# --------------------------------------------------------------------------------------------
# faults in a batch


@pytest.fixture
def faulty(tmp_path: Path) -> Path:
    """Good files among every kind of bad one, and folder links that loop."""
    folder = tmp_path / "faulty"
    _copy(RECIPE, folder / "a-recipe.yaml")
    _copy(THREE, folder / "b-three.yaml")
    _copy(LATE, folder / "sub" / "c-late.yaml")
    noise = bytearray(random.Random(7).randbytes(300))
    noise[10] = 0
    (folder / "binary.yaml").write_bytes(b"call: X\n\0" + bytes(noise))
    (folder / "broken.yaml").symlink_to("no-such-file.yaml")
    (folder / "loop-a.yaml").symlink_to("loop-b.yaml")
    (folder / "loop-b.yaml").symlink_to("loop-a.yaml")
    (folder / "x.yaml").mkdir()  # a folder, matched by the glob *.yaml
    os.mkfifo(folder / "pipe.yaml")  # opening it would block for ever
    (folder / "sub" / "up").symlink_to("..")  # folder links that loop
    (folder / "sub" / "top").symlink_to("../..")
    (folder / "sub" / "self.yaml").symlink_to(".", target_is_directory=True)
    _fill(folder / "pad", 30)
    return folder


FAULT_MESSAGES: dict[str, str | tuple[str, ...]] = {
    "faulty/binary.yaml": ("binary", "not UTF-8"),
    "faulty/broken.yaml": "cannot read the file",
    "faulty/loop-a.yaml": "cannot read the file",
    "faulty/loop-b.yaml": "cannot read the file",
    "faulty/pipe.yaml": "not a regular file",
    "faulty/x.yaml": "folder",
}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX links and pipes")
def test_faults_are_each_files_load_error_and_the_batch_goes_on(faulty: Path) -> None:
    outputs = []
    for jobs in ("1", "2"):
        proc = _cosmecheck(
            "check", "faulty", "faulty/*.yaml", "-j", jobs, "-f", "json", cwd=faulty.parent,
            timeout=30,
        )  # fmt: skip
        stderr = proc.stderr.decode("utf-8")
        _no_traceback(stderr)
        assert proc.returncode == 2, stderr
        outputs.append(proc.stdout)
        # Each unloaded file is also named on stderr, as JSON goes to stdout.
        for path in FAULT_MESSAGES:
            assert f"cosmecheck: {path}" in stderr, path
    assert outputs[0] == outputs[1], "workers and one process disagree"
    report = json.loads(outputs[0])
    statuses = _statuses(report)
    assert {p: s for p, s in statuses.items() if not p.startswith("faulty/pad/")} == {
        "faulty/a-recipe.yaml": "eligible",
        "faulty/b-three.yaml": "ineligible",
        "faulty/binary.yaml": "error",
        "faulty/broken.yaml": "error",
        "faulty/loop-a.yaml": "error",
        "faulty/loop-b.yaml": "error",
        "faulty/pipe.yaml": "error",
        "faulty/sub/c-late.yaml": "ineligible",
        "faulty/x.yaml": "error",
    }
    for path, messages in FAULT_MESSAGES.items():
        first = _first_error(report, path)
        assert any(m in first for m in (messages if isinstance(messages, tuple) else [messages]))
    assert report["summary"] == {
        "files": 39,
        "eligible": 1 + 6,
        "ineligible": 2 + 24,
        "error": 6,
        "skipped": 0,
    }


def test_folder_links_that_loop_do_not_trap_the_search(faulty: Path) -> None:
    """Links to folders are not followed, so each file is found once, under one name."""
    paths = [t.display for t in discover([str(faulty)])]
    assert len(paths) == len(set(paths))
    assert not [p for p in paths if "/up/" in p or "/top/" in p or "self.yaml" in p]
    assert f"{faulty}/sub/c-late.yaml" in paths


def test_a_recursive_glob_does_not_follow_folder_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _copy(RECIPE, tmp_path / "f" / "a.yaml")
    _copy(THREE, tmp_path / "f" / "sub" / "b.yaml")
    (tmp_path / "f" / "sub" / "up").symlink_to("..")  # one link only: two would not end
    assert [t.display for t in discover(["f/**/*.yaml"])] == ["f/a.yaml", "f/sub/b.yaml"]


def test_a_file_deleted_after_discovery_is_its_load_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "IN_PROCESS_BELOW", 20)
    folder = tmp_path / "batch"
    paths = _fill(folder, 30)
    targets = discover([str(folder)])
    assert len(targets) == 30 > batch.IN_PROCESS_BELOW
    victim = paths[7]
    victim.unlink()
    report = check_targets(targets, CheckOptions(jobs=2))
    assert not report.interrupted
    assert [r.path for r in report.files] == [str(p) for p in paths]
    by_path = {r.path: r for r in report.files}
    gone = by_path.pop(str(victim))
    assert gone.status.value == "error"
    assert "cannot read the file" in gone.load_errors[0].message
    assert [r.status.value for r in by_path.values()].count("error") == 0
    assert report.summary() == {
        "files": 30,
        "eligible": 6,
        "ineligible": 23,
        "error": 1,
        "skipped": 0,
    }
    assert report.exit_code() == 2


def test_a_file_deleted_just_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _fill(tmp_path / "batch", 6)
    victim = paths[2]
    read_bytes = checker_module.read_bytes

    def deleting(path: str | Path, limits: Any) -> bytes:
        if Path(path) == victim:
            victim.unlink()
        return read_bytes(path, limits)

    monkeypatch.setattr(checker_module, "read_bytes", deleting)
    report = check_paths([str(tmp_path / "batch")])
    statuses = [r.status.value for r in report.files]
    assert statuses == ["eligible", "ineligible", "error", "ineligible", "ineligible", "eligible"]
    assert "cannot read the file" in report.files[2].load_errors[0].message
    assert report.exit_code() == 2


def _as_unprivileged(work: Callable[[], Any]) -> Any:
    """What ``work()`` returns when run by a user whom file permissions stop.

    As root, in a forked child that becomes `nobody` (the interpreter lives where `nobody`
    may not run it, so no new process can be started as `nobody`); otherwise right here.
    """
    if os.geteuid() != 0:
        return work()
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("running as root and there is no user `nobody` to drop to")
    reader, writer = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork() beside threads
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child, which must never return into pytest
        try:
            os.close(reader)
            try:
                os.setgroups([])
                os.setgid(nobody.pw_gid)
                os.setuid(nobody.pw_uid)
            except OSError as exc:
                payload: dict[str, Any] = {"skip": f"cannot become `nobody`: {exc}"}
            else:
                try:
                    payload = {"result": work()}
                except BaseException as exc:
                    payload = {"error": "".join(traceback.format_exception(exc))}
            with os.fdopen(writer, "w", encoding="utf-8") as stream:
                json.dump(payload, stream)
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader, encoding="utf-8") as stream:
        text = stream.read()
    os.waitpid(pid, 0)
    assert text, "the unprivileged child died without a word"
    payload = json.loads(text)
    if "skip" in payload:
        pytest.skip(payload["skip"])
    assert "error" not in payload, payload["error"]
    return payload["result"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_unreadable_file_and_folder_are_load_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "perm"
    _copy(RECIPE, folder / "a-recipe.yaml")
    _copy(THREE, folder / "b-three.yaml")
    locked = _copy(RECIPE, folder / "locked.yaml")
    _copy(RECIPE, folder / "closed" / "inside.yaml")
    _copy(LATE, folder / "sub" / "c-late.yaml")
    # Rule packs, time zones and lazy imports are loaded now, as the user running the tests;
    # the unprivileged check then reads nothing but the batch.
    checker = Checker(CheckOptions())
    assert checker.check_file(RECIPE).status.value == "eligible"
    monkeypatch.setattr(checker_module, "Checker", lambda options, keep_facts=True: checker)
    monkeypatch.chdir(tmp_path)
    tmp_path.chmod(0o755)
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    locked.chmod(0)
    (folder / "closed").chmod(0)

    def work() -> dict[str, Any]:
        try:
            locked.read_bytes()
        except PermissionError:
            pass
        else:
            return {"skip": "file permissions do not stop this user's reads"}
        report = check_targets(discover(["perm"]), CheckOptions(jobs=1))
        return {"report": document(report), "exit": report.exit_code()}

    try:
        outcome = _as_unprivileged(work)
    finally:
        locked.chmod(0o644)
        (folder / "closed").chmod(0o755)
    if "skip" in outcome:
        pytest.skip(outcome["skip"])
    report = outcome["report"]
    assert outcome["exit"] == 2
    assert _statuses(report) == {
        "perm/a-recipe.yaml": "eligible",
        "perm/b-three.yaml": "ineligible",
        "perm/locked.yaml": "error",
        "perm/closed": "error",
        "perm/sub/c-late.yaml": "ineligible",
    }
    assert "cannot read the file" in _first_error(report, "perm/locked.yaml")
    assert "cannot read this folder" in _first_error(report, "perm/closed")


# --------------------------------------------------------------------------------------------
# Ctrl-C


def _group(pgid: int) -> set[int]:
    """The processes of a process group, from /proc."""
    members = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path("/proc", entry, "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.add(int(entry))
    return members


def _interrupt(*args: str | Path, cwd: Path, jobs: int) -> tuple[int, str, str, int, set[int]]:
    """Start a batch in its own process group and Ctrl-C it after about a second.

    Returns the exit status, stdout, stderr, the process group and the workers seen in it
    before the interrupt.
    """
    proc = subprocess.Popen(
        _command("check", *args, "-j", jobs),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env=cli_env(),
        start_new_session=True,
    )
    try:
        started = time.monotonic()
        workers: set[int] = set()
        while jobs > 1 and len(workers) < jobs and time.monotonic() - started < 10:
            time.sleep(0.05)
            workers = _group(proc.pid) - {proc.pid}
        time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
        assert proc.poll() is None, "the batch ended before it could be interrupted"
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole group
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    deadline = time.monotonic() + 5
    while _group(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return proc.returncode, stdout.decode("utf-8"), stderr.decode("utf-8"), proc.pid, workers


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("jobs", [2, 1])
def test_ctrl_c_reports_what_was_checked(big: Path, jobs: int) -> None:
    code, stdout, stderr, group, workers = _interrupt(big, "-q", cwd=big.parent, jobs=jobs)
    _no_traceback(stdout, stderr)
    assert code == 130, stderr
    if jobs > 1:
        assert len(workers) >= jobs, "no workers were running at the interrupt"
    match = SUMMARY.match(stdout.splitlines()[-1])
    assert match, stdout[-500:]
    done = int(match.group(1))
    assert done < BIG
    # One line on stderr, and nothing from the workers (they ignore Ctrl-C, the run stops them).
    assert stderr.splitlines() == [f"cosmecheck: interrupted after {done} of {BIG} files"]
    # No worker is left behind, nor anything else the run started.
    assert _group(group) == set()
    assert not [pid for pid in workers if Path("/proc", str(pid)).exists()]
    with pytest.raises(ProcessLookupError):
        os.killpg(group, 0)


@pytest.mark.skipif(sys.platform == "win32", reason="a signal sent to this very process")
def test_ctrl_c_lost_inside_a_compiled_extension_still_stops_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(5):
        _copy(RECIPE, tmp_path / f"{number}.yaml")
    check_target = Checker.check_target

    def losing_ctrl_c(self: Checker, target: Any) -> Any:
        # Python raises KeyboardInterrupt right here, and the extension drops it, as
        # jsonschema-rs 0.61 can inside a validation.
        with contextlib.suppress(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
        return check_target(self, target)

    monkeypatch.setattr(Checker, "check_target", losing_ctrl_c)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    report = check_paths([str(tmp_path)], CheckOptions(jobs=1))
    assert report.interrupted
    assert len(report.files) == 1  # stopped after the file at hand
    assert report.exit_code() == 130
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_ctrl_c_handler_of_the_embedding_program_is_left_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pressed: list[int] = []

    def own(signum: int, frame: Any) -> None:
        pressed.append(signum)

    previous = signal.signal(signal.SIGINT, own)
    try:
        seen = []
        check_target = Checker.check_target

        def spy(self: Checker, target: Any) -> Any:
            seen.append(signal.getsignal(signal.SIGINT))
            return check_target(self, target)

        monkeypatch.setattr(Checker, "check_target", spy)
        report = check_paths([str(p) for p in ALL_EXAMPLES], CheckOptions(jobs=1))
        assert not report.interrupted
        assert seen == [own] * len(ALL_EXAMPLES)
        assert signal.getsignal(signal.SIGINT) is own
    finally:
        signal.signal(signal.SIGINT, previous)


OLD_TEXT = "the previous text report\n"
OLD_JSON = '{"previous": "report"}\n'


@pytest.fixture(scope="module")
def interrupted_output(big: Path) -> tuple[int, str, Path]:
    """A run interrupted while writing over previous reports with -o and --report."""
    out = big.parent / "reports"
    out.mkdir()
    (out / "report.txt").write_text(OLD_TEXT, "utf-8")
    (out / "report.json").write_text(OLD_JSON, "utf-8")
    code, _, stderr, _, _ = _interrupt(
        big, "-q", "-o", out / "report.txt", "--report", f"json={out / 'report.json'}",
        cwd=big.parent, jobs=2,
    )  # fmt: skip
    return code, stderr, out


def test_interrupted_run_leaves_no_temporary_files(
    interrupted_output: tuple[int, str, Path],
) -> None:
    code, stderr, out = interrupted_output
    assert code == 130
    assert "interrupted after" in stderr
    assert sorted(p.name for p in out.iterdir()) == ["report.json", "report.txt"]
    # Whatever is there is whole: the old report or a complete new one.
    text = (out / "report.txt").read_text("utf-8")
    assert text == OLD_TEXT or SUMMARY.match(text.splitlines()[-1])
    raw = (out / "report.json").read_text("utf-8")
    assert raw == OLD_JSON or json.loads(raw)


def test_interrupted_run_keeps_the_previous_reports(
    interrupted_output: tuple[int, str, Path],
) -> None:
    _, _, out = interrupted_output
    assert (out / "report.txt").read_text("utf-8") == OLD_TEXT
    assert (out / "report.json").read_text("utf-8") == OLD_JSON


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_an_interrupted_run_keeps_reports_written_as_it_went(big: Path) -> None:
    out = big.parent / "streamed-reports"
    out.mkdir()
    (out / "report.json").write_text(OLD_JSON, "utf-8")
    (out / "report.csv").write_text("old,csv\n", "utf-8")
    code, stdout, stderr, _, _ = _interrupt(
        big, "-f", "json", "-o", out / "report.json", "--report", f"csv={out / 'report.csv'}",
        cwd=big.parent, jobs=2,
    )  # fmt: skip
    _no_traceback(stdout, stderr)
    assert code == 130
    match = SUMMARY.match(stdout.splitlines()[-1])  # standard output has what was checked
    assert match, stdout
    assert stderr.splitlines() == [f"cosmecheck: interrupted after {match.group(1)} of {BIG} files"]
    assert (out / "report.json").read_text("utf-8") == OLD_JSON
    assert (out / "report.csv").read_text("utf-8") == "old,csv\n"
    assert sorted(p.name for p in out.iterdir()) == ["report.csv", "report.json"]


# --------------------------------------------------------------------------------------------
# --report, and runs with nothing to check


def test_report_writes_json_while_text_goes_to_stdout(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    run = run_cli("check", LATE, THREE, "--report", f"json={target}")
    assert run.exit_code == 1
    assert "INELIGIBLE" in run.stdout
    assert run.stdout.splitlines()[-1].startswith("2 files: 2 ineligible")
    assert (
        json.loads(target.read_text("utf-8"))
        == run_cli("check", LATE, THREE, "--format", "json").json()
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


@pytest.mark.parametrize("missing", ["-o", "--report"], ids=["output", "report"])
@pytest.mark.parametrize("streamed", [False, True], ids=["kept", "streamed"])
def test_a_report_that_cannot_be_written_is_a_usage_error(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, missing: str, streamed: bool
) -> None:
    monkeypatch.chdir(tmp_path)
    name = "json" if streamed else "junit"
    if missing == "-o":
        args = ["-f", name, "-o", "missing/report", "--report", "csv=ok.csv"]
    else:
        args = ["-f", "csv", "-o", "ok.csv", "--report", f"{name}=missing/report"]
    run = run_cli("check", RECIPE, LATE, *args)
    assert run.exit_code == 2
    assert (
        run.stderr == "cosmecheck: error: cannot write missing/report: No such file or directory\n"
    )
    if streamed:  # found before the first file is checked: the run stops there
        assert list(tmp_path.iterdir()) == []
        return
    # found when the reports are written: the others are still written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.csv"]
    rows = (tmp_path / "ok.csv").read_text("utf-8").splitlines()
    assert [row.split(",")[3] for row in rows] == ["status", "eligible", "ineligible"]


def _rendered(report: Report, name: str) -> str:
    stream = io.StringIO()
    FORMATTERS[name](report, stream, Style())
    return stream.getvalue()


@pytest.mark.parametrize("jobs", [1, 2])
def test_reports_written_as_the_run_goes_are_the_whole_reports(
    many: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """JSON, CSV and GitHub annotations are written file by file, byte for byte as from a
    report that keeps every result."""
    reports = many.parent / f"streamed-{jobs}"
    reports.mkdir()
    csv_file, github_file = reports / "report.csv", reports / "report.txt"
    proc = _cosmecheck(
        "check", "many", "-f", "json", "-j", jobs,
        "--report", f"csv={csv_file}", "--report", f"github={github_file}",
        cwd=many.parent,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr.decode()
    assert proc.stderr == b""
    monkeypatch.chdir(many.parent)  # the paths as the command shows them
    whole = check_paths(["many"], CheckOptions(jobs=1))
    assert len(whole.files) == MANY
    assert proc.stdout.decode("utf-8") == _rendered(whole, "json")
    assert csv_file.read_text("utf-8") == _rendered(whole, "csv")
    assert github_file.read_text("utf-8") == _rendered(whole, "github")
    assert sorted(p.name for p in reports.iterdir()) == ["report.csv", "report.txt"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_passed_on_are_not_kept(many: Path, jobs: int) -> None:
    whole = check_paths([str(many)], CheckOptions(jobs=1))
    passed: list[FileResult] = []
    targets = discover([str(many)], ())
    report = check_targets(targets, CheckOptions(jobs=jobs), on_result=passed.append)
    assert report.files == ()
    assert tuple(passed) == whole.files
    assert report.summary() == whole.summary()
    assert report.tally == whole.tally
    assert report.rules == whole.rules
    assert report.exit_code() == whole.exit_code() == 1
    assert report.exit_code(Severity.ERROR) == whole.exit_code(Severity.ERROR)
    assert summary_line(report).plain == summary_line(whole).plain


def test_a_json_report_arrives_while_the_run_goes_on(big: Path) -> None:
    """Results are written as they come, not kept to the end: memory stays flat in a batch."""
    started = time.monotonic()
    proc = subprocess.Popen(
        _command("check", "big", "-f", "json", "-j", 1),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=big.parent,
        env=cli_env(),
    )
    assert proc.stdout is not None
    head = [proc.stdout.readline() for _ in range(4)]
    first_entry = time.monotonic() - started
    assert head[2:] == [b'  "files": [\n', b"    {\n"]
    rest = proc.stdout.read()  # not communicate(): it would skip what readline buffered
    proc.stdout.close()
    proc.wait(timeout=60)
    whole_run = time.monotonic() - started
    assert json.loads(b"".join(head) + rest)["summary"]["files"] == BIG
    # The first entry comes with the first files, long before the run checked them all.
    assert first_entry < whole_run / 3, (first_entry, whole_run)


def test_a_reader_leaving_standard_output_early_costs_no_report_file(many: Path) -> None:
    target = many.parent / "left-early.csv"
    proc = subprocess.Popen(
        _command("check", "many", "-f", "json", "-j", 1, "--report", f"csv={target}"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=many.parent,
        env=cli_env(),
    )
    assert proc.stdout is not None
    assert proc.stdout.read(100).startswith(b'{\n  "cosmecheck": ')
    proc.stdout.close()  # as `| head` does: the rest of the JSON report has nowhere to go
    _, stderr = proc.communicate(timeout=60)
    _no_traceback(stderr.decode("utf-8"))
    assert proc.returncode != 0
    whole = check_paths([str(many)], CheckOptions(jobs=1))
    rows = target.read_text("utf-8").splitlines()
    assert len(rows) == 1 + MANY
    assert rows == _rendered(whole, "csv").replace(str(many), "many").splitlines()
    assert not list(many.parent.glob(".left-early.csv.*"))


@pytest.mark.skipif(not hasattr(os, "setpgid"), reason="POSIX resource limits")
def test_a_report_file_that_fails_midway_keeps_the_old_one_and_the_run_goes_on(
    many: Path,
) -> None:
    import resource

    target = many.parent / "too-large.json"
    target.write_text(OLD_JSON, "utf-8")

    def small_files() -> None:  # in the child: files stop growing at 20 KB (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    proc = subprocess.run(
        _command("check", "many", "-f", "csv", "-j", 2, "--report", f"json={target}"),
        capture_output=True,
        cwd=many.parent,
        env=cli_env(PYTHONDONTWRITEBYTECODE="1"),
        preexec_fn=small_files,
        timeout=60,
        check=False,
    )
    stderr = proc.stderr.decode("utf-8")
    _no_traceback(stderr)
    assert proc.returncode == 2, stderr
    assert stderr == f"cosmecheck: error: cannot write {target}: File too large\n"
    # Standard output (a pipe, which the limit does not touch) has the whole CSV report.
    assert len(proc.stdout.decode("utf-8").splitlines()) == 1 + MANY
    assert target.read_text("utf-8") == OLD_JSON
    assert not list(many.parent.glob(".too-large.json.*"))


@pytest.mark.parametrize("value", ["nope=x", "json", "json=", "=report.json"])
def test_report_needs_a_known_format_and_a_file(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", RECIPE, "--report", value)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert "--report" in run.stderr
    assert "json" in run.stderr  # the formats are named
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("extra", [[], ["--exclude", "*.yaml"]], ids=["empty", "all-excluded"])
def test_no_consortium_files_found_exits_2(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # --exclude patterns are relative to the working folder
    folder = tmp_path / "empty"
    folder.mkdir()
    if extra:
        _copy(RECIPE, folder / "a.yaml")
    run = run_cli("check", folder, *extra)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert "no consortium files found" in run.stderr


def test_a_recursive_glob_with_two_folder_links_ends(tmp_path: Path) -> None:
    """Two links to a parent folder made the search grow without end."""
    from cosmecheck.discovery import discover

    folder = tmp_path / "f"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.yaml").write_text("x: 1\n", "utf-8")
    (folder / "sub" / "b.yaml").write_text("x: 1\n", "utf-8")
    (folder / "sub" / "up").symlink_to("..")
    (folder / "sub" / "up2").symlink_to("..")
    found = [t.display for t in discover([f"{folder}/**/*.yaml"])]
    assert found == [str(folder / "a.yaml"), str(folder / "sub" / "b.yaml")]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("t/**/*.yaml", ["t/a.yaml", "t/x/b.yaml", "t/x/y/c.yaml"]),
        ("t/**/b.yaml", ["t/x/b.yaml"]),
        ("t/x*/*.yaml", ["t/x/b.yaml"]),
        ("t/*/**/c.yaml", ["t/x/y/c.yaml"]),
        ("t/**", ["t/a.yaml", "t/x", "t/x/b.yaml", "t/x/y", "t/x/y/c.yaml"]),
        ("t/?.yaml", ["t/a.yaml"]),
    ],
)
def test_glob_patterns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pattern: str, expected: list[str]
) -> None:
    from cosmecheck.discovery import _glob

    for name in ("t/a.yaml", "t/x/b.yaml", "t/x/y/c.yaml", "t/.hidden/d.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x: 1\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    assert _glob(pattern) == [str(Path(p)) for p in expected]


def test_results_and_targets_travel_between_processes_unchanged(tmp_path: Path) -> None:
    import pickle

    from cosmecheck.checker import Checker
    from cosmecheck.discovery import Target, discover
    from cosmecheck.model import CheckOptions

    _put(tmp_path / "broken.yaml", MALFORMED)
    targets = [*discover([str(EXAMPLES), str(tmp_path)]), Target(None, "<stdin>")]
    assert pickle.loads(pickle.dumps(targets)) == targets
    checker = Checker(CheckOptions())
    results = [checker.check_target(t) for t in targets if t.path is not None]
    assert any(r.findings for r in results)
    assert any(r.load_errors for r in results)
    back = pickle.loads(pickle.dumps(results))
    assert back == results
    assert [r.facts for r in back] == [r.facts for r in results]
    assert [type(f.severity) for r in back for f in r.findings] == [
        type(f.severity) for r in results for f in r.findings
    ]


def _die(targets: list[Any]) -> list[Any]:
    os._exit(3)


@pytest.mark.skipif(
    sys.platform == "win32" or __import__("multiprocessing").get_start_method() != "fork",
    reason="the dying chunk function reaches the workers by fork",
)
def test_a_worker_that_dies_ends_the_run_with_an_error_not_a_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cosmecheck.errors import CosmecheckError
    from cosmecheck.model import CheckOptions

    for number in range(8):
        _copy(RECIPE, tmp_path / f"{number}.yaml")
    monkeypatch.setattr(batch, "IN_PROCESS_BELOW", 2)
    monkeypatch.setattr(batch, "_check_chunk", _die)
    started = time.monotonic()
    with pytest.raises(CosmecheckError, match="worker process stopped unexpectedly"):
        check_paths([str(tmp_path)], CheckOptions(jobs=2))
    assert time.monotonic() - started < 30
