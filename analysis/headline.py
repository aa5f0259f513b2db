"""The cross-source adoption index: PyTorch's share of PyTorch+TensorFlow per signal and period.

Pure functions on the tidy signal frame (columns of the signal contract in
docs/ARCHITECTURE.md). Every period between a signal's first and last observation gets a row;
a period where either framework is missing has no share (NaN): never a zero, never a value
borrowed from a neighbour. Flags stay attached to the period they describe.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.currency import breaks_between, breaks_in_window, drop_pre_existence
from analysis.currency import latest_comparable as _latest
from analysis.trends import crossover, merge_flags, share_table, yoy_growth

SIGNAL_COLUMNS = (
    "signal",
    "signal_label",
    "period",
    "granularity",
    "framework",
    "value",
    "flags",
    "source",
)
GRANULARITIES = {"month": ("MS", 12), "year": ("YS", 1)}


def check_signals(frame: pd.DataFrame, name: str = "signals") -> None:
    """Raise ValueError naming ``name`` when the frame breaks the signal contract."""
    missing = [c for c in SIGNAL_COLUMNS if c not in frame.columns]
    if missing:
        msg = f"{name}: signal rows lack column(s) {missing} (see docs/ARCHITECTURE.md)"
        raise ValueError(msg)
    bad = set(frame["granularity"].dropna().unique()) - set(GRANULARITIES)
    if bad:
        msg = f"{name}: unknown granularity {sorted(bad)}; use 'month' or 'year'"
        raise ValueError(msg)
    if (frame["value"].dropna() < 0).any():
        msg = f"{name}: negative values"
        raise ValueError(msg)
    mixed = frame.groupby("signal")["granularity"].nunique()
    if (mixed > 1).any():
        msg = f"{name}: signal(s) {sorted(mixed[mixed > 1].index)} mix granularities"
        raise ValueError(msg)
    periods = pd.to_datetime(frame["period"])
    starts = (periods.dt.day == 1) & ((frame["granularity"] == "month") | (periods.dt.month == 1))
    if not starts.all():
        first = frame.loc[~starts.to_numpy()].iloc[0]
        msg = (
            f"{name}: period {first['period']} of {first['signal']} is not the start of its "
            f"{first['granularity']} (use the first of the month, or Jan 1 for a year)"
        )
        raise ValueError(msg)


def _period_grid(periods: pd.Series, granularity: str) -> pd.DatetimeIndex:
    freq, _ = GRANULARITIES[granularity]
    return pd.date_range(periods.min(), periods.max(), freq=freq)


def _one_signal(rows: pd.DataFrame) -> pd.DataFrame:
    granularity = str(rows["granularity"].iloc[0])
    rows = rows.assign(period=pd.to_datetime(rows["period"]))
    grid = _period_grid(rows["period"], granularity)
    wide = share_table(rows, "period", "framework", "value", periods=grid)
    share = wide["share"]
    # The index spans the first to the last period with a share; inside it, a period without
    # one is a gap (kept, NaN). Before PyTorch existed there is nothing to compare: not a gap.
    known = np.flatnonzero(share.notna().to_numpy())
    span = slice(known[0], known[-1] + 1) if len(known) else slice(0, 0)
    grid, wide, share = grid[span], wide.iloc[span], share.iloc[span]
    flags = merge_flags(rows["period"], rows["flags"], grid)
    _, per_year = GRANULARITIES[granularity]
    out = pd.DataFrame(
        {
            "signal": rows["signal"].iloc[0],
            "signal_label": rows["signal_label"].iloc[0],
            "source": ",".join(sorted(rows["source"].dropna().astype(str).unique())),
            "granularity": granularity,
            "period": grid,
            "torch": wide["torch"].to_numpy(),
            "tensorflow": wide["tensorflow"].to_numpy(),
            "share": share.to_numpy(),
            "flags": flags,
        }
    )
    out["observed"] = out["share"].notna()
    out["flagged"] = out["flags"] != ""
    out["torch_yoy"] = yoy_growth(out["torch"], per_year).to_numpy()
    out["tensorflow_yoy"] = yoy_growth(out["tensorflow"], per_year).to_numpy()
    out["share_change_1y"] = (out["share"] - out["share"].shift(per_year)).to_numpy()
    # A change over a year spans the breaks flagged in that year: named, never hidden.
    out["growth_breaks"] = breaks_in_window(out["flags"].tolist(), per_year)
    all_share, covered = _share_of_all(rows, grid)
    out["tensorflow_share_all"] = all_share
    out["frameworks"] = covered
    return out


def _share_of_all(rows: pd.DataFrame, grid: pd.DatetimeIndex) -> tuple[list[float], list[str]]:
    """TensorFlow's share among every framework the signal records in each period (a market
    share, unlike the two-framework PyTorch share) and the frameworks it covers."""
    wide = rows.groupby(["period", "framework"])["value"].sum(min_count=1).unstack("framework")
    wide = wide.astype("float64").reindex(grid)
    covered = ",".join(sorted(c for c in wide.columns if wide[c].notna().any()))
    if "tensorflow" not in wide.columns:
        return [float("nan")] * len(grid), [covered] * len(grid)
    total = wide.sum(axis=1, min_count=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = (wide["tensorflow"] / total).where(total > 0)
    return share.tolist(), [covered] * len(grid)


def signal_shares(signals: pd.DataFrame) -> pd.DataFrame:
    """Per signal and period: torch, tensorflow, share, flags, YoY growth, change over a year.

    The periods run on a regular grid from the signal's first to its last period with a share.

    Args:
        signals: rows in the signal contract (one per signal, period and framework).

    Returns:
        One row per signal and period; ``share`` is NaN where a framework is missing
        (``observed`` False): a gap, never filled.
    """
    check_signals(signals)
    signals = drop_pre_existence(signals)
    frames = [_one_signal(rows) for _, rows in signals.groupby("signal", sort=True)]
    if not frames:
        return pd.DataFrame(
            columns=[
                *SIGNAL_COLUMNS[:4],
                "torch",
                "tensorflow",
                "share",
                "flags",
                "observed",
                "flagged",
                "torch_yoy",
                "tensorflow_yoy",
                "share_change_1y",
                "growth_breaks",
                "tensorflow_share_all",
                "frameworks",
            ]
        )
    return pd.concat(frames, ignore_index=True)


def signal_summary(shares: pd.DataFrame) -> pd.DataFrame:
    """One row per signal: span, latest share, crossover, YoY growth, flagged periods.

    "Latest" is the latest observed period that is comparable with the rest of the series
    (:func:`analysis.currency.latest_comparable`): a period with another venue set is shown,
    flagged, but never the headline value. ``growth_breaks`` names the method breaks the latest
    year-over-year change spans and ``crossover_breaks`` those between the last period below
    parity and the sustained crossover.
    """
    rows = []
    for signal, frame in shares.groupby("signal", sort=True):
        observed = frame[frame["observed"]].sort_values("period")
        if observed.empty:
            continue
        latest = _latest(observed)
        found = crossover(observed, period="period")
        sustained = found["sustained"] if found and found["sustained"] is not None else None
        before = (
            observed[observed["period"] < sustained]["period"].max()
            if sustained is not None
            else None
        )
        rows.append(
            {
                "signal": signal,
                "signal_label": frame["signal_label"].iloc[0],
                "source": frame["source"].iloc[0],
                "granularity": frame["granularity"].iloc[0],
                "first_period": observed["period"].min(),
                "latest_period": latest["period"],
                "periods": int(len(observed)),
                "missing_periods": int((~frame["observed"]).sum()),
                "flagged_periods": int(frame["flagged"].sum()),
                "latest_share": float(latest["share"]),
                "latest_flags": str(latest["flags"]),
                "share_change_1y": _float(latest["share_change_1y"]),
                "torch_yoy": _float(latest["torch_yoy"]),
                "tensorflow_yoy": _float(latest["tensorflow_yoy"]),
                "crossover_first": found["first"] if found else pd.NaT,
                "crossover_sustained": sustained if sustained is not None else pd.NaT,
                "crossover_breaks": breaks_between(frame, before, sustained),
                "growth_breaks": str(latest.get("growth_breaks", "") or ""),
                "tensorflow_share_all": _float(latest.get("tensorflow_share_all")),
                "frameworks": str(latest.get("frameworks", "") or ""),
                "last_observed_period": observed["period"].max(),
            }
        )
    return pd.DataFrame(rows)


def _float(value: object) -> float:
    return float(value) if pd.notna(value) else float("nan")  # type: ignore[arg-type]


def format_period(value: object, granularity: str) -> str:
    """'2024-03' for a month, '2024' for a year, '' for a missing value."""
    if value is None or pd.isna(value):  # type: ignore[arg-type]
        return ""
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    return f"{stamp:%Y}" if granularity == "year" else f"{stamp:%Y-%m}"
