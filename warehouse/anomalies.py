"""Detect anomalous periods and method breaks in snapshot series (pure functions on rows).

A series is given as ``(name, period, value)`` points; periods are anything ordered (dates).
Plain Python (``statistics.median``): the numbers are the ones pandas gave (two middle values
averaged, ratios rounded half to even at two decimals) without importing it.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

# A period is anomalous when every reference series sits this far below (or above) the median
# of its neighbours (up to two on each side): a logging problem upstream, not a change in
# adoption. Two on each side keep one dip from making its neighbour look like a spike.
LOW_RATIO = 0.6
HIGH_RATIO = 1.0 / LOW_RATIO
NEIGHBOURS = 2
# A level shift: the median of the next periods over the median of the previous ones.
SHIFT_RATIO = 1.5
SHIFT_SPAN = 3

Point = tuple[str, Any, float]  # (series name, period, value)


@dataclass(frozen=True)
class NeighbourRatio:
    name: str
    period: Any
    value: float
    ratio: float  # value / median of up to two values each side; nan when that median is 0


@dataclass(frozen=True)
class Dip:
    period: Any
    kind: str  # anomalous_low | anomalous_high
    ratios: dict[str, float]  # reference -> ratio, rounded to 2 places, by name


@dataclass(frozen=True)
class Shift:
    period: Any
    ratios: dict[str, float]  # reference -> median after / median before, in reference order


@dataclass(frozen=True)
class MethodChange:
    period: Any
    method: Hashable
    previous: Hashable


def round2(x: float) -> float:
    """Round half to even at two decimals, as ``numpy.round`` does (x * 100, rint, / 100)."""
    return round(x * 100) / 100 if math.isfinite(x) else x


def _divide(a: float, b: float) -> float:
    """a / b with IEEE results for b == 0 (inf, or nan for 0 / 0), as numpy divides."""
    if b != 0:
        return a / b
    return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a)


def _series(points: Iterable[Point]) -> dict[str, list[tuple[Any, float]]]:
    """Name -> its (period, value) pairs by period; names sorted."""
    by_name: dict[str, list[tuple[Any, float]]] = defaultdict(list)
    for name, period, value in points:
        by_name[name].append((period, float(value)))
    return {name: sorted(by_name[name], key=lambda p: p[0]) for name in sorted(by_name)}


def neighbour_ratios(points: Iterable[Point]) -> list[NeighbourRatio]:
    """For each (name, period): value / median of up to two values on each side.

    By name, then period; the first and last period of a series have no ratio.
    """
    out = []
    for name, pairs in _series(points).items():
        values = [v for _, v in pairs]
        for i in range(1, len(values) - 1):
            around = [*values[max(0, i - NEIGHBOURS) : i], *values[i + 1 : i + 1 + NEIGHBOURS]]
            middle = statistics.median(around)
            ratio = values[i] / middle if middle > 0 else math.nan
            out.append(NeighbourRatio(name, pairs[i][0], values[i], ratio))
    return out


def level_shifts(
    points: Iterable[Point], references: list[str], skip: set | None = None
) -> list[Shift]:
    """Periods where every reference series steps up or down and stays there.

    Compares the median of the ``SHIFT_SPAN`` periods from ``t`` on with the median of the
    ``SHIFT_SPAN`` before it, over the periods where every reference has a value (periods in
    ``skip``, e.g. one-off dips, are left out). Of consecutive candidates the strongest is kept.
    """
    skip = skip or set()
    wide: dict[Any, dict[str, float]] = defaultdict(dict)
    for name, period, value in points:
        if name in references and period not in skip:
            wide[period].setdefault(name, float(value))  # the first value, as pivot "first"
    periods = sorted(p for p, values in wide.items() if all(r in values for r in references))
    rows: list[Shift] = []
    last: tuple[int, float] | None = None  # (position, strength) of the last kept candidate
    for i in range(SHIFT_SPAN, len(periods) - SHIFT_SPAN + 1):
        ratio = {}
        for ref in references:
            before = statistics.median(wide[p][ref] for p in periods[i - SHIFT_SPAN : i])
            after = statistics.median(wide[p][ref] for p in periods[i : i + SHIFT_SPAN])
            ratio[ref] = _divide(after, before)
        up = all(r > SHIFT_RATIO for r in ratio.values())
        if not up and not all(r < 1 / SHIFT_RATIO for r in ratio.values()):
            continue
        product = math.prod(ratio.values())
        strength = math.inf if product in (0, math.inf) else abs(math.log(product))
        candidate = Shift(periods[i], {k: round2(v) for k, v in ratio.items()})
        if last is not None and i - last[0] == 1:
            if strength > last[1]:
                rows[-1] = candidate
                last = (i, strength)
            continue
        rows.append(candidate)
        last = (i, strength)
    return rows


def common_dips(points: Iterable[Point], references: list[str]) -> list[Dip]:
    """Periods in which *every* reference series is anomalously low or high.

    ``kind`` is ``anomalous_low`` or ``anomalous_high``; ``ratios`` maps each reference to its
    ratio. References absent from a period make no verdict.
    """
    by_period: dict[Any, list[NeighbourRatio]] = defaultdict(list)
    for ratio in neighbour_ratios(p for p in points if p[0] in references):
        by_period[ratio.period].append(ratio)
    rows = []
    for when in sorted(by_period):
        group = by_period[when]
        if {r.name for r in group} != set(references) or any(math.isnan(r.ratio) for r in group):
            continue
        kind = None
        if all(r.ratio < LOW_RATIO for r in group):
            kind = "anomalous_low"
        elif all(r.ratio > HIGH_RATIO for r in group):
            kind = "anomalous_high"
        if kind:
            rows.append(Dip(when, kind, {r.name: round2(r.ratio) for r in group}))
    return rows


def method_changes(periods: Iterable[tuple[Any, Hashable]]) -> list[MethodChange]:
    """The first period of each new method (after the first one), from (period, method) pairs."""
    ordered = sorted(dict.fromkeys(periods), key=lambda pair: pair[0])
    return [
        MethodChange(period, method, previous)
        for (_, previous), (period, method) in zip(ordered, ordered[1:], strict=False)
        if method != previous
    ]
