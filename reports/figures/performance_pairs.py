"""Measured model performance: the paired protocol's PyTorch / TensorFlow intervals.

One row per hardware, model, pairing and PyTorch layout (``analysis.performance.paired_ratios``:
alternated process pairs sharing a seed, the 95 % interval of the paired log-ratio), with each
framework's fp32 matmul GFLOP/s measured in the same processes, so the BLAS effect is visible
beside the framework comparison.
"""

from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from analysis.performance import TOLERANCE, paired_ratios
from reports.figure import Figure

HINT = "run `census bench --protocol cpu`, then `census ingest benchmarks reference_models/results`"
PAIRING_LABELS = {
    "default": "default (PyTorch eager vs Keras fit)",
    "compiled": "compiled (torch.compile vs best TF mode)",
}


def pairs_data(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    runs = con.execute("SELECT * FROM benchmark_runs WHERE pairing IN ('default', 'compiled')").df()
    if runs.empty:
        return runs
    found = paired_ratios(runs)
    if found.empty:
        return found
    found = found[found["footing"] == "equal"].copy()
    found["case"] = [
        f"{m.upper()} {PAIRING_LABELS.get(p, p)}" + (f", PyTorch {lay}" if lay == "nchw" else "")
        for m, p, lay in zip(found["model"], found["pairing"], found["torch_layout"], strict=True)
    ]
    columns = [
        "hardware", "case", "model", "pairing", "torch_layout", "torch_mode", "tensorflow_mode",
        "pairs", "ratio", "ratio_low", "ratio_high", "verdict",
        "torch_matmul_gflops", "tensorflow_matmul_gflops", "matmul_ratio",
    ]  # fmt: skip
    return found[columns].sort_values(["hardware", "model", "pairing", "torch_layout"])


def pairs_chart(frame: pd.DataFrame) -> alt.TopLevelMixin:
    band = pd.DataFrame({"low": [1 / (1 + TOLERANCE)], "high": [1 + TOLERANCE]})
    x = (
        alt.X("ratio:Q")
        .scale(type="log", domain=[0.4, 3.0])
        .title("PyTorch / TensorFlow training throughput (log scale; 1 = equal)")
    )
    base = alt.Chart(frame).encode(y=alt.Y("case:N").sort(None).title(None).axis(labelLimit=320))
    return alt.layer(
        alt.Chart(band).mark_rect(color="#eeeeee").encode(x="low:Q", x2="high:Q"),
        alt.Chart(pd.DataFrame({"one": [1.0]})).mark_rule(color="#999").encode(x="one:Q"),
        base.mark_rule(strokeWidth=2).encode(x=alt.X("ratio_low:Q"), x2="ratio_high:Q"),
        base.mark_point(filled=True, size=70, color="#333").encode(
            x=x,
            tooltip=[
                "case:N", "verdict:N", "pairs:Q",
                alt.Tooltip("ratio:Q", format=".2f"),
                alt.Tooltip("ratio_low:Q", format=".2f"),
                alt.Tooltip("ratio_high:Q", format=".2f"),
                alt.Tooltip("matmul_ratio:Q", format=".2f", title="matmul GFLOP/s ratio"),
            ],
        ),
    )  # fmt: skip


def pairs_title(frame: pd.DataFrame) -> str:
    counts = frame["verdict"].value_counts()
    said = ", ".join(f"{n} {v}" for v, n in counts.items())
    return (
        f"PyTorch / TensorFlow on this CPU, 95 % paired intervals: {said} "
        f"(of {len(frame)} model-pairings; comparable only inside +/-{TOLERANCE:.0%})"
    )


def pairs_caption(frame: pd.DataFrame) -> str:
    blas = "; ".join(
        f"{r.model.upper()} {r.pairing}: PyTorch {r.torch_matmul_gflops:.0f} vs TensorFlow "
        f"{r.tensorflow_matmul_gflops:.0f} GFLOP/s ({r.matmul_ratio:.2f}x)"
        for r in frame.drop_duplicates(["model", "pairing"]).itertuples()
    )
    hardware = ", ".join(sorted(set(frame["hardware"])))
    return (
        f"{hardware}. Each dot is the geometric mean of {int(frame['pairs'].min())}+ alternated "
        "process pairs (same seed within a pair; warm-up excluded; equal intra-op threads; data "
        "as ready tensors on both sides), the line its 95 % interval; the grey band is the "
        f"+/-{TOLERANCE:.0%} 'comparable' band. The PyTorch CNN runs channels_last (NCHW shown "
        "as its own row). Where the two frameworks' fp32 matmul speed differs, the math library "
        "(MKL / oneDNN on this CPU), not the framework, shapes the ratio - fp32 matmul measured "
        f"in the same processes at the model's sizes: {blas}."
    )


BLOCKS = [
    Figure(
        id="performance-paired-intervals",
        section="performance",
        order=5,
        data=pairs_data,
        chart=pairs_chart,
        title=pairs_title,
        caption=pairs_caption,
        sources=("benchmarks",),
        datasets=("benchmark_runs",),
        missing_hint=HINT,
    ),
]
