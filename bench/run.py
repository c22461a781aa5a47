"""Benchmark cosmecheck: reproducible figures that anyone can rerun.

    python bench/run.py                          # 100, 1,000 and 10,000 files (about 13 minutes
                                                 # with check-jsonschema installed, 8 without)
    python bench/run.py --sizes 100,1000 --repeat 1 --peer-max 1000   # a quicker look

It generates consortium files deterministically (about 58% eligible, the others failing one
criterion each; 3 to 15 partners, 1.5 to 7 KB, written as the shipped examples are), then
reports medians of repeated runs, each in a fresh process; commands compared with each other
take turns, so that a machine whose speed drifts moves them alike:

- one-file cold runs of `cosmecheck check` (an eligible and an ineligible file),
  `cosmecheck --version` and `--help`, against `python -c pass` and check-jsonschema;
- batches with --jobs 1 and --jobs 2 (JSON report), against the parse floor (the same files
  only read and parsed with yaml.CSafeLoader, with the same number of worker processes), and
  the default text report, a table of every file, against the JSON report;
- check-jsonschema on the same files against `cosmecheck schema`, when it is installed
  (`pip install check-jsonschema`);
- the peak memory (largest resident set of any one process) of each run;
- small batches checked in one process and by two workers, to place the threshold below which
  `--jobs` stays in one process.

Each ratio is computed from figures of the same run and printed with its target. Nothing here
is a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# (country, NUTS 2 region, region name, city); regions of every category, and countries outside
# the EU (Serbia takes part in COSME; Norway does not).
PLACES = [
    ("IT", "ITC4", "Lombardia", "Milano"),
    ("IT", "ITF3", "Campania", "Napoli"),
    ("DE", "DE21", "Oberbayern", "München"),
    ("DE", "DED2", "Dresden", "Dresden"),
    ("ES", "ES51", "Cataluña", "Barcelona"),
    ("ES", "ES61", "Andalucía", "Sevilla"),
    ("FR", "FR10", "Île-de-France", "Paris"),
    ("FR", "FRF1", "Alsace", "Mulhouse"),
    ("PL", "PL21", "Małopolskie", "Kraków"),
    ("HU", "HU22", "Nyugat-Dunántúl", "Győr"),
    ("PT", "PT11", "Norte", "Porto"),
    ("NL", "NL41", "Noord-Brabant", "Eindhoven"),
    ("BE", "BE21", "Prov. Antwerpen", "Antwerpen"),
    ("AT", "AT13", "Wien", "Wien"),
    ("EL", "EL30", "Attiki", "Athina"),
    ("RS", None, None, "Novi Sad"),
]
QUALIFYING = [p for p in PLACES if p[1] in ("ITF3", "DED2", "ES61", "PL21", "HU22", "PT11")]
# What makes a generated consortium ineligible, one defect a file; None keeps it eligible.
DEFECTS = [None] * 11 + [
    "norwegian partner",
    "no qualifying region",
    "over the grant cap",
    "late",
    "not on the cluster platform",
    "too long",
    "budget does not add up",
    "same PIC twice",
    "two countries",
]


def consortium(rng: random.Random, number: int) -> str:
    """One consortium file as YAML text, written as an applicant would (2 to 8 KB)."""
    defect = rng.choice(DEFECTS)
    places = _places(rng, defect)
    shares = [rng.randint(2, 6) for _ in places]
    unit = 4000 * (120 // sum(shares))  # eligible costs up to 480,000 in multiples of 4,000
    costs = [share * unit for share in shares]
    if defect == "over the grant cap":
        costs[0] += 40000 * len(places)
    totals = [sum(costs), sum(costs) * 3 // 4, sum(costs) // 4]
    if defect == "budget does not add up":
        totals[0] += 1000
    day, hour = rng.choice([(1, 10), (2, 15), (3, 11), (4, 9), (4, 16)])
    if defect == "late":
        day, hour = 4, 18
    lines = [
        "# yaml-language-server: $schema=consortium.schema.json",
        "#",
        f"# Partnership {number}: a generated consortium for the cosmecheck benchmark.",
        "# Names, PICs and amounts are illustrative.",
        "cosmecheck: 1",
        "call: COS-CLUSTER-2018-03-02",
        "",
        "proposal:",
        f"  acronym: BENCH-{number:05d}",
        f"  title: European strategic cluster partnership number {number}",
        f"  duration_months: {30 if defect == 'too long' else rng.choice([20, 22, 24, 24])}",
        f"  submission: 2019-04-0{day}T{hour:02d}:{rng.randint(0, 59):02d}:00+02:00",
        "  budget:",
        f"    eligible_costs_eur: {totals[0]}",
        f"    requested_grant_eur: {totals[1]}",
        f"    third_party_support_eur: {totals[2]}",
        "  clusterxchange:",
        f"    planned_exchanges: {rng.choice([20, 40, 50, 60])}",
        "",
        "partners:",
    ]
    for index, ((country, region, region_name, city), cost) in enumerate(
        zip(places, costs, strict=True)
    ):
        pic = 900000000 + number * 20 + (0 if defect == "same PIC twice" and index == 1 else index)
        eccp = "none" if defect == "not on the cluster platform" and index == 1 else "registered"
        lines += [
            f"  - name: {city} {rng.choice(['Mobility', 'Agrifood', 'Health', 'ICT'])} Cluster",
            f"    short_name: C{number % 1000}-{index}",
            *(["    role: coordinator"] if index == 0 else []),
            f"    country: {country}",
            *([f"    region: {region}          # {region_name}"] if region else []),
            f"    city: {city}",
            f"    organisation_type: {rng.choice(TYPES)}",
            "    legal_entity: true",
            f"    eccp: {eccp}",
            f'    pic: "{pic}"',
            "    budget:",
            f"      eligible_costs_eur: {cost}",
            f"      requested_grant_eur: {cost * 3 // 4}",
            f"      third_party_support_eur: {cost // 4}",
            "",
        ]
    return "\n".join(lines)


def _places(
    rng: random.Random, defect: str | None
) -> list[tuple[str, str | None, str | None, str]]:
    """3 to 15 partners' places: at least three countries and one qualifying region."""
    if defect == "two countries":
        pool = [p for p in PLACES if p[0] in ("IT", "DE")]
        return [rng.choice(pool) for _ in range(rng.randint(3, 6))]
    pool = (
        [p for p in PLACES if p not in QUALIFYING] if defect == "no qualifying region" else PLACES
    )
    count = rng.randint(3, 15)
    while True:
        places = [rng.choice(pool) for _ in range(count)]
        if len({p[0] for p in places}) >= 3:
            break
    if defect != "no qualifying region" and not any(p in QUALIFYING for p in places):
        places[-1] = rng.choice(QUALIFYING)
    if defect == "norwegian partner":
        places[-1] = ("NO", None, None, "Oslo")
    return places


