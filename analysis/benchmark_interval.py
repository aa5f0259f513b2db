"""The paired PyTorch / TensorFlow ratio of a benchmark and its 95 % interval.

The benchmark alternates processes (PyTorch, TensorFlow, PyTorch, ...), so the k-th PyTorch
process and the k-th TensorFlow process of a case ran under the same machine conditions: they
form a pair. The interval is a Student-t interval on the mean log ratio of the pairs,
exponentiated (a ratio's interval is symmetric on the log scale). A verdict on "comparable"
reads the whole interval, never one point ratio.
"""

from __future__ import annotations

import math

import pandas as pd

# Two-sided 95 % quantiles of Student's t by degrees of freedom (no SciPy dependency).
T_975 = {
    1: 12.706,
    2: 4.303,
    3: 3.182,
    4: 2.776,
    5: 2.571,
    6: 2.447,
    7: 2.365,
    8: 2.306,
    9: 2.262,
    10: 2.228,
    11: 2.201,
    12: 2.179,
    13: 2.160,
    14: 2.145,
    15: 2.131,
    16: 2.120,
    17: 2.110,
    18: 2.101,
    19: 2.093,
    20: 2.086,
    21: 2.080,
    22: 2.074,
    23: 2.069,
    24: 2.064,
    25: 2.060,
    26: 2.056,
    27: 2.052,
    28: 2.048,
    29: 2.045,
    30: 2.042,
}
COMPARABLE, TORCH_FASTER, TF_FASTER, UNDETERMINED = (
    "comparable",
    "PyTorch faster",
    "TensorFlow faster",
    "undetermined",
)


def t_quantile(df: int) -> float:
    """The 97.5 % quantile of Student's t with ``df`` degrees of freedom."""
    if df < 1:
        msg = f"t quantile needs at least 1 degree of freedom, got {df}"
        raise ValueError(msg)
    if df in T_975:
        return T_975[df]
    return 2.0 if df <= 60 else 1.98 if df <= 120 else 1.96


def paired_ratio_interval(torch: list[float], tensorflow: list[float]) -> dict[str, float]:
    """Geometric-mean ratio of paired runs and its 95 % interval (``low``, ``high``).

    Args:
        torch, tensorflow: per-process values in run order (higher is better); the k-th of
            each form a pair; extra runs of one framework are left out.

    Returns:
        ``ratio``, ``low``, ``high``, ``pairs``. With fewer than 2 pairs the interval is NaN.
    """
    pairs = [(t, k) for t, k in zip(torch, tensorflow, strict=False) if t > 0 and k > 0]
    logs = [math.log(t / k) for t, k in pairs]
    n = len(logs)
    if n == 0:
        return {"ratio": float("nan"), "low": float("nan"), "high": float("nan"), "pairs": 0}
    mean = sum(logs) / n
    if n < 2:
        return {"ratio": math.exp(mean), "low": float("nan"), "high": float("nan"), "pairs": n}
    sd = math.sqrt(sum((x - mean) ** 2 for x in logs) / (n - 1))
    half = t_quantile(n - 1) * sd / math.sqrt(n)
    return {
        "ratio": math.exp(mean),
        "low": math.exp(mean - half),
        "high": math.exp(mean + half),
        "pairs": n,
    }


def classify(low: float, high: float, tolerance: float) -> str:
    """'comparable' when [low, high] lies inside the band 1/(1+tol) .. 1+tol, 'X faster' when
    it lies wholly beyond the band on one side, 'undetermined' otherwise (or without an
    interval)."""
    band_low, band_high = 1 / (1 + tolerance), 1 + tolerance
    if math.isnan(low) or math.isnan(high):
        return UNDETERMINED
    if band_low <= low and high <= band_high:
        return COMPARABLE
    if low > band_high:
        return TORCH_FASTER
    if high < band_low:
        return TF_FASTER
    return UNDETERMINED


def case_intervals(rows: pd.DataFrame, tolerance: float) -> pd.DataFrame:
    """Per case: the paired ratio, its interval and the classification.

    ``rows``: ``case, framework, value`` and optionally ``started_at`` (run order), one row
    per process; frameworks ``torch`` and ``tensorflow``.
    """
    out = []
    order = "started_at" if "started_at" in rows.columns else None
    for case, group in rows.groupby("case", sort=True):
        group = group.sort_values(order) if order else group
        torch = group[group["framework"] == "torch"]["value"].astype(float).tolist()
        tf = group[group["framework"] == "tensorflow"]["value"].astype(float).tolist()
        found = paired_ratio_interval(torch, tf)
        out.append(
            {"case": case, **found, "verdict": classify(found["low"], found["high"], tolerance)}
        )
    return pd.DataFrame(out, columns=["case", "ratio", "low", "high", "pairs", "verdict"])
