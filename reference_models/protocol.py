"""The paired CPU protocol (issue #16): a pilot, then alternated process pairs per pairing.

    census bench --protocol cpu                      # every model, both pairings
    python -m reference_models.protocol --pairs 5 --out results.jsonl

1. Pilot (recorded, ``pairing = pilot``): each compiled candidate of ``modes.PAIRINGS`` runs
   ``pilot_repeats`` processes per model, alternated; the best candidate per framework is the
   one with the highest *median* samples/s. The first torch.compile process per model fills
   the Inductor cache (cold); every later one is warm.
2. Pairs: for each pairing and model, ``pairs`` pairs of processes; a pair shares a seed (the
   same initial weights) and a ``pair_id``; the framework that goes first alternates from pair
   to pair. The PyTorch CNN of the default pairing runs twice per pair, channels_last and
   NCHW, both against the same Keras process.

``analysis.performance.paired_ratios`` turns the rows into the 95 % interval of the paired
log-ratio and its verdict. A process refused for machine load (``--max-load``) is retried
after a pause; a pair that stays incomplete is dropped by the analysis, never filled in.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from census_base.progress import Progress
from reference_models.bench import REFUSED, SKIPPED
from reference_models.config import MODELS
from reference_models.measure import REPO
from reference_models.modes import MODES, PAIRINGS, TORCH_MODES

log = logging.getLogger("reference_models.protocol")
RETRIES, RETRY_PAUSE_S = 3, 20.0


@dataclass
class ProtocolPlan:
    models: list[str] = field(default_factory=lambda: list(MODELS))
    pairings: list[str] = field(default_factory=lambda: list(PAIRINGS))
    pairs: int = 5
    pilot_repeats: int = 2
    size: str = "cpu"
    seed: int = 0
    data: str = "fashion-mnist"
    max_load: float | None = None
    threads: int | None = None
    footing: str = "equal"  # or "legacy": the harness before issue #16, for before -> after
    steps: dict[str, int] = field(default_factory=dict)
    timeout_s: int = 600


@dataclass(frozen=True)
class Process:
    """One planned ``reference_models.bench`` process."""

    model: str
    mode: str
    pairing: str
    seed: int
    pair_id: str
    pair_index: int
    layout: str = "channels_last"


def pilot_processes(plan: ProtocolPlan) -> list[Process]:
    # Compiled candidates (torch.compile too, though alone: its cold compile is timed here
    # and the pairs then run on a warm Inductor cache), each once.
    candidates = list(
        dict.fromkeys(
            mode
            for name in plan.pairings
            for side in (PAIRINGS[name].torch, PAIRINGS[name].tensorflow)
            if len(side) > 1 or MODES[side[0]].compiled
            for mode in side
        )
    )
    if not candidates:
        return []
    alone = {
        side[0]
        for name in plan.pairings
        for side in (PAIRINGS[name].torch, PAIRINGS[name].tensorflow)
        if len(side) == 1
    }
    return [
        Process(model, mode, "pilot", plan.seed, f"pilot-{model}-{r}", r)
        for model in plan.models
        for r in range(plan.pilot_repeats)
        for mode in (candidates if r % 2 == 0 else candidates[::-1])
        if r == 0 or mode not in alone  # a lone candidate needs no second pilot process
    ]


def choose(rows: list[dict], model: str, candidates: tuple[str, ...]) -> str:
    """The candidate with the highest median pilot throughput (the only one if alone)."""
    if len(candidates) == 1:
        return candidates[0]
    mine = [r for r in rows if r["model"] == model]
    medians = {
        mode: statistics.median(r["samples_per_s"] for r in mine if r["mode"] == mode)
        for mode in candidates
        if any(r["mode"] == mode for r in mine)
    }
    if not medians:
        msg = f"the pilot produced no rows for {model} {candidates}; see the errors above"
        raise RuntimeError(msg)
    return max(medians, key=medians.__getitem__)


def pair_processes(plan: ProtocolPlan, chosen: dict[tuple[str, str, str], str]) -> list[Process]:
    """Every paired process, in run order; ``chosen[(pairing, model, side)]`` (side torch or
    tf) is the mode."""
    runs: list[Process] = []
    for name in plan.pairings:
        for model in plan.models:
            for i in range(plan.pairs):
                pair_id, seed = str(uuid.uuid4()), plan.seed + 1 + i
                torch_mode = chosen[(name, model, "torch")]
                layouts = ["channels_last", "nchw"] if model == "cnn" else ["channels_last"]
                if name != "default":
                    layouts = layouts[:1]
                if plan.footing == "legacy":
                    layouts = ["nchw"]
                torch_side = [
                    Process(model, torch_mode, name, seed, pair_id, i, lay) for lay in layouts
                ]
                tf_side = [Process(model, chosen[(name, model, "tf")], name, seed, pair_id, i)]
                runs += torch_side + tf_side if i % 2 == 0 else tf_side + torch_side
    return runs


def command(plan: ProtocolPlan, run: Process, out: Path, init: Path, cache: str) -> list[str]:
    args = [
        sys.executable,
        "-m",
        "reference_models.bench",
        *("--model", run.model, "--mode", run.mode, "--size", plan.size),
        *("--seed", str(run.seed), "--data", plan.data, "--init-weights", str(init)),
        *("--out", str(out), "--compile-cache", cache, "--layout", run.layout),
        *("--pairing", run.pairing, "--pair-id", run.pair_id, "--pair-index", str(run.pair_index)),
    ]
    args += ["--footing", plan.footing]
    if plan.max_load is not None:
        args += ["--max-load", str(plan.max_load)]
    if plan.threads:
        args += ["--threads", str(plan.threads)]
    if run.model in plan.steps:
        args += ["--steps", str(plan.steps[run.model])]
    return args


class Runner:
    """Runs planned processes one at a time, each in a fresh interpreter."""

    def __init__(self, plan: ProtocolPlan, out: Path, tmp: Path, total: int) -> None:
        self.plan, self.out, self.tmp = plan, out, tmp
        self.env = {**os.environ, "PYTHONPATH": str(REPO), "TF_CPP_MIN_LOG_LEVEL": "2"}
        self.progress = Progress("census bench --protocol", total, interval=0.0)
        self.ok = 0

    def __call__(self, run: Process) -> int:
        from reference_models.suite import export_init

        init = self.tmp / f"{run.model}-{run.seed}.npz"
        if not init.exists():
            export_init(run.model, self.plan.size, run.seed, init)
        cache = self.tmp / f"inductor-{run.model}"
        state = "n/a"
        if run.mode == "torch-compile":
            state = "warm" if cache.exists() and any(cache.iterdir()) else "cold"
        env = {**self.env, "TORCHINDUCTOR_CACHE_DIR": str(cache)}
        code = -1
        for attempt in range(RETRIES):
            result = subprocess.run(
                command(self.plan, run, self.out, init, state),
                env=env,
                cwd=REPO,
                timeout=self.plan.timeout_s,
                check=False,
            )
            code = result.returncode
            if code != REFUSED or attempt == RETRIES - 1:
                break
            log.warning(
                "machine busy; retrying %s %s in %.0f s", run.model, run.mode, RETRY_PAUSE_S
            )
            time.sleep(RETRY_PAUSE_S)
        if code == 0:
            self.ok += 1
        elif code not in (SKIPPED, REFUSED):
            log.error("%s %s failed (exit %d, see the output above)", run.model, run.mode, code)
        note = (
            f"{run.pairing} {run.model} {run.mode}"
            f"{' ' + run.layout if run.model == 'cnn' and run.mode in TORCH_MODES else ''}"
            f" pair {run.pair_index}: exit {code}"
        )
        self.progress.advance(note=note)
        return code


def read_rows(out: Path, pairing: str) -> list[dict]:
    if not out.exists():
        return []
    rows = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
    return [r for r in rows if r.get("pairing") == pairing]


def run_protocol(plan: ProtocolPlan, out: Path) -> dict[str, object]:
    """Run the pilot and the pairs; returns the pilot's choices and the process counts."""
    pilot = pilot_processes(plan)
    unknown = {
        (p, m, side): "?" for p in plan.pairings for m in plan.models for side in ("torch", "tf")
    }
    planned_pairs = pair_processes(plan, unknown)
    with tempfile.TemporaryDirectory(prefix="census-protocol-") as tmp:
        runner = Runner(plan, out, Path(tmp), len(pilot) + len(planned_pairs))
        before = len(read_rows(out, "pilot"))
        for run in pilot:
            runner(run)
        pilot_rows = read_rows(out, "pilot")[before:]
        chosen = {}
        for name in plan.pairings:
            for model in plan.models:
                pairing = PAIRINGS[name]
                for side, candidates in (("torch", pairing.torch), ("tf", pairing.tensorflow)):
                    chosen[(name, model, side)] = choose(pilot_rows, model, candidates)
        for (name, model, side), mode in sorted(chosen.items()):
            log.warning("pairing %s, %s, %s side: %s", name, model, side, mode)
        for run in pair_processes(plan, chosen):
            runner(run)
    return {
        "chosen": {"/".join(k): v for k, v in chosen.items()},
        "processes": len(pilot) + len(planned_pairs),
        "ok": runner.ok,
    }


def get_args_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", choices=MODELS, default=list(MODELS))
    parser.add_argument("--pairings", nargs="+", choices=list(PAIRINGS), default=list(PAIRINGS))
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--pilot-repeats", type=int, default=2)
    parser.add_argument("--size", default="cpu")
    parser.add_argument("--data", default="fashion-mnist")
    parser.add_argument("--max-load", type=float)
    parser.add_argument("--out", type=Path, required=True)
    return parser


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    a = get_args_parser().parse_args()
    summary = run_protocol(
        ProtocolPlan(
            models=a.models,
            pairings=a.pairings,
            pairs=a.pairs,
            pilot_repeats=a.pilot_repeats,
            size=a.size,
            data=a.data,
            max_load=a.max_load,
        ),
        a.out,
    )
    log.warning("%s", json.dumps(summary, indent=1))