TYPES = ["cluster_organisation"] * 3 + ["business_network_organisation"]


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


# Bytecode is written as in a normal installation, whatever this shell says: a user's second
# run never compiles the sources again.
ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(
    command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """(seconds, peak memory in MiB) of one fresh run of a command.

    The peak is the largest resident set of the process or any of its workers (Linux reports
    the maximum over the waited-for descendants).
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=cwd,
        env={**ENVIRONMENT, **(env or {})},
    )
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - started, usage.ru_maxrss / 1024  # kilobytes on Linux


def timed_together(
    commands: dict[str, list[str]],
    repeat: int,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> dict[str, tuple[float, float]]:
    """label -> (median seconds, largest peak MiB), the commands taking turns.

    Each command runs once unmeasured (to warm the file cache and write bytecode), then the
    commands run in turn ``repeat`` times: a machine that slows down or speeds up during the
    measurement moves all of them alike, so their ratios hold.
    """
    for command in commands.values():
        run_once(command, cwd, env)
    samples: dict[str, list[tuple[float, float]]] = {label: [] for label in commands}
    for _ in range(repeat):
        for label, command in commands.items():
            samples[label].append(run_once(command, cwd, env))
    return {
        label: (statistics.median(s for s, _ in runs), max(p for _, p in runs))
        for label, runs in samples.items()
    }


def _command() -> list[str]:
    """The installed console script beside this interpreter, as a user runs it."""
    script = Path(sys.executable).parent / ("cosmecheck.exe" if os.name == "nt" else "cosmecheck")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cosmecheck"]


COSMECHECK = _command()
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


class Bench:
    """Runs the measurements, prints each as it comes, and keeps them for the ratios."""

    def __init__(self, repeat: int) -> None:
        self.repeat = repeat
        self.rows: list[tuple[str, float, float]] = []
        self.ratios: list[dict[str, Any]] = []

    def measure(
        self,
        commands: dict[str, list[str]],
        repeat: int = 0,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> dict[str, tuple[float, float]]:
        """Time commands together (see ``timed_together``), print and keep each figure."""
        figures = timed_together(commands, repeat or self.repeat, cwd, env)
        for label, (seconds, peak) in figures.items():
            self.rows.append((label, seconds, peak))
            print(f"  {label:<48} {seconds:9.3f} s {peak:8.1f} MiB", flush=True)
        return figures

    def ratio(
        self,
        label: str,
        value: float,
        at_most: float | None = None,
        at_least: float | None = None,
        below: float | None = None,
        unit: str = "x",
    ) -> None:
        """Print and keep a figure with its target, if one is set for it (else for information)."""
        if at_most is not None:
            target, met = f"<= {at_most}", value <= at_most
        elif at_least is not None:
            target, met = f">= {at_least}", value >= at_least
        elif below is not None:
            target, met = f"< {below}", value < below
        else:
            target, met = "", None
        self.ratios.append({"ratio": label, "value": round(value, 3), "target": target, "met": met})
        verdict = "" if met is None else f"target {target:<8} {'met' if met else 'MISSED'}"
        print(f"  {label:<58} {value:7.2f}{unit}  {verdict}".rstrip())


def machine() -> str:
    """The processor, cores and Python the figures come from."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def startup(bench: Bench, work: Path, cosmecheck: list[str], peer: str | None) -> None:
    """One-file runs and --version/--help, against python -c pass and check-jsonschema."""
    eligible, ineligible = _one_of_each(work)
    schema = work / "consortium.schema.json"
    schema.write_text(subprocess.run([*cosmecheck, "schema"], capture_output=True).stdout.decode())
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "cosmecheck --version": [*cosmecheck, "--version"],
        "cosmecheck --help": [*cosmecheck, "--help"],
        "cosmecheck check eligible.yaml": [*cosmecheck, "check", eligible],
        "cosmecheck check ineligible.yaml": [*cosmecheck, "check", ineligible],
    }
    if peer:
        commands["check-jsonschema eligible.yaml"] = [peer, "--schemafile", str(schema), eligible]
    print("one-file runs (cold processes, taking turns):")
    figures = {label: seconds for label, (seconds, _) in bench.measure(commands, 15).items()}
    bare = figures["python -c pass"]
    print("ratios:")
    for flag in ("--version", "--help"):
        value = figures[f"cosmecheck {flag}"] / bare
        bench.ratio(f"{flag} / python -c pass", value, at_most=8)
    if peer:
        for label in ("eligible", "ineligible"):
            value = (
                figures[f"cosmecheck check {label}.yaml"]
                / figures["check-jsonschema eligible.yaml"]
            )
            bench.ratio(f"one-file run ({label}) / check-jsonschema", value, at_most=0.6)


