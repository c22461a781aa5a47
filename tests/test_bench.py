"""The benchmark's generator makes what its figures claim: the same files for the same seed,
3 to 15 partners, and each planted defect found by the checker (the others eligible)."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from cosmecheck import check_paths
from cosmecheck.model import Status

BENCH = Path(__file__).resolve().parents[1] / "bench" / "run.py"
COUNT = 120


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(bench: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    paths: list[Path] = bench.generate(tmp_path_factory.mktemp("bench"), COUNT)
    return paths


def test_same_seed_same_files(bench: ModuleType, generated: list[Path], tmp_path: Path) -> None:
    again = bench.generate(tmp_path, COUNT)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in generated]
    other = bench.generate(tmp_path / "other", COUNT, seed=7)
    assert [p.read_bytes() for p in other] != [p.read_bytes() for p in generated]


def test_sizes_and_partners_as_documented(generated: list[Path]) -> None:
    partners = [len(yaml.safe_load(p.read_text("utf-8"))["partners"]) for p in generated]
    assert min(partners) >= 3
    assert max(partners) <= 15
    assert len(set(partners)) > 8
    sizes = [p.stat().st_size for p in generated]
    assert min(sizes) > 1000
    assert max(sizes) < 8000


def test_verdicts_are_mixed_and_each_defect_is_caught(
    bench: ModuleType, generated: list[Path]
) -> None:
    report = check_paths([str(p) for p in generated])
    statuses = Counter(result.status for result in report.files)
    assert set(statuses) == {Status.ELIGIBLE, Status.INELIGIBLE}
    assert 0.4 < statuses[Status.ELIGIBLE] / COUNT < 0.75
    # Replaying the generator says which defect each file got: a file without one is eligible,
    # a file with one is not.
    import random

    rng = random.Random(2019)
    by_name = {Path(r.path).name: r for r in report.files}
    for number, path in enumerate(generated):
        state = rng.getstate()
        defect = rng.choice(bench.DEFECTS)
        rng.setstate(state)
        bench.consortium(rng, number)  # advance exactly as generate() did
        expected = Status.ELIGIBLE if defect is None else Status.INELIGIBLE
        assert by_name[path.name].status is expected, (path.name, defect)
