"""Measure one reference model in one framework mode, in this process; append one JSON row.

    python -m reference_models.bench --model mlp --mode torch-eager --out results.jsonl
    torchrun --nproc-per-node 2 -m reference_models.bench --model mlp --mode torch-eager
    python -m reference_models.bench --model mlp --mode tf-function --tf-replicas 2

``census bench`` runs many of these as separate processes, frameworks alternated
(``reference_models.suite``). A run: first step timed apart (trace / compile), then training on
pre-materialised real batches with the step clock paused during evaluations; steady-state
samples/s over the steps after warm-up (median of five windows), time to the target metric,
final metric, batch-1 inference latency, peak memory. See docs/reference_models.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np

from reference_models import machine
from reference_models.config import MODELS, PRESETS, as_dict, preset, with_overrides
from reference_models.flops import matmul_shape, train_flops
from reference_models.measure import BudgetSpent, Clock, environment, latency_ms, peak_rss_mb
from reference_models.modes import ALL_MODES, MODES, TORCH_MODES
from reference_models.tasks import load_data, metric_of

log = logging.getLogger("reference_models.bench")
SKIPPED = 3  # exit status of a run whose mode is unavailable here
REFUSED = 4  # exit status of a run refused because other processes loaded the machine


class ModeUnavailable(RuntimeError):
    """The mode's library is not installed (e.g. keras-jax without JAX)."""


class MachineBusy(RuntimeError):
    """Other processes used more CPU than ``--max-load`` allows just before the run."""