def _one_of_each(work: Path) -> tuple[str, str]:
    """An eligible and an ineligible generated file: the first of each the generator makes."""
    folder = work / "one"
    folder.mkdir(parents=True, exist_ok=True)
    rng, found = random.Random(2019), dict[str, str]()
    for number in range(1000):
        path = folder / f"{number:03d}.yaml"
        path.write_text(consortium(rng, number), "utf-8")
        verdict = subprocess.run([*COSMECHECK, "check", "-q", str(path)], capture_output=True)
        name = {0: "eligible", 1: "ineligible"}.get(verdict.returncode)
        if name:
            found.setdefault(name, str(path))
        if "eligible" in found and "ineligible" in found:
            return found["eligible"], found["ineligible"]
    raise SystemExit("the generator made no eligible or no ineligible file")


def batches(
    bench: Bench,
    work: Path,
    sizes: list[int],
    cosmecheck: list[str],
    peer: str | None,
    peer_max: int,
) -> None:
    """--jobs 1 and 2 against the parse floor, check-jsonschema and the memory of 100 files."""
    floor = work / "floor.py"
    floor.write_text(FLOOR, "utf-8")
    peaks: dict[tuple[int, int], float] = {}
    for size in sizes:
        folder = work / f"batch-{size}"
        if not folder.exists():
            generate(folder, size)
        print(f"\n{size:,} files:")
        commands = {}
        for jobs in (1, 2):
            commands[f"cosmecheck --jobs {jobs}"] = [
                *cosmecheck,
                "check",
                str(folder),
                "--jobs",
                str(jobs),
                "-q",
                "-f",
                "json",
            ]
            commands[f"parse floor, {jobs} process(es)"] = [
                sys.executable,
                str(floor),
                str(folder),
                str(jobs),
            ]
        # What a consultant at a terminal gets by default: the table of every file.
        commands["cosmecheck --jobs 2, text report"] = commands["cosmecheck --jobs 2"][:-2]
        # Small batches take a fraction of a second: more runs steady their medians.
        figures = bench.measure(commands, bench.repeat if size > 1000 else max(bench.repeat, 9))
        seconds = {jobs: figures[f"cosmecheck --jobs {jobs}"][0] for jobs in (1, 2)}
        for jobs in (1, 2):
            peaks[size, jobs] = figures[f"cosmecheck --jobs {jobs}"][1]
            value = seconds[jobs] / figures[f"parse floor, {jobs} process(es)"][0]
            # The targets are set for 10,000 files; smaller batches are shown for information.
            bench.ratio(
                f"{size:,} files, --jobs {jobs} / parse floor",
                value,
                at_most=1.5 if jobs == 2 and size >= 10_000 else None,
            )
        # What two processes give on this machine at this size, with next to no start-up.
        bench.ratio(
            f"{size:,} files, parse floor's own speed-up",
            figures["parse floor, 1 process(es)"][0] / figures["parse floor, 2 process(es)"][0],
        )
        bench.ratio(
            f"{size:,} files, --jobs 2, text report / JSON report",
            figures["cosmecheck --jobs 2, text report"][0] / seconds[2],
        )
        # Below batch.IN_PROCESS_BELOW files both run in one process, the same work: "never
        # slower" then allows the 5 % by which two medians of the same work differ here.
        bench.ratio(
            f"{size:,} files, --jobs 2 speed-up",
            seconds[1] / seconds[2],
            at_least=1.8 if size >= 1000 else 0.95,
        )
        if peer and size <= peer_max:
            names = [str(p.relative_to(folder)) for p in sorted(folder.rglob("*.yaml"))]
            command = [peer, "--schemafile", str(work / "consortium.schema.json"), *names]
            # One run (at tens of ms a file, 10,000 files take minutes), between two runs of
            # cosmecheck --jobs 2: a machine whose speed drifts moves both sides alike.
            before = run_once(commands["cosmecheck --jobs 2"])[0]
            peer_time = bench.measure({"check-jsonschema": command}, 1, cwd=folder)[
                "check-jsonschema"
            ][0]
            after = run_once(commands["cosmecheck --jobs 2"])[0]
            print(
                f"  {'cosmecheck --jobs 2, just before and after':<48} {before:9.3f} s"
                f" {after:9.3f} s"
            )
            value = peer_time / ((before + after) / 2)
            bench.ratio(
                f"{size:,} files, throughput / check-jsonschema's",
                value,
                at_least=20 if size >= 10_000 else None,
            )
    smallest, largest = min(sizes), max(sizes)
    if largest > smallest:
        for jobs in (1, 2):
            value = peaks[largest, jobs] / peaks[smallest, jobs]
            bench.ratio(
                f"peak memory, {largest:,} / {smallest:,} files, --jobs {jobs}", value, at_most=1.2
            )
            bench.ratio(
                f"peak memory of one process, {largest:,} files, --jobs {jobs}",
                peaks[largest, jobs],
                below=60,
                unit=" MiB",
            )


