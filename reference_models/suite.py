"""``census bench``: many one-process measurements, frameworks alternated, rows to JSONL.

Every measurement is a fresh ``python -m reference_models.bench`` process (process-to-process
variation is larger than within-process on a shared VM, benchmarking.md §6). Within each
repeat the modes run in an order that alternates PyTorch and TensorFlow, reversed on every
other repeat to de-bias drift. Both frameworks of a repeat start from the same initial weights
(exported from the PyTorch model, seed = base seed + repeat). ``torch.compile`` uses a fresh
Inductor cache folder per model: its first process is the cold-cache run, the others warm.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from census_base.progress import Progress
from reference_models.bench import ALL_MODES, SKIPPED, TORCH_MODES
from reference_models.measure import REPO

log = logging.getLogger(__name__)
RESULTS_DIR = REPO / "reference_models" / "results"
# PyTorch and TensorFlow alternate in this order (reversed on odd repeats).
ORDER = (
    "torch-eager",
    "tf-function",
    "torch-compile",
    "tf-xla",
    "keras-fit",
    "tf-eager",
    "keras-jax",
)


@dataclass
class Plan:
    models: list[str]
    modes: list[str]
    repeats: int = 5
    size: str = "full"
    precision: str = "fp32"
    device: str = "cpu"
    seed: int = 0
    steps: dict[str, int] = field(default_factory=dict)  # per model, overrides the preset
    data: str = "fashion-mnist"
    distributed: int = 0  # >1: also run DDP (torchrun) and tf.distribute with this many
    timeout_s: int = 900


def available_modes(modes: list[str]) -> list[str]:
    """Drops keras-jax (with a warning) when JAX is not installed."""
    kept = []
    for mode in modes:
        if mode == "keras-jax" and importlib.util.find_spec("jax") is None:
            log.warning(
                "keras-jax skipped: JAX is not installed (pip install jax); "
                "no rows are written for Keras on JAX"
            )
            continue
        kept.append(mode)
    return kept


def ordered(modes: list[str], repeat: int) -> list[str]:
    sequence = [m for m in ORDER if m in modes]
    return sequence[::-1] if repeat % 2 else sequence


def export_init(model: str, size: str, seed: int, path: Path) -> None:
    """Save the PyTorch model's initial weights (NumPy .npz) for both frameworks to load."""
    import numpy as np
    import torch

    from reference_models.config import preset
    from reference_models.port import torch_state
    from reference_models.tasks import load_data
    from reference_models.torch_runner import build_model

    config, train = preset(model, size)
    if model == "gpt":  # the vocabulary comes from the corpus
        _, config = load_data(model, "", train, config, seed)
    torch.manual_seed(seed)
    np.savez(path, **torch_state(build_model(model, config)))


def bench_command(
    plan: Plan,
    model: str,
    mode: str,
    seed: int,
    out: Path,
    init: Path,
    cache: str,
    distributed: int = 0,
) -> list[str]:
    python = [sys.executable]
    if distributed and mode in TORCH_MODES:
        python += ["-m", "torch.distributed.run", "--standalone", f"--nproc-per-node={distributed}"]
    command = [
        *python,
        "-m",
        "reference_models.bench",
        "--model",
        model,
        "--mode",
        mode,
        "--size",
        plan.size,
        "--precision",
        plan.precision,
        "--device",
        plan.device,
        "--seed",
        str(seed),
        "--data",
        plan.data,
        "--init-weights",
        str(init),
        "--out",
        str(out),
        "--compile-cache",
        cache,
    ]
    if distributed and mode not in TORCH_MODES:
        command += ["--tf-replicas", str(distributed)]
    if model in plan.steps:
        command += ["--steps", str(plan.steps[model])]
    return command


def run_suite(plan: Plan, out: Path) -> int:
    """Run the plan; returns the number of runs that wrote a row."""
    modes = available_modes([m for m in plan.modes if m in ALL_MODES])
    runs = [
        (model, mode, r)
        for model in plan.models
        for r in range(plan.repeats)
        for mode in ordered(modes, r)
    ]
    if plan.distributed > 1:
        runs += [
            (model, mode, -1) for model in plan.models for mode in ("torch-eager", "tf-function")
        ]
    progress = Progress("census bench", len(runs), interval=0.0)
    ok = 0
    with tempfile.TemporaryDirectory(prefix="census-bench-") as tmp:
        env = {**os.environ, "PYTHONPATH": str(REPO), "TF_CPP_MIN_LOG_LEVEL": "2"}
        for model, mode, repeat in runs:
            seed = plan.seed + max(repeat, 0)
            init = Path(tmp) / f"{model}-{seed}.npz"
            if not init.exists():
                export_init(model, plan.size, seed, init)
            cache = Path(tmp) / f"inductor-{model}"
            state = "n/a"
            if mode == "torch-compile":
                state = "warm" if cache.exists() and any(cache.iterdir()) else "cold"
            command = bench_command(
                plan, model, mode, seed, out, init, state, plan.distributed if repeat < 0 else 0
            )
            run_env = {**env, "TORCHINDUCTOR_CACHE_DIR": str(cache)}
            # The run's own training progress and errors go straight to this terminal.
            result = subprocess.run(
                command, env=run_env, cwd=REPO, timeout=plan.timeout_s, check=False
            )
            if result.returncode == 0:
                ok += 1
            elif result.returncode == SKIPPED:
                log.warning("%s %s skipped (see the message above)", model, mode)
            else:
                log.error(
                    "%s %s failed (exit %d, see the output above)", model, mode, result.returncode
                )
            progress.advance(note=f"{model} {mode} repeat {repeat}: exit {result.returncode}")
    return ok
