"""Measured performance of the reference models: summaries per configuration and ratios.

Pure functions on rows of the ``benchmark_runs`` dataset (one row per measured process).
Ratios are only formed between runs on the same hardware; spread is the range over processes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

MODEL_LABELS = {"mlp": "MLP 784-128-64-10", "cnn": "ResNet-20-style CNN", "gpt": "char-level GPT"}
MODE_LABELS = {
    "torch-eager": "PyTorch eager",
    "torch-compile": "torch.compile",
    "tf-eager": "TF eager",
    "tf-function": "tf.function",
    "tf-xla": "tf.function + XLA",
    "keras-fit": "Keras fit",
    "keras-jax": "Keras 3 / JAX backend",
}
DEFAULT_MODES = {"torch": "torch-eager", "tensorflow": "keras-fit"}
KEYS = ["hardware", "model", "framework", "mode", "precision", "device"]
MEASURED_SIZES = ("full", "cpu", "gpu")  # presets of real measurements ("tiny" is a dry run)


def _spread(values: pd.Series) -> tuple[float, float, float]:
    return float(values.median()), float(values.min()), float(values.max())


def summarise(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per hardware, model, framework, mode, precision, device (single-process runs).

    Medians over processes with min and max: throughput, warm first step, time to target,
    batch-1 latency, final metric; the cold-cache first step separately.
    """
    single = runs[(runs["distributed"] == "none") & runs["size"].isin(MEASURED_SIZES)]
    rows = []
    for key, group in single.groupby(KEYS, sort=True):
        sps = _spread(group["samples_per_s"])
        cold = group[group["compile_cache"] == "cold"]["first_step_s"]
        warm = group[group["compile_cache"] != "cold"]["first_step_s"]
        reached = group["time_to_target_s"].dropna()
        rows.append(
            {
                **dict(zip(KEYS, key, strict=True)),
                "model_label": MODEL_LABELS.get(key[1], key[1]),
                "mode_label": MODE_LABELS.get(key[3], key[3]),
                "default_mode": DEFAULT_MODES.get(key[2]) == key[3],
                "processes": len(group),
                "samples_per_s": sps[0],
                "samples_per_s_min": sps[1],
                "samples_per_s_max": sps[2],
                "first_step_cold_s": float(cold.median()) if len(cold) else None,
                "first_step_warm_s": float(warm.median()) if len(warm) else None,
                "time_to_target_s": float(reached.median()) if len(reached) else None,
                "reached_target": f"{len(reached)}/{len(group)}",
                "target": float(group["target"].iloc[0]),
                "metric": group["metric"].iloc[0],
                "final_metric": float(group["final_metric"].median()),
                "latency_ms_p50": float(group["latency_ms_p50"].median()),
                "latency_ms_p99": float(group["latency_ms_p99"].median()),
                "peak_rss_mb": float(group["peak_rss_mb"].median()),
                "achieved_gflops": float(group["achieved_gflops"].median()),
                "load_avg_min": float(group["load_avg_1m_start"].min()),
                "load_avg_max": float(group["load_avg_1m_start"].max()),
            }
        )
    return pd.DataFrame(rows)


