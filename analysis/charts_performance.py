"""Measured-performance charts: they only encode columns ``analysis.performance`` computed."""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import pandas as pd

from analysis.theme import framework_scale

MODEL_ORDER = ["MLP 784-128-64-10", "ResNet-20-style CNN", "char-level GPT"]
MODE_ORDER = [
    "PyTorch eager",
    "torch.compile",
    "Keras fit",
    "tf.function",
    "tf.function + XLA",
    "TF eager",
    "Keras fit on JAX",
]


def _panels(
    layers: Callable[[pd.DataFrame], list[alt.Chart]], frame: pd.DataFrame
) -> alt.VConcatChart:
    """One panel per model and hardware, stacked, each with its own x scale and title."""
    models = [m for m in MODEL_ORDER if m in set(frame["model_label"])]
    models += sorted(set(frame["model_label"]) - set(models))
    panels = []
    for model in models:
        for hardware in sorted(set(frame.loc[frame["model_label"] == model, "hardware"])):
            part = frame[(frame["model_label"] == model) & (frame["hardware"] == hardware)]
            panels.append(
                alt.layer(*layers(part)).properties(
                    width=460,
                    height=alt.Step(18),
                    title=alt.TitleParams(f"{model} - {hardware}", fontSize=12),
                )
            )
    return alt.vconcat(*panels).resolve_scale(x="independent", y="independent")


def _bars(
    frame: pd.DataFrame, value: str, low: str | None, high: str | None, title: str, fmt: str
) -> alt.VConcatChart:
    frameworks = sorted(set(frame["framework"]))

    def layers(part: pd.DataFrame) -> list[alt.Chart]:
        base = alt.Chart(part).encode(
            y=alt.Y("mode_label:N").sort(MODE_ORDER).title(None),
            color=alt.Color("framework:N").scale(framework_scale(frameworks)).title("Framework"),
        )
        tooltip = [
            alt.Tooltip("mode_label:N", title="mode"),
            alt.Tooltip(f"{value}:Q", format=fmt),
            alt.Tooltip("processes:Q"),
        ]
        out = [
            base.mark_bar(height=12, opacity=0.85).encode(
                x=alt.X(f"{value}:Q").title(title), tooltip=tooltip
            )
        ]
        if low and high:
            out.append(
                base.mark_rule(strokeWidth=1.5).encode(
                    x=f"{low}:Q", x2=f"{high}:Q", color=alt.value("black")
                )
            )
        return out

    return _panels(layers, frame)


def throughput_chart(summary: pd.DataFrame) -> alt.VConcatChart:
    """Median training samples/s per mode; the black rule spans the range over processes.

    Expects the ``analysis.performance.summarise`` columns.
    """
    return _bars(
        summary,
        "samples_per_s",
        "samples_per_s_min",
        "samples_per_s_max",
        "Training samples per second (median over processes; rule = min to max)",
        ",.0f",
    )


def time_to_target_chart(summary: pd.DataFrame) -> alt.VConcatChart:
    """Median seconds of training (first step included) to reach each model's target."""
    return _bars(
        summary,
        "time_to_target_s",
        None,
        None,
        "Seconds of training to the target (median over processes that reached it)",
        ",.1f",
    )


def latency_chart(summary: pd.DataFrame) -> alt.VConcatChart:
    """Batch-1 inference latency: p50 bar, p99 tick (black)."""
    frameworks = sorted(set(summary["framework"]))

    def layers(part: pd.DataFrame) -> list[alt.Chart]:
        base = alt.Chart(part).encode(
            y=alt.Y("mode_label:N").sort(MODE_ORDER).title(None),
            color=alt.Color("framework:N").scale(framework_scale(frameworks)).title("Framework"),
        )
        bars = base.mark_bar(height=12, opacity=0.85).encode(
            x=alt.X("latency_ms_p50:Q").title(
                "Batch-1 inference latency, ms (bar = p50, tick = p99)"
            ),
            tooltip=[
                alt.Tooltip("mode_label:N", title="mode"),
                alt.Tooltip("latency_ms_p50:Q", format=".3f"),
                alt.Tooltip("latency_ms_p99:Q", format=".3f"),
            ],
        )
        ticks = base.mark_tick(thickness=2, size=16).encode(
            x="latency_ms_p99:Q", color=alt.value("black")
        )
        return [bars, ticks]

    return _panels(layers, summary)
