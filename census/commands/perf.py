"""Time the commands a user waits for, each against a baseline measured in the same run.

Every line runs as whole processes (`python -m census ...` from the checkout measured), the
median of --runs runs, alternating with its baseline so both see the same machine load; the
ratio (median / baseline median) is the number to compare between runs and machines. CPU is
the median CPU time of the census process and its workers, less sensitive to a busy machine.
Prints a Markdown table and the load average; stores nothing. Tests never assert times.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from census.commands._common import help_of
from census_base.errors import CensusError
from census_base.paths import SOURCE_ROOT

log = logging.getLogger(__name__)

DEFAULT_SHARED = SOURCE_ROOT.parent / "shared" / "data"
BARE_START = "bare Python start + `import duckdb`"
# Baselines: Python code run as `python -c CODE ARG...`.
IMPORT_DUCKDB = "import duckdb"
QUERY = "import duckdb, sys; duckdb.connect(sys.argv[1], read_only=True).sql('select 1').fetchall()"
READ_JSON = (
    "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
    'con.execute("CREATE TABLE dumps AS SELECT filename, unnest(rows, recursive := true) '
    'FROM read_json(?, filename = true, union_by_name = true, maximum_object_size = 67108864)", '
    "[sys.argv[2]])"
)
RENDER_SVG = (
    "import json, sys, vl_convert as vlc; "
    "[vlc.vegalite_to_svg(spec) for spec in json.load(open(sys.argv[1]))]"
)


@dataclass(frozen=True)
class Case:
    """One line of the table: a census command and its baseline (both whole processes)."""

    name: str
    census: list[str]
    baseline_name: str
    baseline: list[str]  # python arguments, e.g. ["-c", CODE, ARG]
    before_each: Callable[[], None] = field(default=lambda: None)


@dataclass(frozen=True)
class Timing:
    name: str
    baseline_name: str
    median_s: float
    baseline_median_s: float
    cpu_s: float = 0.0  # median CPU seconds (user + system) of the census process and its children

    @property
    def ratio(self) -> float:
        return self.median_s / self.baseline_median_s


def register(subparsers: argparse._SubParsersAction) -> None:
    short, full = help_of(__doc__)
    parser = subparsers.add_parser("perf", help=short, description=full)
    parser.add_argument(
        "--shared",
        type=Path,
        default=DEFAULT_SHARED,
        help=f"upstream data folder (default: {DEFAULT_SHARED})",
    )
    parser.add_argument(
        "--checkout",
        type=Path,
        default=SOURCE_ROOT,
        help="the checkout whose `census` is timed (default: this one), e.g. an older commit",
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per line (default 5)")
    parser.add_argument(
        "--only", action="append", default=[], help="time only lines whose name contains this"
    )
    parser.set_defaults(func=run)


def time_process(argv: Sequence[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one whole process (with the children it waited for).

    A failing process is an error, not a time.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        msg = f"`{' '.join(argv[:6])} ...` exited {done.returncode}: {' | '.join(tail)}"
        raise CensusError(msg)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu


def checkout_env(checkout: Path) -> dict[str, str]:
    """This environment with ``checkout`` first on the path and no $CENSUS_DB."""
    env = {k: v for k, v in os.environ.items() if k != "CENSUS_DB"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(checkout), env.get("PYTHONPATH")]))
    return env


def measure(case: Case, runs: int, checkout: Path) -> Timing:
    """Median of ``runs`` runs of the command and of its baseline, interleaved."""
    env = checkout_env(checkout)
    census = [sys.executable, "-m", "census", *case.census]
    baseline = [sys.executable, *case.baseline]
    ours: list[tuple[float, float]] = []
    theirs: list[float] = []
    for _ in range(runs):
        case.before_each()
        ours.append(time_process(census, checkout, env))
        case.before_each()
        theirs.append(time_process(baseline, checkout, env)[0])
    log.info("%s: %s", case.name, ", ".join(f"{wall:.2f}" for wall, _ in ours))
    return Timing(
        case.name,
        case.baseline_name,
        statistics.median(wall for wall, _ in ours),
        statistics.median(theirs),
        statistics.median(cpu for _, cpu in ours),
    )


def format_table(timings: Sequence[Timing]) -> str:
    lines = [
        "| what | median | CPU | baseline (same run) | baseline median | ratio |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {t.name} | {t.median_s:.2f} s | {t.cpu_s:.2f} s | {t.baseline_name} "
        f"| {t.baseline_median_s:.2f} s "
        f"| {t.ratio:.2f}x |"
        for t in timings
    ]
    return "\n".join(lines)


def _remove(*paths: Path) -> Callable[[], None]:
    def remove() -> None:
        for path in paths:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)

    return remove


def cases(scratch: Path, shared: Path, specs: Path) -> list[Case]:
    """The issue's table (#13), with every path under ``scratch``."""
    db = str(scratch / "perf.duckdb")
    out, cache, cold = (str(scratch / n) for n in ("reports", "cache", "cold-cache"))
    dumps = shared / "top-pypi-packages"
    fresh, read_json_db = scratch / "ingest.duckdb", scratch / "read_json.duckdb"
    empty = scratch / "empty-folder"  # no schema template (warehouse/template.py) in it
    render = "vl-convert rendering every chart's SVG in one process"
    return [
        Case(
            "`census report --force`, render cache empty (every chart rendered)",
            ["--db", db, "report", "--force", "--out", out, "--cache", cold],
            render,
            ["-c", RENDER_SVG, str(specs)],
            _remove(Path(cold)),
        ),
        Case(
            "`census report --force`, warm render cache",
            ["--db", db, "report", "--force", "--out", out, "--cache", cache],
            render,
            ["-c", RENDER_SVG, str(specs)],
        ),
        Case(
            "`census report`, nothing changed",
            ["--db", db, "report", "--out", out, "--cache", cache],
            BARE_START,
            ["-c", IMPORT_DUCKDB],
        ),
        Case("`census --help`", ["--help"], BARE_START, ["-c", IMPORT_DUCKDB]),
        Case(
            '`census query "select 1"`',
            ["--db", db, "query", "select 1"],
            "bare DuckDB read-only connect + `select 1`",
            ["-c", QUERY, db],
        ),
        Case(
            "`census ingest top-pypi`, fresh database, all staged files",
            ["--db", str(fresh), "ingest", "top-pypi", str(dumps), "--raw-dir", str(scratch)],
            "DuckDB `read_json` of every row of the same files into a fresh file",
            ["-c", READ_JSON, str(read_json_db), str(dumps / "**" / "*.json")],
            _remove(fresh, read_json_db),
        ),
        Case(
            "`census ingest top-pypi`, fresh database in an empty folder (its schema built, no "
            "template there yet)",
            ["--db", str(empty / "ingest.duckdb"), "ingest", "top-pypi", str(dumps)]
            + ["--raw-dir", str(scratch)],
            "DuckDB `read_json` of every row of the same files into a fresh file",
            ["-c", READ_JSON, str(read_json_db), str(dumps / "**" / "*.json")],
            _remove(empty, read_json_db),
        ),
        Case(
            "`census snapshot`, full rebuild from every staged archive",
            ["snapshot", "--shared", str(shared), "--out", str(scratch / "snapshot")]
            + ["--work-db", str(scratch / "snapshot.duckdb"), "--raw-dir", str(scratch)],
            BARE_START,
            ["-c", IMPORT_DUCKDB],
        ),
    ]


