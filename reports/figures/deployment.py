"""Deployment and ecosystem: PyPI downloads of runtimes, serving, exchange formats and libraries.

One chart per group of ``warehouse/ecosystem.toml``. Each chart's data is the rows shown: one per
package and top-pypi list, ``downloads`` NULL where the package was below the list's cut-off (a
gap in the line, never a zero), and the cut-off itself drawn as a dashed grey line.
"""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import duckdb
import pandas as pd

from census_base.frameworks import colour, label
from reports.figure import Content, Figure, TextBlock, paragraphs

SOURCES = ("top_pypi",)
DATASETS = ("ecosystem_downloads_monthly",)
HINT = "run `census ingest top-pypi-ecosystem PATH` (a top-pypi-packages folder with INDEX.csv)"
FRAMEWORK_ORDER = ["torch", "tensorflow", "neutral"]


def ecosystem_frame(
    con: duckdb.DuckDBPyConnection, group: str, roles: tuple[str, ...]
) -> pd.DataFrame:
    """Rows of one group (and roles) from 2019, packages that were in a list at least once."""
    frame = con.execute(
        """SELECT package, framework, role, month, downloads, below_cutoff,
                  list_cutoff, method
           FROM ecosystem_downloads_monthly
           WHERE group_name = ? AND list_contains(?, role) AND month >= DATE '2019-01-01'
           QUALIFY count(downloads) OVER (PARTITION BY package) > 0
           ORDER BY framework, package, month""",
        [group, list(roles)],
    ).df()
    if frame.empty:
        return frame
    frame["framework_label"] = frame["framework"].map(
        lambda f: "framework-neutral" if f == "neutral" else label(f)
    )
    last = frame.dropna(subset=["downloads"]).groupby("package")["month"].transform("max")
    frame["is_latest"] = False
    frame.loc[last.index, "is_latest"] = frame.loc[last.index, "month"] == last
    return frame