def throughput_ratios(summary: pd.DataFrame) -> pd.DataFrame:
    """PyTorch / TensorFlow training throughput per hardware and model, best and default modes.

    ``ratio`` divides the medians; ``ratio_low``/``ratio_high`` are the extremes the
    per-process ranges allow (slowest PyTorch over fastest TensorFlow and the reverse).
    """
    rows = []
    fp32 = summary[summary["precision"] == "fp32"]
    for (hardware, model), group in fp32.groupby(["hardware", "model"], sort=True):
        torch_rows = group[group["framework"] == "torch"]
        tf_rows = group[group["framework"] == "tensorflow"]
        if torch_rows.empty or tf_rows.empty:
            continue
        pairs = {
            "best": (
                torch_rows.loc[torch_rows["samples_per_s"].idxmax()],
                tf_rows.loc[tf_rows["samples_per_s"].idxmax()],
            )
        }
        defaults_t = torch_rows[torch_rows["mode"] == DEFAULT_MODES["torch"]]
        defaults_k = tf_rows[tf_rows["mode"] == DEFAULT_MODES["tensorflow"]]
        if len(defaults_t) and len(defaults_k):
            pairs["default"] = (defaults_t.iloc[0], defaults_k.iloc[0])
        for kind, (t, k) in pairs.items():
            rows.append(
                {
                    "hardware": hardware,
                    "model": model,
                    "model_label": MODEL_LABELS.get(model, model),
                    "comparison": kind,
                    "torch_mode": t["mode_label"],
                    "tensorflow_mode": k["mode_label"],
                    "ratio": t["samples_per_s"] / k["samples_per_s"],
                    "ratio_low": t["samples_per_s_min"] / k["samples_per_s_max"],
                    "ratio_high": t["samples_per_s_max"] / k["samples_per_s_min"],
                    "processes": f"{t['processes']} + {k['processes']}",
                }
            )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    order = {m: i for i, m in enumerate(MODEL_LABELS)}
    return frame.sort_values(
        ["hardware", "model"],
        key=lambda s: s.map(order).fillna(len(order)) if s.name == "model" else s,
    ).reset_index(drop=True)


def versions_line(runs: pd.DataFrame) -> str:
    """The library versions behind a set of runs, e.g. 'torch 2.13.0+cpu, tensorflow 2.21.0'."""
    parts = []
    for column, name in (
        ("torch_version", "torch"),
        ("tensorflow_version", "tensorflow"),
        ("keras_version", "keras"),
        ("jax_version", "jax"),
        ("python_version", "Python"),
    ):
        values = sorted(set(runs[column].dropna())) if column in runs else []
        if values:
            parts.append(f"{name} {'/'.join(values)}")
    return ", ".join(parts)


# --- The paired protocol (issue #16): interval of the paired log-ratio and its verdict ---

TOLERANCE = 0.20  # "comparable" band: PyTorch / TensorFlow within [1/1.2, 1.2]
# Two-sided 95 % Student t quantiles t(0.975, df) for df = 1..30; above 30 the normal 1.96
# is within 2 % (one definition, no SciPy dependency for one number).
T_975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


def t_quantile_975(df: int) -> float:
    """The 97.5th percentile of Student's t with ``df`` degrees of freedom (df >= 1)."""
    if df < 1:
        msg = f"degrees of freedom must be >= 1, got {df}"
        raise ValueError(msg)
    return T_975[df - 1] if df <= len(T_975) else 1.96


def paired_log_ratio_interval(
    torch_rates: Sequence[float], tensorflow_rates: Sequence[float]
) -> dict[str, float | int]:
    """95 % interval of PyTorch / TensorFlow throughput from alternated process pairs.

    Pair i is (torch_rates[i], tensorflow_rates[i]), measured back to back with one seed. The
    per-pair log-ratios are treated as a sample; the interval is mean +- t * sd / sqrt(n) on
    the log scale, exponentiated (a geometric-mean ratio). Needs >= 2 pairs of positive rates.
    """
    t = np.asarray(torch_rates, dtype=float)
    k = np.asarray(tensorflow_rates, dtype=float)
    if t.shape != k.shape or t.ndim != 1:
        msg = f"need two equal-length sequences of rates, got {t.shape} and {k.shape}"
        raise ValueError(msg)
    if len(t) < 2:
        msg = f"need at least 2 pairs for an interval, got {len(t)}"
        raise ValueError(msg)
    if (t <= 0).any() or (k <= 0).any() or not np.isfinite(t).all() or not np.isfinite(k).all():
        msg = "throughputs must be positive finite numbers"
        raise ValueError(msg)
    logs = np.log(t) - np.log(k)
    mean, sd = float(logs.mean()), float(logs.std(ddof=1))
    half = t_quantile_975(len(logs) - 1) * sd / math.sqrt(len(logs))
    return {
        "pairs": len(logs),
        "ratio": math.exp(mean),
        "ratio_low": math.exp(mean - half),
        "ratio_high": math.exp(mean + half),
        "log_sd": sd,
    }