def get_args_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", choices=MODELS, required=True)
    parser.add_argument("--mode", choices=ALL_MODES, required=True)
    parser.add_argument(
        "--size",
        choices=sorted(PRESETS),
        default="full",
        help="full = published shapes, cpu = the CPU protocol's budgets, tiny = test-sized",
    )
    parser.add_argument(
        "--layout",
        choices=("channels_last", "nchw"),
        default="channels_last",
        help="PyTorch CNN memory layout (channels_last = NHWC in memory, like Keras)",
    )
    parser.add_argument(
        "--footing",
        choices=("equal", "legacy"),
        default="equal",
        help="equal (ready tensors both sides, channels_last CNN) or legacy (the harness before "
        "issue #16: NCHW CNN, TF converts each batch inside the timed step, Keras fit on NumPy)",
    )
    parser.add_argument(
        "--threads", type=int, help="intra-op threads in either framework (default: all cores)"
    )
    parser.add_argument("--pairing", default="none", help="protocol pairing (set by the suite)")
    parser.add_argument("--pair-id", help="id shared by the two processes of a pair")
    parser.add_argument("--pair-index", type=int, help="position of the pair in its pairing")
    parser.add_argument(
        "--budget-s", type=float, help="stop training after this many seconds (GPU plan)"
    )
    parser.add_argument(
        "--max-load",
        type=float,
        help="refuse to run (exit 4, no row) if other processes use more CPU cores than this",
    )
    parser.add_argument("--precision", choices=("fp32", "bf16"), default="fp32")
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", type=int, help="training steps (default: the preset's)")
    parser.add_argument("--batch-size", type=int, help="per-process batch (default: preset)")
    parser.add_argument(
        "--data",
        default="fashion-mnist",
        help="images: fashion-mnist, digits or an IDX folder (GPT: KJV)",
    )
    parser.add_argument(
        "--init-weights",
        type=Path,
        help="PyTorch state dict as .npz: both frameworks start from it",
    )
    parser.add_argument(
        "--tf-replicas",
        type=int,
        default=1,
        help="tf.distribute.MirroredStrategy over this many logical CPUs",
    )
    parser.add_argument(
        "--compile-cache",
        default="",
        help="label for the compile cache state (set by census bench)",
    )
    parser.add_argument("--out", type=Path, help="append the row to this JSONL file")
    return parser


def make_runner(
    args: argparse.Namespace, config: Any, train: Any, data: Any, init_state: dict | None
) -> Any:
    common = {
        "precision": args.precision,
        "device": args.device,
        "seed": args.seed,
        "init_state": init_state,
    }
    mode = MODES[args.mode]
    if mode.framework == "torch":
        from reference_models.torch_runner import TorchRunner

        equal_threads("torch", args.threads)
        layout = "nchw" if args.footing == "legacy" else args.layout
        return TorchRunner(args.model, args.mode, config, train, data, layout=layout, **common)
    backend = mode.keras_backend or "tensorflow"
    if backend == "jax":
        import importlib.util

        if importlib.util.find_spec("jax") is None:
            msg = "keras-jax needs JAX (pip install jax); it is not installed here"
            raise ModeUnavailable(msg)
    if "keras" in sys.modules and os.environ.get("KERAS_BACKEND", "tensorflow") != backend:
        msg = f"Keras is already loaded with another backend; run {args.mode} in a new process"
        raise RuntimeError(msg)
    os.environ["KERAS_BACKEND"] = backend
    if backend == "tensorflow":
        equal_threads("tensorflow", args.threads)
    from reference_models.keras_runner import KerasRunner

    return KerasRunner(
        args.model,
        args.mode,
        config,
        train,
        data,
        replicas=args.tf_replicas,
        footing=args.footing,
        **common,
    )


def equal_threads(framework: str, requested: int | None) -> None:
    """The same intra-op thread count in both frameworks (default: every visible core)."""
    try:
        machine.set_threads(framework, requested or os.cpu_count() or 1)
    except RuntimeError as exc:  # TensorFlow already initialised in this (test) process
        log.warning("thread count left as it was: %s", exc)


def protocol_fields(
    args: argparse.Namespace, runner: Any, load_before: float | None, load_during: float | None
) -> dict[str, Any]:
    """Pairing, layout and the load other processes put on the machine before and during."""
    loads = [v for v in (load_before, load_during) if v is not None]
    return {
        "pairing": args.pairing,
        "footing": args.footing,
        "pair_id": args.pair_id,
        "pair_index": args.pair_index,
        "layout": getattr(runner, "layout", "nhwc" if args.model == "cnn" else "n/a"),
        "load_before_cores": load_before,
        "load_during_cores": load_during,
        "load_flagged": bool(loads) and max(loads) > machine.LOAD_FLAG_CORES,
    }


def main(args: argparse.Namespace) -> dict[str, Any]:
    """Run one measurement; returns the row (and appends it to ``args.out`` on rank 0)."""
    load_before = machine.load_now()  # other processes' CPU use while this one idles
    if args.max_load is not None and load_before is not None and load_before > args.max_load:
        msg = f"other processes use {load_before:.2f} cores (> --max-load {args.max_load})"
        raise MachineBusy(msg)
    started = environment(args)
    config, train = preset(args.model, args.size)
    train = with_overrides(train, steps=args.steps, batch_size=args.batch_size)
    rank, world = int(os.environ.get("RANK", "0")), int(os.environ.get("WORLD_SIZE", "1"))
    shards = args.tf_replicas if args.mode not in TORCH_MODES else 1
    data, config = load_data(args.model, args.data, train, config, args.seed, shards, rank)
    init = dict(np.load(args.init_weights)) if args.init_weights else None
    runner = make_runner(args, config, train, data, init)

    def evaluate() -> float:
        return metric_of(args.model, runner.logits(data.x_eval), data.y_eval)[1]

    lower_is_better = args.model == "gpt"
    task = f"{args.model} {args.mode}"
    clock = Clock(train, evaluate, lower_is_better, task, rank != 0, args.budget_s)
    during = machine.OtherLoad()

    def on_step(step: int, loss: float) -> None:
        clock.step_done(step, loss)
        if step == 0:  # after the first step: torch.compile's worker processes are done
            during.start()

    cut = ""
    try:
        runner.train(train.steps, on_step)
    except BudgetSpent as exc:
        cut = f"steps {train.steps} -> {len(clock.step_times)}: {exc}"
        log.warning("%s: %s", task, cut)
        train = with_overrides(train, steps=len(clock.step_times))
    load_during = during.stop()
    metric_name = metric_of(args.model, runner.logits(data.x_eval[:1]), data.y_eval[:1])[0]
    first_call, p50, p99 = latency_ms(runner.predictor(data.x_eval[:1]), train.latency_calls)
    global_batch = train.batch_size * max(world, shards)
    rates = clock.throughput(global_batch)
    flops = train_flops(args.model, config)
    framework = MODES[args.mode].framework
    shape = matmul_shape(args.model, config, train.batch_size)
    row = {
        **started,
        "framework": runner.framework,
        "keras_backend": getattr(runner, "backend", None),
        "jit_compile": runner.jit_compile()
        if hasattr(runner, "jit_compile")
        else str(args.mode == "torch-compile"),
        "world_size": max(world, shards),
        "distributed": ("ddp" if world > 1 else "tf.distribute" if shards > 1 else "none"),
        "dataset": data.name,
        "parameters": runner.parameters(),
        "batch_size": train.batch_size,
        "global_batch_size": global_batch,
        "steps": train.steps,
        "warmup_steps": train.warmup_steps,
        "first_step_s": clock.step_times[0],
        "samples_per_s": rates["median"],
        "samples_per_s_min": rates["min"],
        "samples_per_s_max": rates["max"],
        "step_ms_p50": rates["step_ms_p50"],
        "step_ms_p95": rates["step_ms_p95"],
        "final_loss": clock.losses[-1],
        "metric": metric_name,
        "target": train.target,
        "time_to_target_s": clock.time_to_target,
        "steps_to_target": clock.steps_to_target,
        "final_metric": clock.evaluations[-1][2],
        "evaluations": [[round(t, 4), s, m] for t, s, m in clock.evaluations],
        "latency_first_call_ms": first_call,
        "latency_ms_p50": p50,
        "latency_ms_p99": p99,
        "peak_rss_mb": peak_rss_mb(),
        "peak_device_mb": runner.peak_device_mb(),
        "flops_per_sample": flops,
        "achieved_gflops": rates["median"] * flops / 1e9,
        "model_config": as_dict(config),
        "train_config": as_dict(train),
        "load_avg_1m_end": os.getloadavg()[0],
        **protocol_fields(args, runner, load_before, load_during),
        **machine.cpu_info(),
        **machine.threads(framework),
        "blas": machine.blas(framework),
        "matmul_shape": "x".join(map(str, shape)),
        "matmul_gflops": machine.matmul_gflops(framework, shape, args.device),
        "budget_s": args.budget_s,
        "cut": cut,
    }
    if args.device == "cuda":
        row["matmul_precision"] = machine.matmul_precision(framework, args.precision, train.tf32)
        row["gpu"] = machine.gpu_details(framework)
    if args.out and rank == 0:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with args.out.open("a") as handle:
            handle.write(json.dumps(row, sort_keys=True) + "\n")
    return row


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        result = main(get_args_parser().parse_args())
    except ModeUnavailable as exc:
        log.warning("skipped: %s", exc)
        sys.exit(SKIPPED)
    except MachineBusy as exc:
        log.warning("refused: %s", exc)
        sys.exit(REFUSED)
    log.info(
        "%s %s: %.1f samples/s, first step %.3f s, %s %.4f",
        result["model"],
        result["mode"],
        result["samples_per_s"],
        result["first_step_s"],
        result["metric"],
        result["final_metric"],
    )
