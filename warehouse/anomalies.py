"""Detect anomalous periods and method breaks in snapshot series (pure functions)."""

from __future__ import annotations

import math

import pandas as pd

# A period is anomalous when every reference series sits this far below (or above) the median
# of its neighbours (up to two on each side): a logging problem upstream, not a change in
# adoption. Two on each side keep one dip from making its neighbour look like a spike.
LOW_RATIO = 0.6
HIGH_RATIO = 1.0 / LOW_RATIO
NEIGHBOURS = 2
# A level shift: the median of the next periods over the median of the previous ones.
SHIFT_RATIO = 1.5
SHIFT_SPAN = 3


def neighbour_ratios(series: pd.DataFrame, by: str, period: str, value: str) -> pd.DataFrame:
    """For each (by, period): value / median of up to two values on each side.

    Returns columns ``by, period, value, ratio``; the first and last period have no ratio.
    """
    out = []
    for key, group in series.sort_values(period).groupby(by, sort=True):
        values = group[value].astype(float).to_numpy()
        periods = group[period].to_numpy()
        for i in range(1, len(values) - 1):
            around = [*values[max(0, i - NEIGHBOURS) : i], *values[i + 1 : i + 1 + NEIGHBOURS]]
            middle = float(pd.Series(around).median())
            ratio = values[i] / middle if middle > 0 else math.nan
            out.append({by: key, period: periods[i], value: values[i], "ratio": ratio})
    return pd.DataFrame(out, columns=[by, period, value, "ratio"])


def level_shifts(
    series: pd.DataFrame,
    references: list[str],
    by: str = "package",
    period: str = "period",
    value: str = "downloads",
    skip: set | None = None,
) -> pd.DataFrame:
    """Periods where every reference series steps up or down and stays there.

    Compares the median of the ``SHIFT_SPAN`` periods from ``t`` on with the median of the
    ``SHIFT_SPAN`` before it (periods in ``skip``, e.g. one-off dips, are left out). Of
    consecutive candidates the strongest is kept. Returns ``period, ratios``.
    """
    skip = skip or set()
    wide = (
        series[series[by].isin(references) & ~series[period].isin(skip)]
        .pivot_table(index=period, columns=by, values=value, aggfunc="first")
        .sort_index()
    )
    wide = wide.dropna(subset=[r for r in references if r in wide.columns])
    if wide.empty or set(references) - set(wide.columns):
        return pd.DataFrame(columns=[period, "ratios"])
    rows, last = [], None
    for i in range(SHIFT_SPAN, len(wide) - SHIFT_SPAN + 1):
        before = wide.iloc[i - SHIFT_SPAN : i].median()
        after = wide.iloc[i : i + SHIFT_SPAN].median()
        ratio = (after / before)[references]
        if (ratio > SHIFT_RATIO).all() or (ratio < 1 / SHIFT_RATIO).all():
            strength = float(abs(math.log(ratio.prod())))
            candidate = {
                period: wide.index[i],
                "ratios": ratio.round(2).to_dict(),
                "strength": strength,
                "position": i,
            }
            if last is not None and i - last["position"] == 1:
                if strength > last["strength"]:
                    rows[-1] = candidate
                    last = candidate
                continue
            rows.append(candidate)
            last = candidate
    return pd.DataFrame(rows, columns=[period, "ratios"])


def common_dips(
    series: pd.DataFrame,
    references: list[str],
    by: str = "package",
    period: str = "period",
    value: str = "downloads",
) -> pd.DataFrame:
    """Periods in which *every* reference series is anomalously low or high.

    Returns ``period, kind, ratios`` (kind ``anomalous_low`` or ``anomalous_high``; ``ratios``
    maps each reference to its ratio). References absent from a period make no verdict.
    """
    subset = series[series[by].isin(references)]
    ratios = neighbour_ratios(subset, by, period, value)
    rows = []
    for when, group in ratios.groupby(period, sort=True):
        if set(group[by]) != set(references) or group["ratio"].isna().any():
            continue
        kind = None
        if (group["ratio"] < LOW_RATIO).all():
            kind = "anomalous_low"
        elif (group["ratio"] > HIGH_RATIO).all():
            kind = "anomalous_high"
        if kind:
            rows.append(
                {
                    period: when,
                    "kind": kind,
                    "ratios": dict(zip(group[by], group["ratio"].round(2), strict=True)),
                }
            )
    return pd.DataFrame(rows, columns=[period, "kind", "ratios"])


def method_changes(snapshots: pd.DataFrame, period: str, method: str) -> pd.DataFrame:
    """The first period of each new value of ``method`` (after the first one)."""
    ordered = snapshots[[period, method]].drop_duplicates().sort_values(period)
    changed = ordered[method].ne(ordered[method].shift()) & ordered[method].shift().notna()
    result = ordered[changed].copy()
    result["previous"] = ordered[method].shift()[changed]
    return result.reset_index(drop=True)
