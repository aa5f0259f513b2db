"""The paired CPU protocol and the GPU plan: planning, and tiny dry runs of both.

The dry runs start real ``reference_models.bench`` processes at tiny sizes on scikit-learn's
digits; the GPU plan's dry run needs neither CUDA nor JAX (Keras-on-JAX runs are skipped, with
the reason recorded, when JAX is absent).
"""

from __future__ import annotations

import gzip
import importlib.util
import json

import numpy as np
import pandas as pd
import pytest

from analysis.performance import paired_ratios
from reference_models import gpu_pack
from reference_models.gpu_plan import ORDER, dry_run_plan, planned_runs, run_plan
from reference_models.protocol import (
    ProtocolPlan,
    choose,
    pair_processes,
    pilot_processes,
    run_protocol,
)

pytest.importorskip("torch", reason="needs the `models` extra (torch)")
pytest.importorskip("tensorflow", reason="needs the `models` extra (tensorflow)")
pytest.importorskip("sklearn", reason="the tiny runs train on scikit-learn's digits")
pytestmark = pytest.mark.models
CHOSEN = {
    (p, m, s): f"{p}-{s}" for p in ("default", "compiled") for m in ORDER for s in ("torch", "tf")
}


def test_pilot_runs_the_compiled_candidates_alternated():
    runs = pilot_processes(ProtocolPlan(models=["cnn"], pilot_repeats=2))
    assert [r.mode for r in runs] == [
        "torch-compile",
        "tf-function",
        "tf-xla",
        "tf-xla",
        "tf-function",
    ]
    assert {r.pairing for r in runs} == {"pilot"}


def test_pairs_share_seed_and_id_and_alternate_who_goes_first():
    runs = pair_processes(ProtocolPlan(models=["cnn"], pairings=["default"], pairs=3), CHOSEN)
    assert len(runs) == 3 * 3  # channels_last, NCHW and Keras per pair
    by_pair: dict[str, list] = {}
    for run in runs:
        by_pair.setdefault(run.pair_id, []).append(run)
    assert len(by_pair) == 3
    firsts = [group[0].mode for group in by_pair.values()]
    assert firsts == ["default-torch", "default-tf", "default-torch"]
    for group in by_pair.values():
        assert len({r.seed for r in group}) == 1
        assert sorted(r.layout for r in group if r.mode == "default-torch") == [
            "channels_last",
            "nchw",
        ]


def test_legacy_footing_reruns_the_old_harness_for_before_and_after(tmp_path):
    from reference_models.protocol import command

    plan = ProtocolPlan(models=["cnn"], pairings=["default"], pairs=2, footing="legacy")
    runs = pair_processes(plan, CHOSEN)
    assert [r.layout for r in runs if r.mode == "default-torch"] == ["nchw", "nchw"]
    args = command(plan, runs[0], tmp_path / "o.jsonl", tmp_path / "i.npz", "n/a")
    assert args[args.index("--footing") + 1] == "legacy"


def test_compiled_pairs_run_the_pilot_choice_in_one_layout():
    runs = pair_processes(ProtocolPlan(models=["cnn"], pairings=["compiled"], pairs=2), CHOSEN)
    assert sorted({r.mode for r in runs}) == ["compiled-tf", "compiled-torch"]
    assert len(runs) == 4


def test_choice_is_by_median_over_the_pilot():
    rows = [
        {"model": "mlp", "mode": "tf-xla", "samples_per_s": v} for v in (9000.0, 100.0, 110.0)
    ] + [{"model": "mlp", "mode": "tf-function", "samples_per_s": v} for v in (500.0, 520.0)]
    assert choose(rows, "mlp", ("tf-function", "tf-xla")) == "tf-function"
    assert choose(rows, "mlp", ("torch-compile",)) == "torch-compile"
    with pytest.raises(RuntimeError, match="no rows for cnn"):
        choose(rows, "cnn", ("tf-function", "tf-xla"))