def prepare(scratch: Path, checkout: Path) -> Path:
    """Build the scratch warehouse and render cache once (untimed); returns the specs file."""
    env = checkout_env(checkout)
    argv = [sys.executable, "-m", "census", "--db", str(scratch / "perf.duckdb"), "report"]
    argv += ["--out", str(scratch / "reports"), "--cache", str(scratch / "cache")]
    time_process(argv, checkout, env)
    stored = [json.loads(p.read_text()) for p in sorted((scratch / "cache").glob("spec-*.json"))]
    specs = scratch / "specs.json"
    specs.write_text(json.dumps([entry["spec"] for entry in stored]))
    return specs


def run(args: argparse.Namespace) -> int:
    checkout = args.checkout.resolve()
    if not (checkout / "census" / "__main__.py").is_file():
        log.error("--checkout %s: not a census checkout (no census/__main__.py)", checkout)
        return 2
    if not (args.shared / "top-pypi-packages").is_dir():
        log.error("--shared %s: perf needs the staged top-pypi-packages folder there", args.shared)
        return 2
    if args.runs < 1:
        log.error("--runs %d: needs at least one run", args.runs)
        return 2
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="census-perf-") as folder:
        scratch = Path(folder)
        specs = prepare(scratch, checkout)
        chosen = [
            case
            for case in cases(scratch, args.shared.resolve(), specs)
            if not args.only or any(part in case.name for part in args.only)
        ]
        timings = [measure(case, args.runs, checkout) for case in chosen]
    load_after = os.getloadavg()
    sys.stdout.write(f"checkout: {checkout}; {args.runs} runs per line (medians)\n\n")
    sys.stdout.write(format_table(timings) + "\n\n")
    sys.stdout.write(
        "load average (1, 5, 15 min): "
        f"before {', '.join(f'{x:.2f}' for x in load_before)}; "
        f"after {', '.join(f'{x:.2f}' for x in load_after)}; {os.cpu_count()} CPUs\n"
    )
    return 0