def verdict(low: float, high: float, tolerance: float = TOLERANCE) -> str:
    """'comparable', 'PyTorch faster', 'TensorFlow faster' or 'undetermined' from an interval.

    The band is symmetric on the log scale, [1/(1+tol), 1+tol], so swapping the frameworks
    swaps the verdict and nothing else. Comparable only when the whole interval lies inside;
    faster only when the whole interval lies beyond the band; anything else is undetermined.
    """
    if not 0 < low <= high:
        msg = f"need 0 < low <= high, got [{low}, {high}]"
        raise ValueError(msg)
    upper, lower = 1 + tolerance, 1 / (1 + tolerance)
    if lower <= low and high <= upper:
        return "comparable"
    if low > upper:
        return "PyTorch faster"
    if high < lower:
        return "TensorFlow faster"
    return "undetermined"


PAIR_KEYS = ["hardware", "model", "pairing", "footing", "precision", "device", "torch_layout"]


def paired_sides(rows: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The one pairing rule: per ``pair_id``, the PyTorch process's row beside ``columns`` of
    the TensorFlow-side process of the same pair (suffixed ``_tf``). A process without a
    partner is left out (absent is not zero)."""
    torch_side = rows[rows["framework"] == "torch"]
    tf_side = rows[rows["framework"] != "torch"]
    return torch_side.merge(tf_side[["pair_id", *columns]], on="pair_id", suffixes=("", "_tf"))


def paired_ratios(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per hardware, model, pairing, precision, device and PyTorch layout.

    ``footing`` separates the equal-footing protocol from a re-measured legacy harness (the
    before -> after of issue #16). Rows are the processes of the paired protocol (``pairing``
    default or compiled, a ``pair_id`` shared by the PyTorch and TensorFlow processes of a
    pair). A pair lacking
    either side is dropped (absent is not zero); fewer than 2 complete pairs gives no row.
    Also reports the median measured fp32 matmul GFLOP/s of each framework's runs and their
    ratio (``matmul_ratio``): where it is far from 1, the math library, not the framework,
    shapes the throughput ratio (benchmarking.md §2.13).
    """
    protocol = runs[runs["pairing"].isin(["default", "compiled"]) & runs["pair_id"].notna()]
    # Protocol rows without the field were measured before the legacy switch existed: equal.
    footing = protocol["footing"] if "footing" in protocol else pd.Series(index=protocol.index)
    protocol = protocol.assign(footing=footing.fillna("equal"))
    merged = paired_sides(protocol, ["mode", "samples_per_s", "matmul_gflops"]).rename(
        columns={"layout": "torch_layout"}
    )
    rows = []
    for key, group in merged.groupby(PAIR_KEYS, sort=True, dropna=False):
        if len(group) < 2:
            continue
        interval = paired_log_ratio_interval(group["samples_per_s"], group["samples_per_s_tf"])
        # The BLAS effect: the same fp32 matmul in each framework's math library, this run.
        torch_gflops = float(group["matmul_gflops"].median())
        tf_gflops = float(group["matmul_gflops_tf"].median())
        rows.append(
            {
                **dict(zip(PAIR_KEYS, key, strict=True)),
                "model_label": MODEL_LABELS.get(key[1], key[1]),
                "torch_mode": "/".join(sorted(set(group["mode"]))),
                "tensorflow_mode": "/".join(sorted(set(group["mode_tf"]))),
                **interval,
                "verdict": verdict(interval["ratio_low"], interval["ratio_high"]),
                "torch_matmul_gflops": torch_gflops,
                "tensorflow_matmul_gflops": tf_gflops,
                "matmul_ratio": torch_gflops / tf_gflops if tf_gflops > 0 else None,
            }
        )
    return pd.DataFrame(rows)


def best_modes(pilot: pd.DataFrame) -> dict[tuple[str, str], str]:
    """The pilot's choice: (model, framework) -> the mode with the highest median throughput.

    Medians over the pilot's processes (not the maximum of single runs).
    """
    medians = pilot.groupby(["model", "framework", "mode"])["samples_per_s"].median()
    best: dict[tuple[str, str], str] = {}
    for (model, framework), group in medians.groupby(level=[0, 1]):
        best[(str(model), str(framework))] = str(group.idxmax()[2])
    return best
