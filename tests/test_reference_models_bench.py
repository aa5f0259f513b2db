"""The benchmark harness on tiny configs: one valid row per run, DDP and tf.distribute paths.

The distributed runs are subprocesses (torchrun with 2 CPU processes; 2 logical CPU devices
must be configured before TensorFlow starts), each a few seconds of tiny-MLP training.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

import pytest

from collectors.benchmarks import parse_row
from reference_models import suite
from reference_models.measure import REPO

pytest.importorskip("torch", reason="needs the `models` extra (torch)")
pytest.importorskip("tensorflow", reason="needs the `models` extra (tensorflow)")
pytest.importorskip("sklearn", reason="the tiny runs train on scikit-learn's digits")
pytestmark = pytest.mark.models
ENV = {**os.environ, "PYTHONPATH": str(REPO), "TF_CPP_MIN_LOG_LEVEL": "2"}


@pytest.fixture(autouse=True)
def _float32_policy_afterwards():
    """A bf16 run sets Keras' global dtype policy; put it back for the tests that follow."""
    yield
    import keras

    keras.mixed_precision.set_dtype_policy("float32")


def bench_args(tmp_path, *extra: str):
    from reference_models.bench import get_args_parser

    return get_args_parser().parse_args(
        [
            "--model",
            "mlp",
            "--size",
            "tiny",
            "--data",
            "digits",
            "--out",
            str(tmp_path / "rows.jsonl"),
            *extra,
        ]
    )


@pytest.mark.parametrize(
    ("mode", "precision"),
    [("torch-eager", "fp32"), ("tf-function", "fp32"), ("torch-eager", "bf16"), ("tf-xla", "bf16")],
)
def test_tiny_run_writes_one_valid_row(tmp_path, mode, precision):
    import torch

    torch.backends.mkldnn.enabled = False  # TensorFlow may share this test process
    from reference_models.bench import main

    row = main(bench_args(tmp_path, "--mode", mode, "--steps", "25", "--precision", precision))
    lines = (tmp_path / "rows.jsonl").read_text().splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["run_id"] == row["run_id"]
    parsed = parse_row("rows.jsonl", 1, lines[0])  # what the ingester accepts
    assert parsed["framework"] == ("torch" if mode == "torch-eager" else "tensorflow")
    assert parsed["precision"] == precision
    assert row["parameters"] == 25_818
    assert row["steps"] == 25
    assert row["dataset"] == "sklearn-digits"
    assert row["samples_per_s"] > 0
    assert row["samples_per_s_min"] <= row["samples_per_s_max"]
    assert row["first_step_s"] > 0
    assert row["latency_ms_p50"] <= row["latency_ms_p99"]
    assert [e[1] for e in row["evaluations"]] == [10, 20, 25]
    assert 0 <= row["final_metric"] <= 1
    assert row["cpu_cores"] == os.cpu_count()
    assert row["achieved_gflops"] == pytest.approx(
        row["samples_per_s"] * row["flops_per_sample"] / 1e9
    )


def test_keras_on_jax_is_skipped_without_jax(tmp_path, monkeypatch):
    if importlib.util.find_spec("jax") is not None:
        pytest.skip("JAX is installed here")
    from reference_models.bench import ModeUnavailable, main

    with pytest.raises(ModeUnavailable, match="JAX"):
        main(bench_args(tmp_path, "--mode", "keras-jax"))
    assert suite.available_modes(["torch-eager", "keras-jax"]) == ["torch-eager"]


def test_frameworks_alternate_and_reverse_between_repeats():
    modes = ["tf-xla", "torch-eager", "keras-fit", "torch-compile"]
    first, second = suite.ordered(modes, 0), suite.ordered(modes, 1)
    assert first == ["torch-eager", "torch-compile", "tf-xla", "keras-fit"]
    assert second == first[::-1]


def run_module(args: list[str], tmp_path) -> dict:
    out = tmp_path / "rows.jsonl"
    result = subprocess.run(
        [sys.executable, *args, "--out", str(out)],
        env=ENV,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 1  # only rank 0 writes
    return rows[0]


def test_ddp_under_torchrun_with_two_cpu_processes(tmp_path):
    row = run_module(
        [
            "-m",
            "torch.distributed.run",
            "--standalone",
            "--nproc-per-node=2",
            "-m",
            "reference_models.bench",
            "--model",
            "mlp",
            "--mode",
            "torch-eager",
            "--size",
            "tiny",
            "--data",
            "digits",
            "--steps",
            "12",
        ],
        tmp_path,
    )
    assert row["distributed"] == "ddp"
    assert row["world_size"] == 2
    assert row["global_batch_size"] == 2 * row["batch_size"]


def test_tf_distribute_with_two_logical_cpus(tmp_path):
    row = run_module(
        [
            "-m",
            "reference_models.bench",
            "--model",
            "mlp",
            "--mode",
            "tf-function",
            "--size",
            "tiny",
            "--data",
            "digits",
            "--steps",
            "12",
            "--tf-replicas",
            "2",
        ],
        tmp_path,
    )
    assert row["distributed"] == "tf.distribute"
    assert row["world_size"] == 2
    assert row["global_batch_size"] == 2 * row["batch_size"]
    assert row["final_loss"] < 2.5  # it trained (initial loss ~ ln 10 = 2.30 ... then falls)


def test_cli_does_not_import_the_frameworks():
    code = (
        "import sys; from census.cli import build_parser; build_parser(); "
        "print(sorted(m for m in ('torch', 'tensorflow', 'keras') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=ENV,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert out.strip() == "[]"
