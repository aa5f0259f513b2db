"""Binomial intervals, stored beside shares at load time and used by the analysis."""

from __future__ import annotations

import math

Z_95 = 1.959963984540054  # two-sided 95 % normal quantile


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion ``successes / trials``.

    Args:
        successes: respondents who chose the option (0 <= successes <= trials).
        trials: respondents who answered the question (> 0).
        z: normal quantile (1.96 for 95 %).

    Returns:
        ``(low, high)``, both inside [0, 1].
    """
    if trials <= 0:
        msg = f"a Wilson interval needs at least one trial (got {trials})"
        raise ValueError(msg)
    if not 0 <= successes <= trials:
        msg = f"successes must lie in 0..{trials} (got {successes})"
        raise ValueError(msg)
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    # Rounding can leave the bounds a hair outside [0, 1] or on the wrong side of p.
    low = 0.0 if successes == 0 else min(p, max(0.0, centre - half))
    high = 1.0 if successes == trials else max(p, min(1.0, centre + half))
    return low, high
