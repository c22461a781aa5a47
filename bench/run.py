"""Benchmark cosmecheck: reproducible figures that anyone can rerun.

    python bench/run.py                      # 1,000 and 10,000 files, 3 runs each (minutes)
    python bench/run.py --sizes 200 --repeat 1   # a quick look

It generates consortium files deterministically (mixed verdicts, 3 to 15 partners), then
reports medians of repeated runs, each in a fresh process:

- a one-file cold run of `cosmecheck check`, `cosmecheck --version` and `--help`, against
  `python -c pass`;
- batches with --jobs 1 and --jobs 2, against the parse floor (the same files only read and
  parsed with yaml.CSafeLoader, with the same number of worker processes);
- check-jsonschema on the same files against `cosmecheck schema`, when it is installed;
- the peak memory (maximum resident set) of each run.

Ratios are computed from figures measured in the same run. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COUNTRIES = [  # (country, region) pairs: more developed, transition, less developed, non-EU
    ("IT", "ITC4"),
    ("IT", "ITF3"),
    ("DE", "DE21"),
    ("DE", "DED2"),
    ("ES", "ES51"),
    ("ES", "ES61"),
    ("FR", "FR10"),
    ("PL", "PL21"),
    ("HU", "HU22"),
    ("PT", "PT11"),
    ("NL", "NL41"),
    ("EL", "EL30"),
    ("RS", None),
    ("UK", "UKL1"),
    ("NO", None),
]
TYPES = ["cluster_organisation"] * 8 + ["business_network_organisation"] * 3 + ["other"]


def consortium(rng: random.Random, number: int) -> str:
    """One consortium file as YAML text, about 1 to 4 KB."""
    lines = [
        "cosmecheck: 1",
        "call: COS-CLUSTER-2018-03-02",
        "proposal:",
        f"  acronym: BENCH-{number:05d}",
        "  title: A generated partnership for the benchmark",
        f"  duration_months: {rng.choice([18, 20, 22, 24, 24, 24, 30])}",
        f"  submission: 2019-04-0{rng.choice([1, 2, 3, 4])}T{rng.randint(8, 18):02d}:00:00+02:00",
        "  budget:",
        "    eligible_costs_eur: 480000",
        f"    requested_grant_eur: {rng.choice([300000, 340000, 360000, 380000])}",
        "    third_party_support_eur: 120000",
        "  clusterxchange:",
        f"    planned_exchanges: {rng.choice([0, 20, 50])}",
        "partners:",
    ]
    for index in range(rng.randint(3, 15)):
        country, region = rng.choice(COUNTRIES)
        lines += [
            f"  - name: Cluster {number}-{index} of {country}",
            f"    role: {'coordinator' if index == 0 else 'partner'}",
            f"    country: {country}",
            *([f"    region: {region}"] if region else []),
            f"    organisation_type: {rng.choice(TYPES)}",
            "    legal_entity: true",
            f"    eccp: {rng.choice(['registered', 'registered', 'requested', 'none'])}",
            f'    pic: "{900000000 + number * 20 + index}"',
        ]
    return "\n".join(lines) + "\n"


def generate(folder: Path, count: int, seed: int = 2019) -> list[Path]:
    """``count`` files under ``folder``, the same for the same seed."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"client{number % 50:02d}" / f"consortium-{number:05d}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(consortium(rng, number), "utf-8")
        paths.append(path)
    return paths


def timed(command: list[str], repeat: int) -> tuple[float, float]:
    """(median seconds, largest peak memory in MiB) of ``repeat`` fresh runs of a command."""
    seconds, peaks = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        seconds.append(time.perf_counter() - started)
        process.returncode = os.waitstatus_to_exitcode(status)
        peaks.append(usage.ru_maxrss / 1024)  # kilobytes on Linux
    return statistics.median(seconds), max(peaks)


FLOOR = """
import sys, yaml
from multiprocessing import Pool
from pathlib import Path
def parse(path):
    with open(path, "rb") as stream:
        return len(yaml.load(stream, Loader=yaml.CSafeLoader))
if __name__ == "__main__":
    paths = sorted(str(p) for p in Path(sys.argv[1]).rglob("*.yaml"))
    jobs = int(sys.argv[2])
    if jobs == 1:
        [parse(p) for p in paths]
    else:
        with Pool(jobs) as pool:
            pool.map(parse, paths, chunksize=32)
"""


def main() -> None:
    """Generate, measure, print."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--sizes", default="1000,10000", help="batch sizes, comma-separated")
    options.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    options.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = options.parse_args()
    python = sys.executable
    cosmecheck = [python, "-m", "cosmecheck"]
    peer = shutil.which("check-jsonschema")
    work = args.keep or Path(tempfile.mkdtemp(prefix="cosmecheck-bench-"))
    rows: list[tuple[str, float, float]] = []

    def measure(label: str, command: list[str], repeat: int = args.repeat) -> float:
        seconds, peak = timed(command, repeat)
        rows.append((label, seconds, peak))
        print(f"{label:<46} {seconds:9.3f} s {peak:8.1f} MiB", flush=True)
        return seconds

    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores; files in {work}\n")
    one = generate(work / "one", 1)[0]
    floor = work / "floor.py"
    floor.write_text(FLOOR, "utf-8")
    schema = work / "consortium.schema.json"
    schema.write_text(
        subprocess.run([*cosmecheck, "schema"], capture_output=True, text=True).stdout
    )
    bare = measure("python -c pass", [python, "-c", "pass"], max(args.repeat, 5))
    version = measure("cosmecheck --version", [*cosmecheck, "--version"], max(args.repeat, 5))
    measure("cosmecheck --help", [*cosmecheck, "--help"], max(args.repeat, 5))
    single = measure(
        "cosmecheck check one.yaml", [*cosmecheck, "check", str(one)], max(args.repeat, 5)
    )
    ratios = [f"--version / python -c pass: {version / bare:.1f}x"]
    if peer:
        peer_one = measure(
            "check-jsonschema one.yaml", [peer, "--schemafile", str(schema), str(one)]
        )
        ratios.append(f"one-file run / check-jsonschema: {single / peer_one:.2f}x")
    for size in [int(s) for s in args.sizes.split(",")]:
        folder = work / f"batch-{size}"
        if not folder.exists():
            generate(folder, size)
        print()
        by_jobs = {}
        for jobs in (1, 2):
            by_jobs[jobs] = measure(
                f"{size:,} files, --jobs {jobs}",
                [*cosmecheck, "check", str(folder), "--jobs", str(jobs), "-q", "-f", "json"],
            )
            parse = measure(
                f"{size:,} files, parse floor, {jobs} process(es)",
                [python, str(floor), str(folder), str(jobs)],
            )
            ratios.append(
                f"{size:,} files, --jobs {jobs} / parse floor: {by_jobs[jobs] / parse:.2f}x"
            )
        ratios.append(f"{size:,} files, --jobs 1 / --jobs 2: {by_jobs[1] / by_jobs[2]:.2f}x faster")
        if peer:
            files = [str(p) for p in sorted(folder.rglob("*.yaml"))]
            peer_time = measure(
                f"{size:,} files, check-jsonschema", [peer, "--schemafile", str(schema), *files], 1
            )
            ratios.append(
                f"{size:,} files, throughput vs check-jsonschema: {peer_time / by_jobs[2]:.1f}x"
            )
    print("\nratios (same run):")
    for line in ratios:
        print(f"  {line}")
    (work / "results.json").write_text(json.dumps({"rows": rows, "ratios": ratios}, indent=2))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
