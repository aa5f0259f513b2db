"""The GPU protocol (issue #16, part 2) as one command for a 15-minute H200/H100 lease.

    census bench --pack-gpu                                  # here, once: wheels + data
    python3 -m reference_models.gpu_plan --out $OUT/gpu.jsonl   # there (carry .whl)
    python -m reference_models.gpu_plan --dry-run --out /tmp/gpu.jsonl   # CPU, tiny sizes

Order: GPT first, then the CNN, the MLP last and only as an overhead check. For each model,
``pairs`` rounds; each round has a bf16 and an fp32 triplet of processes (interleaved, so a
cut leaves both precisions with the same number of pairs), the order rotated per round:
PyTorch eager, ``torch.compile`` and Keras 3 on JAX (labelled "Keras 3 / JAX backend";
TensorFlow is not on these machines). The Keras/JAX process of a triplet is the
other side of both pairings (default: eager; compiled: torch.compile), sharing its pair_id.
Equal numerics: TF32 off on both sides for fp32 (PyTorch ``highest``,
``JAX_DEFAULT_MATMUL_PRECISION=highest``), autocast / ``mixed_bfloat16`` for bf16; cuDNN
autotuning on (XLA autotunes); data on the device on both sides. The first torch.compile and
the first Keras/JAX process per model and precision start from empty compile caches (cold);
the others reuse them (warm). Before the runs, bf16, TF32 and fp32 matmul peaks are measured
in this process and passed to every row. Every run has a time budget (training stops there,
the row says what was cut); runs that no longer fit the total budget are listed as cut in
``<out>.plan.json``. Nothing is estimated: a run that did not happen has no row.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from reference_models.bench import REFUSED, SKIPPED
from reference_models.measure import REPO

log = logging.getLogger("reference_models.gpu_plan")
ORDER = ("gpt", "cnn", "mlp")
TRIPLET = ("torch-eager", "torch-compile", "keras-jax")
PAIRING = {"torch-eager": "default", "torch-compile": "compiled", "keras-jax": "default"}
STARTUP_S = 90.0  # allowance per process beyond its training budget: imports, compile, eval
COLD_COMPILE_S = 240.0  # the same for a cold-cache torch.compile / XLA process


@dataclass
class GpuPlan:
    out: Path
    models: tuple[str, ...] = ORDER
    precisions: tuple[str, ...] = ("bf16", "fp32")
    modes: tuple[str, ...] = TRIPLET
    pairs: dict[str, int] = field(default_factory=lambda: {"gpt": 5, "cnn": 5, "mlp": 3})
    budget_s: dict[str, float] = field(default_factory=lambda: {"gpt": 8, "cnn": 6, "mlp": 3})
    total_s: float = 480.0
    size: str = "gpu"
    device: str = "cuda"
    data: str = str(REPO / ".whl" / "data" / "fashion-mnist")
    wheels: Path | None = REPO / ".whl"
    peak_size: int = 8192


@dataclass
class Run:
    model: str
    precision: str
    mode: str
    pair_id: str
    pair_index: int
    status: str = "planned"  # ok | cut | skipped | failed
    note: str = ""


def planned_runs(plan: GpuPlan) -> list[Run]:
    runs = []
    for model in (m for m in ORDER if m in plan.models):
        for i in range(plan.pairs.get(model, 5)):
            for precision in plan.precisions:  # interleaved: a cut leaves both balanced
                pair_id = str(uuid.uuid4())
                shift = i % len(plan.modes)
                for mode in plan.modes[shift:] + plan.modes[:shift]:
                    runs.append(Run(model, precision, mode, pair_id, i))
    return runs


def measure_peaks(device: str, size: int) -> dict[str, float]:
    """Matmul TFLOP/s in bf16, TF32 and fp32 (TF32 off), median of timed calls, this run."""
    import torch

    from reference_models.machine import time_matmul

    results = {}
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    for name, dtype, tf32 in (
        ("bf16", torch.bfloat16, False),
        ("tf32", torch.float32, True),
        ("fp32", torch.float32, False),
    ):
        torch.backends.cuda.matmul.allow_tf32 = tf32
        a = torch.randn(size, size, device=device, dtype=dtype)
        b = torch.randn(size, size, device=device, dtype=dtype)

        def call(a: torch.Tensor = a, b: torch.Tensor = b) -> None:
            torch.mm(a, b)
            sync()

        results[name] = time_matmul(call, 2.0 * size**3, seconds=1.0) / 1e3
    torch.backends.cuda.matmul.allow_tf32 = False
    return results


def install_keras(wheels: Path | None, target: Path) -> str | None:
    """Install the packed Keras wheels into ``target`` (no index, no deps); its path."""
    if importlib.util.find_spec("keras") is not None or wheels is None:
        return None
    files = sorted(str(p) for p in wheels.glob("*.whl"))
    if not files:
        log.warning("no wheels in %s: Keras 3 / JAX runs will be skipped", wheels)
        return None
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-index", "--no-deps", "--target", str(target)]
        + files,
        check=True,
    )
    return str(target)


def command(plan: GpuPlan, run: Run, budget: float) -> list[str]:
    return [
        sys.executable,
        "-m",
        "reference_models.bench",
        *("--model", run.model, "--mode", run.mode, "--size", plan.size),
        *("--precision", run.precision, "--device", plan.device, "--data", plan.data),
        *("--seed", str(run.pair_index), "--out", str(plan.out), "--budget-s", f"{budget:.1f}"),
        *("--pairing", PAIRING[run.mode], "--pair-id", run.pair_id),
        *("--pair-index", str(run.pair_index), "--compile-cache", "{cache}"),
    ]


def run_plan(plan: GpuPlan) -> dict[str, object]:
    """Run what fits in ``total_s``; returns (and writes) the plan summary."""
    started = time.monotonic()
    deadline = started + plan.total_s
    runs = planned_runs(plan)
    peaks = measure_peaks(plan.device, plan.peak_size)
    log.warning("matmul peaks (TFLOP/s, measured now): %s", json.dumps(peaks))
    has_jax = importlib.util.find_spec("jax") is not None
    with tempfile.TemporaryDirectory(prefix="census-gpu-") as tmp:
        keras_path = install_keras(plan.wheels, Path(tmp) / "site") if has_jax else None
        path = [str(REPO)] + ([keras_path] if keras_path else [])
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(path + [os.environ.get("PYTHONPATH", "")]),
            "CENSUS_GPU_PEAKS": json.dumps(peaks),
            "CENSUS_KJV_TEXT": str(REPO / ".whl" / "data" / "kjv.txt.gz"),
            "JAX_DEFAULT_MATMUL_PRECISION": "highest",
            "XLA_PYTHON_CLIENT_PREALLOCATE": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
        }
        if not Path(env["CENSUS_KJV_TEXT"]).exists():
            del env["CENSUS_KJV_TEXT"]
        for number, run in enumerate(runs, 1):
            left = deadline - time.monotonic()
            budget = plan.budget_s.get(run.model, 10.0)
            if run.mode == "keras-jax" and not has_jax:
                run.status, run.note = "skipped", "JAX is not installed here"
                continue
            if left < budget + 15:
                run.status, run.note = "cut", f"total budget {plan.total_s:.0f} s spent"
                continue
            cache = Path(tmp) / f"cache-{run.model}-{run.precision}-{run.mode}"
            state = "warm" if cache.exists() and any(cache.iterdir()) else "cold"
            cache.mkdir(exist_ok=True)
            if run.mode == "torch-eager":
                state = "n/a"
            args = [a.replace("{cache}", state) for a in command(plan, run, budget)]
            run_env = {
                **env,
                "TORCHINDUCTOR_CACHE_DIR": str(cache),
                "JAX_COMPILATION_CACHE_DIR": str(cache),
            }
            if run.mode == "keras-jax":
                run_env["KERAS_BACKEND"] = "jax"
            cold = state == "cold" and run.mode != "torch-eager"
            allowance = COLD_COMPILE_S if cold else STARTUP_S
            try:
                code = subprocess.run(
                    args,
                    env=run_env,
                    cwd=REPO,
                    timeout=min(budget + allowance, left),
                    check=False,
                ).returncode
                run.status = {0: "ok", SKIPPED: "skipped", REFUSED: "skipped"}.get(code, "failed")
                run.note = f"exit {code}"
            except subprocess.TimeoutExpired:
                run.status = "cut"
                run.note = f"killed at its {min(budget + allowance, left):.0f} s limit (no row)"
            log.warning(
                "gpu plan %d/%d (%.0f s): %s %s %s pair %d: %s",
                number,
                len(runs),
                time.monotonic() - started,
                run.model,
                run.precision,
                run.mode,
                run.pair_index,
                run.status,
            )
    summary = {
        "peaks_tflops": peaks,
        "wall_s": round(time.monotonic() - started, 1),
        "total_budget_s": plan.total_s,
        "counts": {s: sum(r.status == s for r in runs) for s in ("ok", "cut", "skipped", "failed")},
        "runs": [asdict(r) for r in runs],
    }
    Path(f"{plan.out}.plan.json").write_text(json.dumps(summary, indent=1))
    return summary


def dry_run_plan(
    out: Path, models: tuple[str, ...] = ORDER, modes: tuple[str, ...] = TRIPLET
) -> GpuPlan:
    """The same plan at tiny sizes on the CPU (no CUDA, no JAX needed): for the test."""
    return GpuPlan(
        out=out,
        models=models,
        modes=modes,
        pairs=dict.fromkeys(ORDER, 1),
        budget_s=dict.fromkeys(ORDER, 5.0),
        total_s=600.0,
        size="tiny",
        device="cpu",
        data="digits",
        wheels=None,
        peak_size=128,
    )


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--dry-run", action="store_true", help="CPU, tiny sizes")
    parser.add_argument("--total-s", type=float, default=480.0)
    a = parser.parse_args()
    gpu_plan = dry_run_plan(a.out) if a.dry_run else GpuPlan(out=a.out, total_s=a.total_s)
    result = run_plan(gpu_plan)
    log.warning("gpu plan: %s in %.0f s", result["counts"], result["wall_s"])
