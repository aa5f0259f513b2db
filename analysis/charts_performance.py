"""Measured-performance charts: they only encode columns ``analysis.performance`` computed."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.theme import framework_scale

MODEL_ORDER = ["MLP 784-128-64-10", "ResNet-20-style CNN", "char-level GPT"]
MODE_ORDER = ["PyTorch eager", "torch.compile", "Keras fit", "tf.function", "tf.function + XLA",
              "TF eager", "Keras fit on JAX"]


def _facet(chart: alt.LayerChart, frame: pd.DataFrame) -> alt.FacetChart:
    """One row per model (independent scales), one column per hardware."""
    models = [m for m in MODEL_ORDER if m in set(frame["model_label"])]
    models += sorted(set(frame["model_label"]) - set(models))
    return chart.properties(width=420, height=alt.Step(16)).facet(
        row=alt.Row("model_label:N", sort=models, title=None,
                    header=alt.Header(labelAngle=0, labelAlign="left", labelFontWeight="bold")),
        column=alt.Column("hardware:N", title=None),
    ).resolve_scale(x="independent", y="independent")


def _bars(frame: pd.DataFrame, value: str, low: str | None, high: str | None, title: str,
          fmt: str) -> alt.FacetChart:
    frameworks = sorted(set(frame["framework"]))
    base = alt.Chart(frame).encode(
        y=alt.Y("mode_label:N").sort(MODE_ORDER).title(None),
        color=alt.Color("framework:N").scale(framework_scale(frameworks)).title("Framework"),
    )
    tooltip = [alt.Tooltip("mode_label:N", title="mode"), alt.Tooltip(f"{value}:Q", format=fmt),
               alt.Tooltip("processes:Q")]
    bars = base.mark_bar(height=11, opacity=0.85).encode(
        x=alt.X(f"{value}:Q").title(title), tooltip=tooltip)
    layers = [bars]
    if low and high:
        layers.append(base.mark_rule(color="black", strokeWidth=1.5).encode(
            x=f"{low}:Q", x2=f"{high}:Q"))
    return _facet(alt.layer(*layers, data=frame), frame)


def throughput_chart(summary: pd.DataFrame) -> alt.FacetChart:
    """Median training samples/s per mode; the black rule spans the range over processes.

    Expects the ``analysis.performance.summarise`` columns.
    """
    return _bars(summary, "samples_per_s", "samples_per_s_min", "samples_per_s_max",
                 "Training samples per second (median over processes; rule = min to max)", ",.0f")


def time_to_target_chart(summary: pd.DataFrame) -> alt.FacetChart:
    """Median seconds of training (first step included) to reach each model's target."""
    return _bars(summary, "time_to_target_s", None, None,
                 "Seconds of training to the target (median over processes that reached it)",
                 ",.1f")


def latency_chart(summary: pd.DataFrame) -> alt.FacetChart:
    """Batch-1 inference latency: p50 bar, p99 tick."""
    frameworks = sorted(set(summary["framework"]))
    base = alt.Chart(summary).encode(
        y=alt.Y("mode_label:N").sort(MODE_ORDER).title(None),
        color=alt.Color("framework:N").scale(framework_scale(frameworks)).title("Framework"),
    )
    bars = base.mark_bar(height=11, opacity=0.85).encode(
        x=alt.X("latency_ms_p50:Q").scale(type="log")
        .title("Batch-1 inference latency, ms (log; bar = p50, tick = p99)"),
        tooltip=[alt.Tooltip("mode_label:N", title="mode"),
                 alt.Tooltip("latency_ms_p50:Q", format=".3f"),
                 alt.Tooltip("latency_ms_p99:Q", format=".3f")])
    ticks = base.mark_tick(color="black", thickness=2, size=14).encode(x="latency_ms_p99:Q")
    return _facet(alt.layer(bars, ticks, data=summary), summary)
