"""PyPI growth read against the reference packages, and the crossover under two definitions.

Year-over-year growth of PyPI download levels moves with upstream counting (the BigQuery to
ClickHouse change of 2025-07 roughly doubled every package's count). Packages that no
framework choice drives (numpy, pip, pandas) grew by about as much over the same months, so a
framework's growth is shown next to theirs and relative to them: (1 + g) / (1 + g_ref) - 1.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.currency import breaks_between
from analysis.trends import crossover, share_table, yoy_growth

REFERENCES = ("numpy", "pip", "pandas")


def series_growth(monthly: pd.DataFrame, flags: pd.DataFrame | None = None) -> pd.DataFrame:
    """Latest year-over-year growth per series, with the breaks the year spans.

    Args:
        monthly: ``series, month, downloads`` (series: a framework family or a package).
        flags: ``month, flags`` of the source (the method breaks); None for none.

    Returns:
        One row per series: ``series, month, base_month, downloads, base, growth, breaks``,
        for the latest month with a value a year earlier (NaN growth where there is none).
    """
    rows = []
    grid_flags = flags if flags is not None else pd.DataFrame(columns=["month", "flags"])
    for series, group in monthly.groupby("series", sort=False):
        group = group.assign(month=pd.to_datetime(group["month"]))
        months = pd.date_range(group["month"].min(), group["month"].max(), freq="MS")
        values = group.groupby("month")["downloads"].sum(min_count=1).reindex(months)
        growth = yoy_growth(values.astype("float64"), 12)
        known = growth.dropna()
        if known.empty:
            continue
        month = known.index[-1]
        base_month = month - pd.DateOffset(years=1)
        spans = breaks_between(
            grid_flags.assign(period=pd.to_datetime(grid_flags["month"])), base_month, month
        )
        rows.append(
            {
                "series": series,
                "month": month,
                "base_month": base_month,
                "downloads": float(values[month]),
                "base": float(values[base_month]),
                "growth": float(known.iloc[-1]),
                "breaks": spans,
            }
        )
    return pd.DataFrame(
        rows, columns=["series", "month", "base_month", "downloads", "base", "growth", "breaks"]
    )


def relative_to_references(
    growth: pd.DataFrame, references: tuple[str, ...] = REFERENCES
) -> pd.DataFrame:
    """Each series' growth and its growth relative to the median reference package over the
    same months: ``relative = (1 + growth) / (1 + median reference growth) - 1``. Only series
    measured over the same months as the references get a relative value."""
    refs = growth[growth["series"].isin(references)]
    out = growth.copy()
    out["reference_growth"] = float("nan")
    out["relative"] = float("nan")
    for i, row in out.iterrows():
        same = refs[refs["month"] == row["month"]]
        if same.empty or row["series"] in references:
            continue
        median = float(same["growth"].median())
        out.loc[i, "reference_growth"] = median
        out.loc[i, "relative"] = (1 + row["growth"]) / (1 + median) - 1
    return out


def crossover_range(
    families: pd.DataFrame, definitions: Mapping[str, tuple[str, ...]]
) -> list[dict[str, object]]:
    """The PyTorch-over-TensorFlow crossover under each TensorFlow definition.

    Args:
        families: ``month, series, downloads`` with ``torch`` and every series a definition
            names (e.g. ``tensorflow`` alone and the TensorFlow family).
        definitions: label -> the series summed as TensorFlow.

    Returns:
        Per definition: ``definition``, ``first``, ``sustained`` (NaT when not crossed),
        ``latest_share`` and ``latest_month``.
    """
    out = []
    for name, members in definitions.items():
        frame = families[families["series"].isin(("torch", *members))].copy()
        frame["group"] = frame["series"].where(frame["series"] == "torch", "tensorflow")
        wide = share_table(frame, "month", "group", "downloads").reset_index()
        found = crossover(wide, period="month")
        observed = wide.dropna(subset=["share"]).sort_values("month")
        out.append(
            {
                "definition": name,
                "first": found["first"] if found else pd.NaT,
                "sustained": found["sustained"] if found and found["sustained"] else pd.NaT,
                "latest_month": observed["month"].iloc[-1] if len(observed) else pd.NaT,
                "latest_share": float(observed["share"].iloc[-1]) if len(observed) else None,
            }
        )
    return out
