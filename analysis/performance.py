"""Measured performance of the reference models: summaries per configuration and ratios.

Pure functions on rows of the ``benchmark_runs`` dataset (one row per measured process).
Ratios are only formed between runs on the same hardware; spread is the range over processes.
"""

from __future__ import annotations

import pandas as pd

MODEL_LABELS = {"mlp": "MLP 784-128-64-10", "cnn": "ResNet-20-style CNN", "gpt": "char-level GPT"}
MODE_LABELS = {
    "torch-eager": "PyTorch eager",
    "torch-compile": "torch.compile",
    "tf-eager": "TF eager",
    "tf-function": "tf.function",
    "tf-xla": "tf.function + XLA",
    "keras-fit": "Keras fit",
    "keras-jax": "Keras fit on JAX",
}
DEFAULT_MODES = {"torch": "torch-eager", "tensorflow": "keras-fit"}
KEYS = ["hardware", "model", "framework", "mode", "precision", "device"]


def _spread(values: pd.Series) -> tuple[float, float, float]:
    return float(values.median()), float(values.min()), float(values.max())


def summarise(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per hardware, model, framework, mode, precision, device (single-process runs).

    Medians over processes with min and max: throughput, warm first step, time to target,
    batch-1 latency, final metric; the cold-cache first step separately.
    """
    single = runs[(runs["distributed"] == "none") & (runs["size"] == "full")]
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