def ecosystem_chart(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Downloads per package (log scale, gaps below the cut-off) and the list cut-off."""
    present = [f for f in FRAMEWORK_ORDER if f in set(frame["framework"])]
    labels = ["framework-neutral" if f == "neutral" else label(f) for f in present]
    base = alt.Chart(frame).encode(x=alt.X("month:T").title(None))
    lines = base.mark_line(strokeWidth=1.5, invalid="break-paths-show-domains").encode(
        y=alt.Y("downloads:Q").scale(type="log").title("PyPI downloads per 30 days (log)"),
        color=alt.Color("framework_label:N")
        .scale(domain=labels, range=[colour(f) for f in present])
        .title("Built for"),
        detail="package:N",
        tooltip=["package:N", alt.Tooltip("month:T", format="%Y-%m"),
                 alt.Tooltip("downloads:Q", format=","), "method:N"],
    )  # fmt: skip
    names = (
        base.transform_filter(alt.datum.is_latest)
        .mark_text(align="left", dx=4, fontSize=9)
        .encode(y="downloads:Q", text="package:N", color=alt.Color("framework_label:N"))
    )
    cutoff = base.mark_line(color="#999", strokeDash=[4, 3], strokeWidth=1).encode(
        y=alt.Y("max(list_cutoff):Q"), tooltip=[alt.Tooltip("max(list_cutoff):Q", format=",")]
    )
    return alt.layer(cutoff, lines, names)


def _latest(frame: pd.DataFrame) -> tuple[pd.Timestamp, pd.DataFrame]:
    month = pd.Timestamp(frame["month"].max())
    return month, frame[pd.to_datetime(frame["month"]) == month]


def _framework_totals(rows: pd.DataFrame) -> dict[str, float]:
    return rows.dropna(subset=["downloads"]).groupby("framework")["downloads"].sum().to_dict()


def edge_title(frame: pd.DataFrame) -> str:
    month, rows = _latest(frame)
    totals = _framework_totals(rows)
    tf, torch = totals.get("tensorflow"), totals.get("torch")
    if tf and torch:
        return (
            f"{month:%Y-%m}: TensorFlow's mobile/web/edge runtimes had {tf / torch:.0f}x the "
            f"PyPI downloads of PyTorch's ExecuTorch ({tf:,.0f} vs {torch:,.0f})"
        )
    return f"Mobile, web and edge runtimes on PyPI, to {month:%Y-%m}"


def group_title(kind: str) -> Callable[[pd.DataFrame], str]:
    def title(frame: pd.DataFrame) -> str:
        month, rows = _latest(frame)
        totals = _framework_totals(rows)
        if kind == "built_on" and {"torch", "tensorflow"} <= totals.keys():
            ratio = totals["torch"] / totals["tensorflow"]
            return (
                f"{month:%Y-%m}: libraries built on PyTorch had {ratio:.0f}x the PyPI downloads "
                f"of those built on TensorFlow ({totals['torch']:,.0f} vs "
                f"{totals['tensorflow']:,.0f})"
            )
        top = rows.dropna(subset=["downloads"]).sort_values("downloads").iloc[-1]
        return (
            f"{month:%Y-%m}: {top['package']} leads the {kind.replace('_', ' ')} packages "
            f"with {top['downloads']:,.0f} PyPI downloads in 30 days"
        )

    return title


def caption(frame: pd.DataFrame) -> str:
    first, last = pd.Timestamp(frame["month"].min()), pd.Timestamp(frame["month"].max())
    below = int(frame["below_cutoff"].sum())
    return (
        f"30-day PyPI downloads per package, one top-pypi list per month, {first:%Y-%m} to "
        f"{last:%Y-%m}. A gap is a month the package was below the list's cut-off (dashed "
        f"grey: the smallest count in the list, the most it can have had; {below} package-"
        "months), never zero. Lists from 2025-07 are counted by ClickHouse instead of BigQuery "
        "(a method break; level jump). Downloads count installs (CI, mirrors), not users; "
        "mobile and web runtimes also ship in apps and npm bundles, which PyPI does not see."
    )


def _figure(block_id: str, order: int, group: str, roles: tuple[str, ...],
            title: Callable[[pd.DataFrame], str]) -> Figure:  # fmt: skip
    return Figure(
        id=block_id,
        section="deployment",
        order=order,
        data=lambda con: ecosystem_frame(con, group, roles),
        chart=ecosystem_chart,
        title=title,
        caption=caption,
        sources=SOURCES,
        datasets=DATASETS,
        missing_hint=HINT,
    )


def grouping_text(con: duckdb.DuckDBPyConnection) -> Content | None:
    rows = con.execute(
        """SELECT group_label, framework, role, string_agg(package, ', ' ORDER BY package)
           FROM ecosystem_packages GROUP BY ALL ORDER BY 1, 2, 3"""
    ).fetchall()
    if not rows:
        return None
    parts = [
        f"{g} / {label(f) if f != 'neutral' else 'neutral'} / {r}: {p}." for g, f, r, p in rows
    ]
    return paragraphs(
        "Which packages stand for which framework (warehouse/ecosystem.toml). The claim "
        "'TensorFlow is the choice for deploying to mobile, web and edge' is tested against "
        "the edge runtimes (signal edge_runtime_downloads; verdict in the headline table).",
        " ".join(parts),
    )


BLOCKS = [
    TextBlock(id="deployment-grouping", section="deployment", order=5, render=grouping_text),
    _figure("deployment-edge-runtimes", 10, "deployment", ("edge",), edge_title),
    _figure(
        "deployment-serving",
        20,
        "deployment",
        ("serving", "optimisation"),
        group_title("deployment"),
    ),  # fmt: skip
    _figure("deployment-exchange", 30, "exchange", ("exchange",), group_title("exchange")),
    _figure("deployment-built-on", 40, "built_on", ("library",), group_title("built_on")),
]