def test_tiny_protocol_dry_run_gives_a_paired_interval(tmp_path):
    out = tmp_path / "protocol.jsonl"
    plan = ProtocolPlan(models=["mlp"], pairings=["default"], pairs=2, size="tiny", data="digits")
    summary = run_protocol(plan, out)
    assert summary["ok"] == summary["processes"] == 4
    rows = pd.DataFrame([json.loads(line) for line in out.read_text().splitlines()])
    assert set(rows["pairing"]) == {"default"}
    assert rows.groupby("pair_id")["framework"].apply(sorted).tolist() == [
        ["tensorflow", "torch"],
        ["tensorflow", "torch"],
    ]
    assert (rows["matmul_gflops"] > 0).all()
    assert rows["intra_op_threads"].nunique() == 1  # equal thread counts
    assert rows["load_before_cores"].notna().all()
    ratios = paired_ratios(rows.assign(hardware=rows["cpu_model"]))
    assert ratios.iloc[0]["pairs"] == 2
    assert ratios.iloc[0]["ratio_low"] <= ratios.iloc[0]["ratio"] <= ratios.iloc[0]["ratio_high"]


def test_gpu_plan_order_gpt_first_modes_rotated(tmp_path):
    plan = dry_run_plan(tmp_path / "gpu.jsonl")
    plan.pairs = {"gpt": 2, "cnn": 1, "mlp": 1}
    runs = planned_runs(plan)
    assert [r.model for r in runs][:12] == ["gpt"] * 12  # 2 precisions x 2 triplets
    assert runs[-1].model == "mlp"
    assert [r.precision for r in runs[:12:3]] == ["bf16", "fp32", "bf16", "fp32"]
    assert [r.mode for r in runs[:3]] == ["torch-eager", "torch-compile", "keras-jax"]
    assert [r.mode for r in runs[6:9]] == ["torch-compile", "keras-jax", "torch-eager"]
    assert len({r.pair_id for r in runs[:3]}) == 1


def test_gpu_plan_dry_run_on_cpu(tmp_path):
    out = tmp_path / "gpu.jsonl"
    plan = dry_run_plan(out, models=("gpt",), modes=("torch-eager", "keras-jax"))
    plan.precisions = ("bf16",)
    summary = run_plan(plan)
    row = json.loads(out.read_text().splitlines()[0])
    assert row["model"] == "gpt"
    assert row["precision"] == "bf16"
    assert row["budget_s"] == 5.0
    assert row["pairing"] == "default"
    saved = json.loads((tmp_path / "gpu.jsonl.plan.json").read_text())
    assert saved["counts"] == summary["counts"]
    assert set(saved["peaks_tflops"]) == {"bf16", "tf32", "fp32"}
    jax_runs = [r for r in saved["runs"] if r["mode"] == "keras-jax"]
    if importlib.util.find_spec("jax") is None:
        assert [r["status"] for r in jax_runs] == ["skipped"]
        assert "JAX is not installed" in jax_runs[0]["note"]


def test_clock_budget_stops_after_the_step_that_spends_it(monkeypatch):
    from reference_models import measure
    from reference_models.config import TrainConfig

    ticks = iter(range(100))
    monkeypatch.setattr(measure.time, "perf_counter", lambda: float(next(ticks)))
    clock = measure.Clock(TrainConfig(eval_every=100), lambda: 0.5, False, "t", True, 2.5)
    for step in range(3):  # the first (compile) step does not count against the budget
        clock.step_done(step, 1.0)
    with pytest.raises(measure.BudgetSpent, match="after 4 steps"):
        clock.step_done(3, 1.0)
    assert clock.step_times == [1.0, 1.0, 1.0, 1.0]
    assert clock.evaluations[-1][1] == 4  # the cut run is still evaluated at its last step


