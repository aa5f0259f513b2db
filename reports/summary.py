"""The executive summary that opens the report (at most six lines), also written as summary.md.

Built by ONE function, :func:`summarise`, from the claim verdicts (``analysis.verdicts.Verdict``)
and the per-signal summary (``analysis.headline.signal_summary``): the answer, its confidence,
the strongest evidence with dates, the evidence against and the main caveat. "Now means now":
only signals whose latest period ended within ``analysis.currency.MAX_AGE_MONTHS`` of the
data date count towards the answer (the headline's rule); older ones are named in the caveat.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import pandas as pd

from analysis.currency import MAX_AGE_MONTHS, with_recency
from analysis.headline import format_period
from analysis.trends import PARITY
from analysis.verdicts import Verdict

HIGH_AGREEMENT, MEDIUM_AGREEMENT = 0.8, 0.6  # share of current signals agreeing -> confidence
MIN_SIGNALS_HIGH = 3


@dataclass(frozen=True)
class Summary:
    lines: tuple[str, ...]
    answer: str  # "pytorch" | "tensorflow" | "split" | "unknown"
    confidence: str  # "high" | "medium" | "low" | "none"
    current: tuple[str, ...]  # ids of the signals counted
    stale: tuple[str, ...]  # ids of signals with data older than MAX_AGE_MONTHS

    @property
    def markdown(self) -> str:
        return "\n".join(f"- {line}" for line in self.lines) + "\n"


def _evidence(row: pd.Series) -> str:
    when = format_period(row["latest_period"], str(row["granularity"]))
    text = f"{row['signal_label']} {row['latest_share']:.0%} PyTorch in {when}"
    change = row.get("share_change_1y")
    if change is not None and pd.notna(change):
        text += f" ({change * 100:+.0f} pp in a year)"
    return text


def _confidence(agree: int, total: int) -> str:
    if total == 0:
        return "none"
    ratio = agree / total
    if ratio >= HIGH_AGREEMENT and total >= MIN_SIGNALS_HIGH:
        return "high"
    return "medium" if ratio >= MEDIUM_AGREEMENT else "low"


def _pick(rows: pd.DataFrame, n: int) -> list[str]:
    """The n most recent, clearest signals (latest first, then furthest from parity)."""
    ordered = rows.assign(margin=(rows["latest_share"] - PARITY).abs()).sort_values(
        ["period_end", "margin"], ascending=False
    )
    return [_evidence(row) for _, row in ordered.head(n).iterrows()]


def summarise(verdicts: list[Verdict], summary: pd.DataFrame, data_date: date) -> Summary:
    """The report's executive summary.

    Args:
        verdicts: every claim's verdict (``reports.figures.verdicts.compute_verdicts``).
        summary: one row per signal (``analysis.headline.signal_summary``).
        data_date: the date the data runs to (the report's as-of date).
    """
    counts = Counter(v.verdict for v in verdicts)
    claims = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "none evaluated"
    if summary.empty:
        line = "No adoption signal is in the warehouse: no answer (load a source, see README)."
        return Summary((line, f"Claims: {claims}."), "unknown", "none", (), ())
    rows = with_recency(summary, data_date)  # the one rule for "current" (headline, verdicts)
    current, stale = rows[rows["current"]], rows[~rows["current"]]
    torch = current[current["latest_share"] > PARITY]
    tf = current[current["latest_share"] < PARITY]
    total = len(current)
    if total == 0:
        answer, leader, others = "unknown", "no signal", current
    elif len(torch) == len(tf):
        answer, leader, others = "split", "neither framework", current.iloc[0:0]
    else:
        answer = "pytorch" if len(torch) > len(tf) else "tensorflow"
        leader = "PyTorch" if answer == "pytorch" else "TensorFlow"
        others = tf if answer == "pytorch" else torch
    agreeing = max(len(torch), len(tf))
    confidence = _confidence(agreeing if answer in ("pytorch", "tensorflow") else 0, total)
    latest = format_period(current["latest_period"].max(), "month") if total else ""
    lines = [
        f"**Answer:** {leader} leads {'TensorFlow' if answer == 'pytorch' else 'PyTorch'}"
        f" in {agreeing} of {total} current signals (data to {latest}; share = PyTorch / "
        "(PyTorch + TensorFlow) in the same period)."
        if answer in ("pytorch", "tensorflow")
        else f"**Answer:** no leader: {len(torch)} of {total} current signals favour PyTorch, "
        f"{len(tf)} TensorFlow.",
        f"**Confidence:** {confidence}: {agreeing} of {total} current signals agree "
        f"(current = latest period ended within {MAX_AGE_MONTHS} months of {data_date}); "
        f"claims tested: {claims}.",
    ]
    lead_rows = torch if answer == "pytorch" else tf if answer == "tensorflow" else current
    if not lead_rows.empty:
        lines.append("**Strongest evidence:** " + "; ".join(_pick(lead_rows, 2)) + ".")
    if not others.empty:
        lines.append("**Against:** " + "; ".join(_pick(others, 2)) + ".")
    if not stale.empty:
        names = ", ".join(
            f"{r.signal_label} (to {format_period(r.latest_period, str(r.granularity))})"
            for r in stale.sort_values("period_end").itertuples()
        )
        caveat = f"{len(stale)} signal(s) have no data in the last {MAX_AGE_MONTHS} months and "
        lines.append(f"**Main caveat:** {caveat}are history, not counted: {names}.")
    else:
        lines.append(
            "**Main caveat:** signals count installs, stars and posts, not users; "
            "each has the biases listed under Methodology."
        )
    return Summary(
        tuple(lines[:6]),
        answer,
        confidence,
        tuple(current["signal"]),
        tuple(stale["signal"]),
    )
