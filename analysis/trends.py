"""Trend definitions as pure functions on tidy DataFrames.

Shares, year-over-year growth and crossovers. Flagged periods are carried through as a column
and never interpolated: a missing period stays missing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

NUMERATOR = "torch"
PARITY = 0.5  # the share at which PyTorch and TensorFlow are equal
DENOMINATOR = ("torch", "tensorflow")


def share_table(
    frame: pd.DataFrame,
    period: str,
    group: str,
    value: str,
    numerator: str = NUMERATOR,
    denominator: tuple[str, ...] = DENOMINATOR,
    periods: Sequence[object] | pd.Index | None = None,
) -> pd.DataFrame:
    """THE share: ``numerator`` over the sum of the ``denominator`` groups, per period.

    Values are summed per period and group; a group with no value in a period is absent (NaN),
    never zero, and a period where any denominator group is absent, or whose total is zero,
    has no share (NaN). Rows: ``periods`` when given (a grid; periods outside the data stay
    empty), else every period present in ``frame``. Returns a frame indexed by period with
    one column per denominator group and ``share``.
    """
    subset = frame[frame[group].isin(denominator)]
    wide = subset.groupby([period, group])[value].sum(min_count=1).unstack(group)
    # Nullable counts (Int64, from DuckDB) become floats with NaN for absent; plain ints stay.
    nullable = [
        c for c in wide.columns if isinstance(wide[c].dtype, pd.api.extensions.ExtensionDtype)
    ]
    wide = wide.astype(dict.fromkeys(nullable, "float64"))
    index = sorted(frame[period].dropna().unique()) if periods is None else periods
    wide = wide.reindex(index=index, columns=list(denominator))
    wide.index.name = period
    total = wide.sum(axis=1, min_count=len(denominator))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = wide[numerator] / total
    wide["share"] = share.where(total > 0)
    return wide


def pytorch_share(
    frame: pd.DataFrame,
    period: str = "month",
    group: str = "family",
    value: str = "downloads",
    numerator: str = NUMERATOR,
    denominator: tuple[str, ...] = DENOMINATOR,
    flags: str | None = "flags",
) -> pd.DataFrame:
    """:func:`share_table` as columns: ``period``, one per denominator group, ``share``, flags.

    ``flags`` (when the column exists) is the sorted union of the period's flag kinds.
    """
    wide = share_table(frame, period, group, value, numerator, denominator)
    result = wide.reset_index()
    result.columns.name = None
    if flags and flags in frame.columns:
        subset = frame[frame[group].isin(denominator)]
        result[flags] = merge_flags(subset[period], subset[flags], wide.index)
    return result


def merge_flags(periods: pd.Series, flags: pd.Series, grid: Sequence[object]) -> list[str]:
    """Per ``grid`` period, the sorted union of the comma-separated flag kinds of its rows."""
    kinds: dict[object, set[str]] = {}
    for when, value in zip(periods, flags, strict=True):
        if isinstance(value, str) and value:
            kinds.setdefault(when, set()).update(k.strip() for k in value.split(",") if k.strip())
    return [",".join(sorted(kinds.get(when, ()))) for when in grid]


def yoy_growth(series: pd.Series, periods_per_year: int = 12) -> pd.Series:
    """THE growth: over the same period a year earlier (value / value a year ago - 1).

    ``series`` must run on a regular period grid (missing periods present as NaN), so a gap
    yields NaN rather than a comparison with the wrong period; a missing or zero base yields
    NaN (growth from nothing is undefined).
    """
    previous = series.shift(periods_per_year)
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = series / previous - 1.0
    return growth.where(previous > 0)


def crossover(
    shares: pd.DataFrame, period: str = "month", share: str = "share", threshold: float = PARITY
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


def with_gaps(frame: pd.DataFrame, keys: list[str], period: str = "month") -> pd.DataFrame:
    """Per series (one per value of ``keys``), every month from its first to its last, with an
    empty row where a month has no value: a chart's line breaks there and the CSV shows the
    gap. Nothing is added before a series starts or after it ends (absent, not zero)."""
    if frame.empty:
        return frame
    frame = frame.assign(**{period: pd.to_datetime(frame[period])})
    parts = []
    for values, group in frame.groupby(keys, sort=False):  # series in their order of appearance
        filled = regular_months(group.drop(columns=keys), period)
        filled = filled.assign(**dict(zip(keys, values, strict=True)))
        parts.append(filled)
    return pd.concat(parts, ignore_index=True)[list(frame.columns)]