def test_a_budget_too_short_for_a_throughput_writes_no_row(tmp_path):
    from reference_models.bench import get_args_parser, main

    args = get_args_parser().parse_args(
        "--model mlp --mode torch-eager --size tiny --data digits --steps 30 --budget-s 1e-9"
        f" --out {tmp_path / 'r.jsonl'}".split()
    )
    with pytest.raises(ValueError, match="no steady-state steps"):
        main(args)  # one step is not enough for a throughput: refused, no row written
    assert not (tmp_path / "r.jsonl").exists()


def write_idx_gz(path, array: np.ndarray) -> None:
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(
        int(d).to_bytes(4, "big") for d in array.shape
    )
    with gzip.open(path, "wb") as handle:
        handle.write(header + array.astype(np.uint8).tobytes())


def test_pack_data_and_the_size_limit(tmp_path, monkeypatch):
    source = tmp_path / "fashion"
    source.mkdir()
    for stem in gpu_pack.IDX_FILES.values():
        shape = (4, 28, 28) if "images" in stem else (4,)
        write_idx_gz(source / f"{stem}.gz", np.zeros(shape))
    monkeypatch.setattr(gpu_pack, "load_kjv", lambda: type("T", (), {"text": "In the beginning"})())
    written = gpu_pack.pack_data(tmp_path / "pack", source)
    assert len(written) == 5
    with gzip.open(tmp_path / "pack" / "kjv.txt.gz", "rt") as handle:
        assert handle.read() == "In the beginning"
    total = gpu_pack.check_size(written)
    assert total == sum(p.stat().st_size for p in written)
    with pytest.raises(gpu_pack.PackTooLarge, match="exceeds 64 MiB"):
        gpu_pack.check_size(written, base=64 * 2**20)


def test_cli_refuses_fewer_than_two_pairs_in_one_line(capsys, tmp_path):
    from census.cli import main

    out = tmp_path / "rows.jsonl"
    code = main(["bench", "--protocol", "cpu", "--pairs", "1", "--out", str(out)])
    assert code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [
        "ERROR census.commands.bench: census bench: --pairs must be at least 2 for an "
        "interval, got 1"
    ]
    assert not out.exists()


CPUINFO = """processor\t: 0
vendor_id\t: AuthenticAMD
cpu family\t: 26
model\t\t: 2
model name\t: AMD EPYC 9B45
flags\t\t: fpu sse2 avx2 avx512f avx512_bf16 avx512_vnni

processor\t: 1
vendor_id\t: GenuineIntel
"""


def test_cpu_info_reads_the_first_processor_block():
    from reference_models.machine import cpu_info

    assert cpu_info(CPUINFO) == {
        "cpu_vendor": "AuthenticAMD",
        "cpu_family": 26,
        "cpu_model_number": 2,
        "cpu_flags": "avx2 avx512f avx512_bf16 avx512_vnni",
    }
    assert cpu_info("")["cpu_family"] is None  # unknown, not zero


def test_blas_path_and_matmul_speed_are_measured_here():
    from reference_models import machine

    assert machine.blas("torch").startswith("BLAS=")
    assert machine.blas("tensorflow").startswith("oneDNN")
    assert machine.matmul_gflops("torch", (64, 64, 64)) > 0
    load = machine.load_now(0.05)
    assert load is None or load >= 0


def test_appended_results_do_not_make_a_benchmark_run_dirty(tmp_path, monkeypatch):
    import subprocess

    from census_base import gitinfo
    from reference_models.measure import git_state

    def run(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    (tmp_path / "reference_models" / "results").mkdir(parents=True)
    (tmp_path / "reference_models" / "results" / "runs.jsonl").write_text("{}\n")
    (tmp_path / "model.py").write_text("x = 1\n")
    run("init", "-q")
    run("add", ".")
    run("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "c")
    monkeypatch.setattr(gitinfo, "SOURCE_ROOT", tmp_path)
    with (tmp_path / "reference_models" / "results" / "runs.jsonl").open("a") as handle:
        handle.write("{}\n")  # a benchmark appending its rows
    sha, dirty = git_state()
    assert sha and not dirty
    (tmp_path / "model.py").write_text("x = 2\n")  # the measured code changed
    assert git_state()[1]
