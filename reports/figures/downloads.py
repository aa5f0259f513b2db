"""Download figures: PyPI downloads per framework family and the PyTorch share."""

from __future__ import annotations

import altair as alt
import duckdb
import pandas as pd

from analysis.trends import crossover, pytorch_share, with_gaps
from census_base.frameworks import colour
from census_base.frameworks import label as framework_label
from reports.charts import framework_scale, known_frameworks, parity_rule, share_axis
from reports.figure import Figure

# The rows behind the PyTorch share: the filter lives in the view pypi_core_monthly, which the
# adoption index's signal_pypi_downloads reads too.
FAMILY_SQL = """
SELECT month, family, f.family_label, downloads, flags, packages, load_id
FROM pypi_core_monthly
JOIN (SELECT DISTINCT family, family_label FROM package_families) f USING (family)
ORDER BY month, family
"""


def family_monthly(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = con.execute(FAMILY_SQL).df()
    if frame.empty:
        return frame
    frame = with_gaps(frame, ["family"])
    frame["family_label"] = frame.groupby("family")["family_label"].transform("first")
    frame["flags"] = frame["flags"].fillna("")
    frame["flagged"] = frame["flags"] != ""
    return frame


def share_monthly(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    families = family_monthly(con)
    if families.empty:
        return families
    shares = pytorch_share(families)
    shares["flagged"] = shares["flags"] != ""
    return shares


def _crossover_frame(shares: pd.DataFrame) -> pd.DataFrame:
    found = crossover(shares)
    if not found or found["sustained"] is None:
        return pd.DataFrame(columns=["month", "share", "label"])
    month = pd.Timestamp(found["sustained"])
    return pd.DataFrame(
        {"month": [month], "share": [found["after"]], "label": [f"crossover {month:%Y-%m}"]}
    )


def _family_title(frame: pd.DataFrame) -> str:
    observed = frame.dropna(subset=["downloads"])
    last = observed[observed["month"] == observed["month"].max()].set_index("family")["downloads"]
    if {"torch", "tensorflow"} <= set(last.index):
        ratio = last["torch"] / last["tensorflow"]
        month = pd.Timestamp(observed["month"].max())
        return f"In {month:%Y-%m} PyPI served {ratio:.1f}x as many PyTorch as TensorFlow downloads"
    return "Monthly PyPI downloads per framework"


def _family_caption(frame: pd.DataFrame) -> str:
    first, last = pd.Timestamp(frame["month"].min()), pd.Timestamp(frame["month"].max())
    flagged = sorted({pd.Timestamp(m).strftime("%Y-%m") for m in frame[frame["flagged"]]["month"]})
    return (
        f"Monthly downloads of each framework's core PyPI packages, {first:%Y-%m} to "
        f"{last:%Y-%m}, log scale (companions such as torchvision and automatic dependencies "
        "such as tensorflow-intel are left out to avoid double counting). Each month is the "
        "upstream 30-day window that mostly covers it; months without a snapshot are gaps, "
        "not interpolated. Hollow points mark flagged months "
        f"({', '.join(flagged) if flagged else 'none'}): the Linehaul undercount before "
        "2018-07-26, a one-month logging dip (2021-03), level shifts when upstream counting "
        "changed, and the BigQuery to ClickHouse method break (2025-06). PyPI undercounts "
        "PyTorch: CUDA wheels were long served from download.pytorch.org and conda is not "
        "counted."
    )


def _share_title(frame: pd.DataFrame) -> str:
    found = crossover(frame)
    latest = frame.dropna(subset=["share"]).sort_values("month").iloc[-1]
    month = pd.Timestamp(latest["month"])
    if found and found["sustained"] is not None:
        cross = pd.Timestamp(found["sustained"])
        return (
            f"PyTorch passed TensorFlow on PyPI in {cross:%Y-%m} and has stayed ahead: "
            f"{latest['share']:.0%} of PyTorch+TensorFlow downloads in {month:%Y-%m}"
        )
    return (
        f"PyTorch's share of PyTorch+TensorFlow PyPI downloads: {latest['share']:.0%} in "
        f"{month:%Y-%m}"
    )


def _share_caption(frame: pd.DataFrame) -> str:
    found = crossover(frame)
    text = (
        "PyTorch share = torch / (torch + tensorflow, tensorflow-cpu, tensorflow-gpu, "
        "tensorflow-macos, tf-nightly) per month, from the top-pypi-packages 30-day "
        "snapshots. A share is a ratio within one month, so it is robust to the upstream "
        "method breaks that move levels; flagged months are marked (diamonds), not "
        "removed. "
    )
    if found:
        first = pd.Timestamp(found["first"])
        text += f"First month above 50 %: {first:%Y-%m}. "
        if found["sustained"] is not None:
            text += f"Above 50 % in every month since {pd.Timestamp(found['sustained']):%Y-%m}"
            if found["before"] is not None:
                text += f" ({found['before']:.1%} the month before, {found['after']:.1%} then)"
            text += "."
    return text


# Chart specs: they only encode the columns computed above.


def family_downloads_chart(monthly: pd.DataFrame) -> alt.TopLevelMixin:
    """Monthly downloads per family on a log scale; flagged months drawn as hollow points.

    Expects ``month, family, family_label, downloads, flags, flagged``.
    """
    present = set(monthly["family"])
    labels = [framework_label(f) for f in known_frameworks(present)]
    colors = framework_scale(known_frameworks(present))
    base = alt.Chart(monthly).encode(
        x=alt.X("month:T").title(None),
        y=alt.Y("downloads:Q").scale(type="log").title("Downloads per month (log scale)"),
        color=alt.Color("family_label:N")
        .scale(domain=labels, range=colors.range)
        .title("Framework"),
        tooltip=[
            alt.Tooltip("family_label:N", title="framework"),
            alt.Tooltip("month:T", format="%Y-%m"),
            alt.Tooltip("downloads:Q", format=","),
            alt.Tooltip("flags:N"),
        ],
    )
    # Missing months are null rows: break the line there instead of bridging the gap.
    lines = base.mark_line(strokeWidth=2, invalid="break-paths-show-domains")
    observed = base.mark_circle(size=10, opacity=0.8)  # keeps isolated months visible
    flagged = base.transform_filter(alt.datum.flagged).mark_point(
        filled=False, size=60, strokeWidth=1.5
    )
    return alt.layer(lines, observed, flagged)


def share_chart(shares: pd.DataFrame, crossover: pd.DataFrame) -> alt.TopLevelMixin:
    """PyTorch share of PyTorch+TensorFlow per month, 50 % rule, crossover and flags marked.

    Expects ``month, share, flags, flagged`` and a one-row (or empty) ``crossover`` frame with
    ``month, share, label``.
    """
    base = alt.Chart(shares).encode(
        x=alt.X("month:T").title(None),
        y=share_axis(),
    )
    line = base.mark_line(color=colour("torch"), strokeWidth=2, invalid="break-paths-show-domains")
    points = base.mark_point(filled=True, size=28).encode(
        color=alt.Color("flagged:N")
        .scale(domain=[False, True], range=[colour("torch"), "#555"])
        .legend(alt.Legend(title="Flagged period", labelExpr="datum.value ? 'yes' : 'no'")),
        shape=alt.Shape("flagged:N")
        .scale(domain=[False, True], range=["circle", "diamond"])
        .legend(None),
        tooltip=[
            alt.Tooltip("month:T", format="%Y-%m"),
            alt.Tooltip("share:Q", format=".1%"),
            alt.Tooltip("flags:N"),
        ],
    )
    half = parity_rule()
    layers = [half, line, points]
    if not crossover.empty:
        mark = alt.Chart(crossover).encode(x="month:T", y="share:Q")
        layers.append(mark.mark_point(size=180, color="black", filled=False, strokeWidth=2))
        layers.append(
            mark.mark_text(align="right", dx=-10, dy=-12, fontWeight="bold").encode(text="label:N")
        )
    return alt.layer(*layers)


BLOCKS = [
    Figure(
        id="downloads-pypi-family-monthly",
        section="downloads",
        order=10,
        data=family_monthly,
        chart=family_downloads_chart,
        title=_family_title,
        caption=_family_caption,
        sources=("top_pypi",),
        datasets=("downloads_monthly",),
        missing_hint="run `census ingest top-pypi PATH_OR_URL`",
    ),
    Figure(
        id="downloads-pypi-pytorch-share",
        section="downloads",
        order=20,
        data=share_monthly,
        chart=lambda frame: share_chart(frame, _crossover_frame(frame)),
        title=_share_title,
        caption=_share_caption,
        sources=("top_pypi",),
        datasets=("downloads_monthly",),
        missing_hint="run `census ingest top-pypi PATH_OR_URL`",
    ),
]