def crossover(bench: Bench, work: Path) -> None:
    """--jobs 1 against --jobs 2 on small batches: where workers start to pay for themselves.

    --jobs 2 runs in one process below batch.IN_PROCESS_BELOW files; COSMECHECK_WORKERS_FROM
    moves that threshold for this measurement only.
    """
    print("\nsmall batches, in one process (--jobs 1) against 2 workers (--jobs 2, forced):")
    folder = work / "small"
    generate(folder, 256)
    forced = {"COSMECHECK_WORKERS_FROM": "1"}
    for size in (32, 64, 96, 128, 192, 256, 384):
        names = [str(p) for p in sorted(folder.rglob("*.yaml"))[:size]]
        commands = {
            jobs: [*COSMECHECK, "check", *names, "-j", str(jobs), "-q", "-f", "json"]
            for jobs in ("1", "2")
        }
        figures = timed_together(commands, max(bench.repeat, 7), env=forced)
        one, two = figures["1"][0], figures["2"][0]
        faster = "workers" if two < one else "one process"
        print(f"  {size:4d} files: --jobs 1 {one:.3f} s, --jobs 2 {two:.3f} s ({faster})")


def main() -> None:
    """Generate, measure, print."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--sizes", default="100,1000,10000", help="batch sizes, comma-separated")
    options.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    options.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    options.add_argument(
        "--peer-max", type=int, default=10_000, help="largest batch given to check-jsonschema"
    )
    options.add_argument("--no-crossover", action="store_true", help="skip the small batches")
    args = options.parse_args()
    cosmecheck = COSMECHECK
    peer = shutil.which("check-jsonschema")
    work = args.keep or Path(tempfile.mkdtemp(prefix="cosmecheck-bench-"))
    bench = Bench(args.repeat)
    print(f"{machine()}\nfiles in {work}; check-jsonschema: {peer or 'not installed'}\n")
    startup(bench, work, cosmecheck, peer)
    batches(bench, work, [int(s) for s in args.sizes.split(",")], cosmecheck, peer, args.peer_max)
    if not args.no_crossover:
        crossover(bench, work)
    results = {"machine": machine(), "rows": bench.rows, "ratios": bench.ratios}
    (work / "results.json").write_text(json.dumps(results, indent=2))
    met = all(r["met"] for r in bench.ratios if r["met"] is not None)
    print(f"\nall ratios met: {met}; figures in {work / 'results.json'}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
