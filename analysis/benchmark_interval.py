"""Per benchmark case: the paired PyTorch / TensorFlow ratio, its 95 % interval and verdict.

The benchmark alternates processes, so a PyTorch process and a TensorFlow process of a case
that ran back to back form a pair (the protocol's ``pair_id``; for older rows without one, the
k-th process of each framework in run order). The interval and the verdict are the single
definitions in :mod:`analysis.performance` (``paired_log_ratio_interval``, ``verdict``); a
verdict on "comparable" reads the whole interval, never one point ratio.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.performance import paired_log_ratio_interval, paired_sides, verdict

COMPARABLE, TORCH_FASTER, TF_FASTER, UNDETERMINED = (
    "comparable",
    "PyTorch faster",
    "TensorFlow faster",
    "undetermined",
)
NAN = float("nan")


def _pairs(group: pd.DataFrame) -> tuple[list[float], list[float]]:
    """Positive PyTorch and TensorFlow values, paired by ``pair_id`` where rows have one,
    else by run order (``started_at``); a process without a partner is left out."""
    group = group[group["value"].astype(float) > 0]
    if "pair_id" in group.columns and group["pair_id"].notna().all():
        sides = paired_sides(group, ["value"]).sort_values("pair_id")
        return sides["value"].astype(float).tolist(), sides["value_tf"].astype(float).tolist()
    if "started_at" in group.columns:
        group = group.sort_values("started_at")
    torch = group[group["framework"] == "torch"]["value"].astype(float).tolist()
    tf = group[group["framework"] == "tensorflow"]["value"].astype(float).tolist()
    n = min(len(torch), len(tf))
    return torch[:n], tf[:n]


def case_interval(torch: list[float], tensorflow: list[float], tolerance: float) -> dict:
    """``ratio, low, high, pairs, verdict`` for one case (no interval below 2 pairs)."""
    n = len(torch)
    if n < 2:
        ratio = math.exp(math.log(torch[0] / tensorflow[0])) if n == 1 else NAN
        return {"ratio": ratio, "low": NAN, "high": NAN, "pairs": n, "verdict": UNDETERMINED}
    found = paired_log_ratio_interval(torch, tensorflow)
    low, high = found["ratio_low"], found["ratio_high"]
    return {
        "ratio": found["ratio"],
        "low": low,
        "high": high,
        "pairs": n,
        "verdict": verdict(low, high, tolerance),
    }


def case_intervals(rows: pd.DataFrame, tolerance: float) -> pd.DataFrame:
    """Per case: the paired ratio, its interval and the verdict.

    ``rows``: ``case, framework, value`` and optionally ``pair_id`` or ``started_at``, one
    row per process; frameworks ``torch`` and ``tensorflow``.
    """
    out = [
        {"case": case, **case_interval(*_pairs(group), tolerance)}
        for case, group in rows.groupby("case", sort=True)
    ]
    return pd.DataFrame(out, columns=["case", "ratio", "low", "high", "pairs", "verdict"])
