"""Measured model performance: the reference models in PyTorch and TensorFlow (census bench)."""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import duckdb
import pandas as pd

from analysis.benchmark_interval import case_intervals
from analysis.performance import summarise, throughput_ratios, versions_line
from analysis.verdicts import load_claims
from census_base.frameworks import FRAMEWORKS, colour, label
from reports.figure import Figure
from reports.figures.verdicts import benchmark_rows
from reports.signals import per_build

# The rows the section shows: the paired protocol on equal footing (its pilot and the legacy
# re-measurement are inputs to other figures and the closing note, not the medians here); the
# PyTorch CNN in NCHW is shown beside channels_last in performance-paired-intervals only.
RUNS_SQL = """
SELECT * FROM benchmark_runs
WHERE coalesce(pairing, 'none') <> 'pilot' AND coalesce(footing, 'equal') = 'equal'
  AND NOT (framework = 'torch' AND coalesce(layout, '') = 'nchw')
ORDER BY started_at, run_id
"""
HINT = "run `census ingest benchmarks reference_models/results` (or `census bench` first)"


def runs(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(RUNS_SQL).df()


@per_build
def summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per model, framework, mode and hardware (four blocks of one report read it: computed
    once per build)."""
    frame = runs(con)
    if frame.empty:
        return frame
    return summarise(frame)


def _ratio_phrase(ratios: pd.DataFrame, kind: str, spread: bool = True) -> str:
    parts = []
    for r in ratios[ratios["comparison"] == kind].itertuples():
        text = f"{r.model.upper()} {r.ratio:.2f}x"
        if spread:
            text += (
                f" ({r.torch_mode} / {r.tensorflow_mode}, range "
                f"{r.ratio_low:.2f}-{r.ratio_high:.2f})"
            )
        parts.append(text)
    return ", ".join(parts)


def _count(values: pd.Series) -> str:
    low, high = int(values.min()), int(values.max())
    return str(low) if low == high else f"{low}-{high}"


def context(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> str:
    """Hardware, versions, dates, processes and machine load behind the frame's rows."""
    all_runs = runs(con)
    used = all_runs[all_runs["hardware"].isin(set(frame["hardware"]))]
    first, last = pd.Timestamp(used["started_at"].min()), pd.Timestamp(used["started_at"].max())
    return (
        f"Hardware: {'; '.join(sorted(set(frame['hardware'])))}. Versions: "
        f"{versions_line(used)}. Measured {first:%Y-%m-%d %H:%M} to {last:%H:%M} UTC, "
        f"{_count(frame['processes'])} processes per configuration, frameworks "
        "alternated; 1-minute load average at process start "
        f"{frame['load_avg_min'].min():.1f}-{frame['load_avg_max'].max():.1f} (a shared "
        "machine: treat differences within the min-max ranges as noise)."
    )


def _with_context(build):
    """Wrap a caption builder so it can read the warehouse for the versions line."""

    def caption(frame: pd.DataFrame) -> str:
        return build(frame) + " " + frame.attrs.get("context", "")

    return caption


@per_build
def _summary_with_context(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = summary(con)
    if not frame.empty:
        described = context(con, frame)
        frame = _with_legend(frame)
        frame.attrs["context"] = described
    return frame


MIN_REACHED = 3  # a mode is a candidate for "fastest to target" only if 3 processes reached it


def _reached(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every mode, with how many processes reached the target and the step budget; a mode
    that never reached it keeps a null time (drawn as "not reached in N steps", never 0)."""
    frame = _summary_with_context(con)
    if frame.empty:
        return frame
    context = frame.attrs["context"]
    steps = runs(con).groupby(["hardware", "model", "framework", "mode"])["steps"].max()
    frame = frame.reset_index(drop=True)
    frame["steps"] = [
        int(steps.get((r.hardware, r.model, r.framework, r.mode), 0)) for r in frame.itertuples()
    ]
    frame["reached_n"] = frame["reached_target"].str.split("/").str[0].astype(int)
    frame["eligible"] = frame["reached_n"] >= MIN_REACHED
    frame["reached_label"] = [
        f"not reached in {r.steps} steps ({r.processes} process{'es' if r.processes != 1 else ''})"
        if r.reached_n == 0
        else f"{r.reached_n} of {r.processes} process{'es' if r.processes != 1 else ''} reached it"
        for r in frame.itertuples()
    ]
    frame.attrs["context"] = context
    return _with_legend(frame)


def _with_legend(frame: pd.DataFrame) -> pd.DataFrame:
    """The legend's framework label (census_base.frameworks), Keras-on-JAX for Keras fit on
    the JAX backend."""
    frame = frame.copy()
    frame["framework_label"] = [
        f"{label('keras')}-on-{label('jax')}" if m == "keras-jax" else label(f)
        for f, m in zip(frame["framework"], frame["mode"], strict=True)
    ]
    return frame


def _throughput_data(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The summary, with the paired 95 % intervals of the performance claim (its own query:
    one definition of the fastest modes compared) in ``attrs['intervals']``."""
    frame = _summary_with_context(con)
    if frame.empty:
        return frame
    claim = next((c for c in load_claims() if c.rule == "benchmark_interval"), None)
    rows = benchmark_rows(con, claim) if claim else None
    if claim is not None and rows is not None and not rows.empty:
        frame.attrs["intervals"] = case_intervals(rows, claim.tolerance)
        frame.attrs["tolerance"] = claim.tolerance
    return frame


def _case_name(case: str) -> str:
    """'gpt compiled / AMD EPYC (2 cores)' -> 'GPT compiled'."""
    model, _, rest = case.split(" / ")[0].partition(" ")
    return f"{model.upper()} {rest}".strip()


def _throughput_title(frame: pd.DataFrame) -> str:
    intervals = frame.attrs.get("intervals")
    if intervals is not None and not intervals.empty:
        parts = [
            f"{_case_name(str(r.case))} {r.ratio:.2f}x"
            + (f" ({r.low:.2f}-{r.high:.2f}): {r.verdict}" if r.pairs >= 2 else " (one pair)")
            for r in intervals.itertuples()
        ]
        return (
            "Training samples/s, PyTorch / TensorFlow fastest modes, paired ratio and 95 % "
            f"interval (comparable only inside +/-{frame.attrs['tolerance']:.0%}): "
            + "; ".join(parts)
        )
    ratios = throughput_ratios(frame)
    if ratios.empty:
        return "Training throughput of the reference models per framework and mode"
    return (
        "Training samples/s, PyTorch's fastest mode over TensorFlow's fastest on the same "
        f"CPU (medians, no interval): {_ratio_phrase(ratios, 'best', spread=False)}"
    )


def _throughput_caption(frame: pd.DataFrame) -> str:
    ratios = throughput_ratios(frame)
    defaults = _ratio_phrase(ratios, "default") if not ratios.empty else ""
    return (
        "Steady-state training throughput (samples/s; for the GPT, character sequences of the "
        "run's block size) after the first step and warm-up, median over separate processes, "
        "the rule spanning the slowest to the fastest process. Both frameworks start from the same "
        "weights and see the same batches (pre-materialised, fp32, Adam with eps 1e-8). "
        "Fastest over fastest (median over median, and the range the per-process extremes "
        f"allow): {_ratio_phrase(ratios, 'best') if not ratios.empty else 'n/a'}. "
        f"Out of the box: {defaults or 'n/a'}."
    )


def _tta_title(frame: pd.DataFrame) -> str:
    parts = []
    for model, group in frame.groupby("model_label", sort=False):
        eligible = group[group["eligible"]].dropna(subset=["time_to_target_s"])
        if eligible.empty:
            parts.append(f"{model}: no winner (no mode reached it in {MIN_REACHED}+ processes)")
            continue
        best = eligible.loc[eligible["time_to_target_s"].idxmin()]
        parts.append(f"{model}: {best.mode_label} {best.time_to_target_s:.1f} s")
    return "Fastest to the target metric: " + "; ".join(parts)


def _tta_caption(frame: pd.DataFrame) -> str:
    targets = "; ".join(
        sorted(
            {
                f"{r.model_label}: {r.metric} "
                f"{'<=' if r.metric == 'val_loss' else '>='} {r.target:g}"
                for r in frame.itertuples()
            }
        )
    )
    return (
        "Training seconds until the evaluated metric first reached its target (first step "
        "and compilation included, evaluation time excluded), median over the processes "
        f"that reached it; the label gives how many did. Targets: {targets}. Modes that "
        "never reached the target are drawn as 'not reached in N steps' (no bar: absent, "
        f"not 0). A mode is named fastest only when at least {MIN_REACHED} of its processes "
        "reached the target. Evaluation only every few steps, so times are upper bounds at "
        "that granularity; the x axis is linear."
    )


def _latency_title(frame: pd.DataFrame) -> str:
    best = frame.loc[frame.groupby("model")["latency_ms_p50"].idxmin()]
    return "Lowest batch-1 inference latency (p50): " + "; ".join(
        f"{r.model_label}: {r.mode_label} {r.latency_ms_p50:.2f} ms" for r in best.itertuples()
    )


def _latency_caption(frame: pd.DataFrame) -> str:
    return (
        "Batch-1 inference latency in each training mode's inference path (PyTorch eager "
        "or compiled module under inference_mode; Keras eager call, tf.function, XLA, or "
        "predict_on_batch for Keras fit), after warm-up calls; bar = median of the "
        "per-process p50, tick = median of the per-process p99, linear axis per panel."
    )


def _figure(fid: str, order: int, data, chart, title, caption) -> Figure:
    return Figure(
        id=fid,
        section="performance",
        order=order,
        data=data,
        chart=chart,
        title=title,
        caption=_with_context(caption),
        sources=("benchmarks",),
        datasets=("benchmark_runs",),
        missing_hint=HINT,
    )


# Chart specs: they only encode the columns computed above.

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


def _colour(frame: pd.DataFrame) -> alt.Color:
    """Framework colour with the legend in labels (PyTorch / TensorFlow / Keras-on-JAX)."""
    frame = frame if "framework_label" in frame.columns else _with_legend(frame)
    pairs = dict.fromkeys(zip(frame["framework_label"], frame["framework"], strict=True))
    keys = sorted(pairs, key=lambda p: list(FRAMEWORKS).index(p[1]) if p[1] in FRAMEWORKS else 99)
    domain = [lab for lab, _ in keys]
    colours = [colour("jax") if "JAX" in lab else colour(fid) for lab, fid in keys]
    return alt.Color("framework_label:N").scale(domain=domain, range=colours).title("Framework")


def _bars(
    frame: pd.DataFrame, value: str, low: str | None, high: str | None, title: str, fmt: str
) -> alt.VConcatChart:
    frame = frame if "framework_label" in frame.columns else _with_legend(frame)

    def layers(part: pd.DataFrame) -> list[alt.Chart]:
        base = alt.Chart(part).encode(
            y=alt.Y("mode_label:N").sort(MODE_ORDER).title(None),
            color=_colour(frame),
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
        if "reached_label" in part.columns:
            # Not reached: a label at 0 instead of a bar; partly reached: the count.
            out.append(
                base.transform_calculate(at=f"isValid(datum.{value}) ? datum.{value} : 0")
                .mark_text(align="left", dx=4, fontSize=10, color="#333")
                .encode(x="at:Q", text="reached_label:N")
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
    summary = summary if "framework_label" in summary.columns else _with_legend(summary)

    def layers(part: pd.DataFrame) -> list[alt.Chart]:
        base = alt.Chart(part).encode(
            y=alt.Y("mode_label:N").sort(MODE_ORDER).title(None),
            color=_colour(summary),
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


BLOCKS = [
    _figure(
        "performance-throughput",
        10,
        _throughput_data,
        throughput_chart,
        _throughput_title,
        _throughput_caption,
    ),
    _figure(
        "performance-time-to-target", 20, _reached, time_to_target_chart, _tta_title, _tta_caption
    ),
    _figure(
        "performance-latency",
        30,
        _summary_with_context,
        latency_chart,
        _latency_title,
        _latency_caption,
    ),
]
