"""The reference-model benchmark as tables: every configuration's medians, and the PyTorch /
TensorFlow throughput ratios on the same hardware (the charts are in performance.py)."""

from __future__ import annotations

import duckdb
import pandas as pd

from analysis.performance import throughput_ratios
from reports.figure import Content, TextBlock, join, paragraphs, table
from reports.figures.performance import context, summary


def benchmark_table(con: duckdb.DuckDBPyConnection) -> Content | None:
    frame = summary(con)
    if frame.empty:
        return None
    shown = frame.assign(
        model=frame["model_label"],
        mode=frame["mode_label"],
        samples_per_s=frame.apply(
            lambda r: (
                f"{r.samples_per_s:,.1f} ({r.samples_per_s_min:,.1f}-{r.samples_per_s_max:,.1f})"
            ),
            axis=1,
        ),
        first_step=frame.apply(
            lambda r: "/".join(
                f"{v:.2f}" if pd.notna(v) else "-"
                for v in (r.first_step_cold_s, r.first_step_warm_s)
            ),
            axis=1,
        ),
        tta=frame["time_to_target_s"].map(lambda v: f"{v:.1f}" if pd.notna(v) else "-")
        + " ("
        + frame["reached_target"]
        + ")",
        latency=frame.apply(lambda r: f"{r.latency_ms_p50:.3f} / {r.latency_ms_p99:.3f}", axis=1),
        final=frame.apply(lambda r: f"{r.metric} {r.final_metric:.3f}", axis=1),
    )[
        [
            "hardware",
            "model",
            "mode",
            "precision",
            "processes",
            "samples_per_s",
            "first_step",
            "tta",
            "latency",
            "final",
            "peak_rss_mb",
        ]
    ]
    shown.columns = [
        "hardware",
        "model",
        "mode",
        "precision",
        "processes",
        "samples/s median (min-max)",
        "first step s (cold / warm or no cache)",
        "s to target (reached)",
        "latency ms p50 / p99",
        "final metric",
        "peak RSS MiB",
    ]
    intro = paragraphs(
        "Every configuration measured by census bench, medians over processes. First step = "
        "wall time of the first training step, tracing and compilation included; for "
        "torch.compile 'cold' is the process that found Inductor's cache empty and the other "
        "value the later, warm-cache processes; the other modes keep no persistent compile "
        "cache (XLA and tf.function trace and compile afresh in every process), so their "
        "single value is a from-scratch first step. " + context(con, frame)
    )
    ratios = throughput_ratios(frame)
    parts = [intro, table(shown.round(1), "Reference-model benchmark summary")]
    if not ratios.empty:
        shown_ratios = ratios[
            [
                "hardware",
                "model_label",
                "comparison",
                "torch_mode",
                "tensorflow_mode",
                "ratio",
                "ratio_low",
                "ratio_high",
                "processes",
            ]
        ].round(2)
        parts.append(
            table(
                shown_ratios,
                "PyTorch / TensorFlow training throughput on the "
                "same hardware (range from per-process extremes)",
            )
        )
    return join(*parts)


BLOCKS = [
    TextBlock("performance-table", "performance", 40, benchmark_table, sources=("benchmarks",)),
]
