"""Benchmark the reference models (MLP, ResNet-20-style CNN, char-level GPT) in both frameworks.

`census bench --protocol cpu` runs the paired protocol of issue #16: a recorded pilot picks
each framework's best compiled mode, then alternated process pairs per declared pairing
(default vs default, best compiled vs best compiled), one seed per pair; the analysis gives
the 95 % interval of the paired PyTorch/TensorFlow log-ratio and a verdict from it.
`census bench --plan gpu` runs the GPU plan (on an H200/H100 with PyTorch and JAX; Keras 3
on JAX against PyTorch) after `census bench --pack-gpu` packed Keras wheels and data.

Each measurement is a separate process (PyTorch eager / torch.compile; TensorFlow eager,
tf.function, tf.function+XLA, Keras fit; Keras on JAX when JAX is installed), repeated and with
the frameworks alternated; every process appends one JSON row (hardware, versions, load
average, config, seed, git sha) to reference_models/results/<file>.jsonl. Load the rows with
`census ingest benchmarks reference_models/results`. Needs the `models` extra (torch,
tensorflow-cpu, scikit-learn); data from Debian's dataset-fashion-mnist and bible-kjv-text.
"""

from __future__ import annotations

import argparse
import logging
import re
from datetime import UTC, datetime
from pathlib import Path

from census.commands._common import help_of

log = logging.getLogger(__name__)
MODELS = ("mlp", "cnn", "gpt")
# The CLI must not import the frameworks; reference_models.modes holds the same names.
MODES = (
    "torch-eager",
    "torch-compile",
    "tf-eager",
    "tf-function",
    "tf-xla",
    "keras-fit",
    "keras-jax",
)
PAIRINGS = ("default", "compiled")


def _steps(text: str) -> tuple[str, int]:
    model, _, steps = text.partition("=")
    if model not in MODELS or not steps.isdigit():
        msg = f"expected MODEL=STEPS with MODEL in {MODELS}, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return model, int(steps)


def register(subparsers: argparse._SubParsersAction) -> None:
    short, full = help_of(__doc__)
    parser = subparsers.add_parser("bench", help=short, description=full)
    parser.add_argument("--models", nargs="+", choices=MODELS, default=list(MODELS))
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument(
        "--repeats", type=int, default=5, help="processes per model and mode (default 5)"
    )
    parser.add_argument("--size", choices=("full", "cpu", "gpu", "tiny"), default="full")
    parser.add_argument("--precision", choices=("fp32", "bf16"), default="fp32")
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    parser.add_argument("--seed", type=int, default=0, help="base seed (repeat r uses seed+r)")
    parser.add_argument(
        "--steps",
        type=_steps,
        action="append",
        default=[],
        metavar="MODEL=STEPS",
        help="override a model's training steps",
    )
    parser.add_argument(
        "--data",
        default="fashion-mnist",
        help="image data: fashion-mnist (default), digits or an IDX folder",
    )
    parser.add_argument(
        "--distributed",
        type=int,
        default=0,
        metavar="N",
        help="also run DDP (torchrun) and tf.distribute with N processes/devices",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="JSONL file to append to (default: reference_models/results/"
        "<date>-<device>-<cpu>.jsonl)",
    )
    parser.add_argument(
        "--protocol",
        choices=("cpu",),
        help="run the paired CPU protocol (pilot + alternated pairs) instead of a mode sweep",
    )
    parser.add_argument("--pairings", nargs="+", choices=PAIRINGS, default=list(PAIRINGS))
    parser.add_argument("--pairs", type=int, default=5, help="process pairs per pairing")
    parser.add_argument(
        "--max-load",
        type=float,
        metavar="CORES",
        help="refuse a run while other processes use more CPU cores than this (retried)",
    )
    parser.add_argument(
        "--footing",
        choices=("equal", "legacy"),
        default="equal",
        help="with --protocol: legacy re-measures the harness before issue #16 (before -> after)",
    )
    parser.add_argument(
        "--plan", choices=("gpu",), help="run the GPU plan (needs CUDA; see --pack-gpu)"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="with --plan gpu: tiny sizes on the CPU"
    )
    parser.add_argument(
        "--pack-gpu",
        action="store_true",
        help="download Keras 3 wheels (Python 3.12) and pack the data into .whl/ (<= 64 MiB)",
    )
    parser.set_defaults(func=run)


def default_out(device: str) -> Path:
    from reference_models.measure import cpu_model
    from reference_models.suite import RESULTS_DIR

    slug = re.sub(r"[^a-z0-9]+", "-", cpu_model().lower()).strip("-")[:40]
    return RESULTS_DIR / f"{datetime.now(UTC):%Y-%m-%d}-{device}-{slug}.jsonl"


def run(args: argparse.Namespace) -> int:
    if args.pack_gpu:
        from reference_models.gpu_pack import pack

        pack()
        return 0
    if args.plan == "gpu":
        return run_gpu_plan(args)
    if args.protocol == "cpu":
        return run_cpu_protocol(args)
    from reference_models.suite import Plan, run_suite  # imports torch only when benchmarking

    plan = Plan(
        models=args.models,
        modes=args.modes,
        repeats=args.repeats,
        size=args.size,
        precision=args.precision,
        device=args.device,
        seed=args.seed,
        steps=dict(args.steps),
        data=args.data,
        distributed=args.distributed,
    )
    out = args.out or default_out(args.device)
    ok = run_suite(plan, out)
    log.warning("census bench: %d runs wrote rows to %s", ok, out)
    return 0 if ok else 1


def run_cpu_protocol(args: argparse.Namespace) -> int:
    from reference_models.protocol import ProtocolPlan, run_protocol

    if args.pairs < 2:
        log.error("census bench: --pairs must be at least 2 for an interval, got %d", args.pairs)
        return 2
    plan = ProtocolPlan(
        models=args.models,
        pairings=args.pairings,
        pairs=args.pairs,
        size="cpu" if args.size == "full" else args.size,
        seed=args.seed,
        data=args.data,
        max_load=args.max_load,
        steps=dict(args.steps),
        footing=args.footing,
    )
    out = args.out or default_out("cpu")
    summary = run_protocol(plan, out)
    log.warning("census bench --protocol cpu: %s; rows in %s", summary, out)
    return 0 if summary["ok"] == summary["processes"] else 1


def run_gpu_plan(args: argparse.Namespace) -> int:
    from reference_models.gpu_plan import GpuPlan, dry_run_plan, run_plan

    out = args.out or default_out("cuda")
    plan = dry_run_plan(out) if args.dry_run else GpuPlan(out=out)
    summary = run_plan(plan)
    log.warning("census bench --plan gpu: %s; rows in %s", summary["counts"], out)
    counts = summary["counts"]
    return 0 if isinstance(counts, dict) and counts.get("ok") else 1
