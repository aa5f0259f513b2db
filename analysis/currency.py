"""What counts as evidence about *now*: recency, method breaks and pre-existence.

Pure functions on the signal frames of :mod:`analysis.headline`. One setting decides what is
current (:data:`MAX_AGE_MONTHS`); one list names the flag kinds that break a series
(:data:`BREAK_KINDS`) and one the kinds that make a period unlike the others
(:data:`INCOMPARABLE_KINDS`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

MAX_AGE_MONTHS = 18  # a signal is current when its latest period ended at most this long ago
# Flag kinds that mark a change in how a source counts: a growth or crossover spanning one
# compares two methods, so it is flagged (never silently computed across the break).
BREAK_KINDS = (
    "method_break",
    "denominator_change",
    "channel_change",
    "counter_reset",
    "level_shift",
    "venue_set_change",
)
# Flag kinds that make a period unlike the rest of its series (a different venue set, a partial
# count): such a period stays in the series, marked, and is never the "latest" headline value.
INCOMPARABLE_KINDS = ("venue_set_change",)


def kinds(flags: object) -> set[str]:
    """The flag kinds of a comma-separated flags value ('' or NaN: none)."""
    if not isinstance(flags, str):
        return set()
    return {k.strip() for k in flags.split(",") if k.strip()}


def period_end(period: object, granularity: str) -> pd.Timestamp:
    """The last day of a month or year starting at ``period``."""
    start = pd.Timestamp(period)  # type: ignore[arg-type]
    offset = pd.offsets.YearEnd(0) if granularity == "year" else pd.offsets.MonthEnd(0)
    return start + offset


def age_months(period: object, granularity: str, as_of: date) -> int:
    """Whole months from the end of ``period`` to ``as_of`` (0 while the period is running)."""
    end = period_end(period, granularity)  # always a month end
    stamp = pd.Timestamp(as_of)
    months = (stamp.year - end.year) * 12 + (stamp.month - end.month)
    if months > 0 and stamp < end + pd.offsets.MonthEnd(months):
        months -= 1  # the month-end k months on is not reached yet
    return max(int(months), 0)


def with_recency(
    summary: pd.DataFrame, as_of: date, max_age_months: int = MAX_AGE_MONTHS
) -> pd.DataFrame:
    """The summary with ``period_end``, ``age_months`` and ``current`` per signal.

    ``current`` is True when the signal's latest period ended within ``max_age_months`` of
    ``as_of``; older signals are history (they describe the past, never "today").
    """
    out = summary.copy()
    if out.empty:
        out["period_end"] = pd.Series(dtype="datetime64[ns]")
        out["age_months"] = pd.Series(dtype="int64")
        out["current"] = pd.Series(dtype="bool")
        return out
    out["period_end"] = [
        period_end(p, g) for p, g in zip(out["latest_period"], out["granularity"], strict=True)
    ]
    out["age_months"] = [
        age_months(p, g, as_of)
        for p, g in zip(out["latest_period"], out["granularity"], strict=True)
    ]
    out["current"] = out["age_months"] <= max_age_months
    return out


def age_text(months: int) -> str:
    """'8 months old', '3 years 2 months old'."""
    years, rest = divmod(int(months), 12)
    if not years:
        return f"{rest} month{'s' if rest != 1 else ''} old"
    text = f"{years} year{'s' if years != 1 else ''}"
    return text + (f" {rest} month{'s' if rest != 1 else ''}" if rest else "") + " old"


def drop_pre_existence(raw: pd.DataFrame) -> pd.DataFrame:
    """Values of 0 before a framework's first positive value in a signal become NaN.

    A count of 0 before a tag, package or framework existed (Stack Overflow before the pytorch
    tag, papers before PyTorch's release) is not a measurement of zero use: it is absent.
    """
    if raw.empty:
        return raw
    out = raw.sort_values(["signal", "framework", "period"]).copy()
    positive = out["value"].fillna(0).gt(0)
    seen = positive.groupby([out["signal"], out["framework"]]).cummax()
    out.loc[~seen & out["value"].eq(0), "value"] = np.nan
    return out.sort_index()


def breaks_in_window(flags: Sequence[str], width: int) -> list[str]:
    """Per position, the break kinds flagged in the ``width`` periods ending there (excluding
    the period ``width`` back, the base of a comparison): what a change over the window spans.
    """
    per_period = [sorted(kinds(f) & set(BREAK_KINDS)) for f in flags]
    out = []
    for i in range(len(per_period)):
        window = per_period[max(i - width + 1, 0) : i + 1]
        out.append(",".join(sorted({k for found in window for k in found})))
    return out


def breaks_between(shares: pd.DataFrame, start: object, end: object) -> str:
    """Break kinds flagged in the periods after ``start`` up to and including ``end``."""
    if start is None or end is None or pd.isna(start) or pd.isna(end):  # type: ignore[arg-type]
        return ""
    inside = shares[(shares["period"] > start) & (shares["period"] <= end)]
    found: set[str] = set()
    for value in inside["flags"]:
        found |= kinds(value) & set(BREAK_KINDS)
    return ",".join(sorted(found))


def latest_comparable(observed: pd.DataFrame) -> pd.Series:
    """The latest observed period whose flags make it comparable (the last period otherwise)."""
    ordered = observed.sort_values("period")
    ok = [not (kinds(f) & set(INCOMPARABLE_KINDS)) for f in ordered["flags"]]
    candidates = ordered[ok]
    return (candidates if not candidates.empty else ordered).iloc[-1]


def blank_before_first(
    frame: pd.DataFrame, group: str | list[str], order: str, value: str, also: Sequence[str] = ()
) -> pd.DataFrame:
    """Per ``group``, rows before the first positive ``value`` whose value is 0 get NaN in
    ``value`` and in the derived ``also`` columns (a share, an interval bound): a count of
    zero before a tag, package or framework existed is absent, not a measured zero."""
    if frame.empty:
        return frame
    out = frame.copy()
    ordered = out.sort_values(order)
    seen = ordered[value].fillna(0).gt(0).groupby([ordered[g] for g in _list(group)]).cummax()
    before = seen.reindex(out.index).eq(False) & out[value].eq(0)
    out[value] = out[value].astype("float64")
    for column in (value, *also):
        out[column] = out[column].astype("float64")
        out.loc[before, column] = np.nan
    return out


def _list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)
