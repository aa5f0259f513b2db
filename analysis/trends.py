"""Trend definitions as pure functions on tidy DataFrames.

Shares, year-over-year growth and crossovers. Flagged periods are carried through as a column
and never interpolated: a missing period stays missing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def pytorch_share(
    frame: pd.DataFrame,
    period: str = "month",
    group: str = "family",
    value: str = "downloads",
    numerator: str = "torch",
    denominator: tuple[str, ...] = ("torch", "tensorflow"),
    flags: str | None = "flags",
) -> pd.DataFrame:
    """Share of ``numerator`` in the sum of ``denominator`` groups, per period.

    Periods where any denominator group is missing get no share (NaN), never a guess. Returns
    ``period``, one column per denominator group, ``share`` and (when given) ``flags``.
    """
    subset = frame[frame[group].isin(denominator)]
    wide = subset.pivot_table(index=period, columns=group, values=value, aggfunc="sum")
    # Periods present in the input but empty (gaps) stay as rows with no share.
    wide = wide.reindex(index=sorted(frame[period].dropna().unique()), columns=list(denominator))
    total = wide.sum(axis=1, min_count=len(denominator))
    result = wide.reset_index()
    result["share"] = (wide[numerator] / total).to_numpy()
    if flags and flags in frame.columns:
        joined = (
            subset.groupby(period)[flags]
            .agg(lambda s: ",".join(sorted({k for v in s for k in str(v).split(",") if k})))
            .reindex(wide.index)
            .fillna("")
        )
        result[flags] = joined.to_numpy()
    return result


def yoy_growth(series: pd.Series, periods_per_year: int = 12) -> pd.Series:
    """Growth over the same period a year earlier (value / value a year ago - 1).

    ``series`` must be indexed by a regular period index (missing periods present as NaN), so a
    gap yields NaN rather than a comparison with the wrong period.
    """
    previous = series.shift(periods_per_year)
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = series / previous - 1.0
    return growth.where(previous > 0)


def crossover(
    shares: pd.DataFrame, period: str = "month", share: str = "share", threshold: float = 0.5
) -> dict[str, object] | None:
    """When the share first rose above ``threshold`` and when it stayed there.

    Returns ``first``: the first period above; ``sustained``: the first period after which every
    observed period is above (None if it fell back below at the end); ``before``/``after``: the
    share just before and at the sustained crossing. None if never above.
    """
    observed = shares.dropna(subset=[share]).sort_values(period)
    above = observed[share] > threshold
    if not above.any():
        return None
    first = observed.loc[above.idxmax(), period]
    below_positions = np.flatnonzero(~above.to_numpy())
    if len(below_positions) and below_positions[-1] == len(observed) - 1:
        sustained = None
        before = after = None
    else:
        start = below_positions[-1] + 1 if len(below_positions) else 0
        sustained = observed.iloc[start][period]
        after = float(observed.iloc[start][share])
        before = float(observed.iloc[start - 1][share]) if start > 0 else None
    return {"first": first, "sustained": sustained, "before": before, "after": after}


def regular_months(frame: pd.DataFrame, period: str = "month") -> pd.DataFrame:
    """Reindex to every month between the first and last, leaving gaps as NaN rows."""
    if frame.empty:
        return frame
    months = pd.date_range(frame[period].min(), frame[period].max(), freq="MS")
    return frame.set_index(period).reindex(months).rename_axis(period).reset_index()
