"""Claim verdicts: rules from analysis/claims.toml applied to the adoption-index summary.

Pure functions: the summary (analysis.headline.signal_summary) and optional benchmark rows in,
verdicts out. A rule looks at each signal it names that has data; each signal supports or
contradicts the claim; the verdict is supported (all support), contradicted (all contradict),
mixed, or insufficient data (no signal the rule needs is present).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from analysis.headline import format_period
from analysis.trends import PARITY

CLAIMS_FILE = Path(__file__).with_name("claims.toml")
RULES = ("share_above", "share_below", "tf_share_near", "closing_gap", "benchmark_parity")
SUPPORTED, CONTRADICTED, MIXED, INSUFFICIENT = (
    "supported",
    "contradicted",
    "mixed",
    "insufficient data",
)


@dataclass(frozen=True)
class Claim:
    id: str
    claim: str
    heard_in: str
    metric: str
    rule: str
    evidence: str
    signals: tuple[str, ...] = ()
    threshold: float = PARITY
    target: float = 0.0
    tolerance: float = 0.0
    max_age_years: float | None = None
    min_change: float = 0.01  # closing_gap: the share must rise by at least this in a year
    sql: str = ""


@dataclass(frozen=True)
class Verdict:
    claim: Claim
    verdict: str
    detail: str
    supporting: tuple[str, ...] = field(default=())
    contradicting: tuple[str, ...] = field(default=())


def load_claims(path: Path = CLAIMS_FILE) -> list[Claim]:
    """Read and check the claims file; ValueError naming the file and claim on a bad entry."""
    with path.open("rb") as handle:
        entries = tomllib.load(handle).get("claim", [])
    claims = []
    for entry in entries:
        name = entry.get("id", "?")
        if entry.get("rule") not in RULES:
            msg = f"{path}: claim {name!r} has unknown rule {entry.get('rule')!r}; use {RULES}"
            raise ValueError(msg)
        if entry["rule"] == "benchmark_parity" and not entry.get("sql"):
            msg = f"{path}: claim {name!r} (benchmark_parity) needs an sql query"
            raise ValueError(msg)
        try:
            claims.append(Claim(**{**entry, "signals": tuple(entry.get("signals", ()))}))
        except TypeError as exc:
            msg = f"{path}: claim {name!r}: {exc}"
            raise ValueError(msg) from exc
    ids = [c.id for c in claims]
    if len(set(ids)) != len(ids):
        msg = f"{path}: repeated claim ids"
        raise ValueError(msg)
    return claims


def _relevant(claim: Claim, summary: pd.DataFrame, as_of: date) -> pd.DataFrame:
    if summary.empty:
        return summary
    rows = summary if "*" in claim.signals else summary[summary["signal"].isin(claim.signals)]
    if claim.max_age_years is not None:
        cutoff = pd.Timestamp(as_of) - pd.DateOffset(days=round(365.25 * claim.max_age_years))
        rows = rows[pd.to_datetime(rows["latest_period"]) >= cutoff]
    return rows.sort_values("signal")


def _share_text(row: pd.Series, share: float | None = None) -> str:
    value = row["latest_share"] if share is None else share
    period = format_period(row["latest_period"], row["granularity"])
    flags = row.get("latest_flags") or ""
    flagged = f" [flagged period: {flags}]" if isinstance(flags, str) and flags else ""
    return f"{row['signal_label']} {period}: {value:.0%}{flagged}"


def _judge(claim: Claim, row: pd.Series) -> tuple[bool | None, str]:
    """(True: supports, False: contradicts, None: no evidence either way) and a note."""
    share = float(row["latest_share"])
    if claim.rule == "share_above":
        return share > claim.threshold, _share_text(row)
    if claim.rule == "share_below":
        return share < claim.threshold, _share_text(row)
    if claim.rule == "tf_share_near":
        tf_share = 1.0 - share
        return abs(tf_share - claim.target) <= claim.tolerance, "TensorFlow " + _share_text(
            row, tf_share
        )
    # closing_gap
    change = row["share_change_1y"]
    if share >= PARITY:
        return False, _share_text(row) + " (gap closed: PyTorch leads)"
    if pd.isna(change):
        return None, _share_text(row) + " (no value a year earlier)"
    rising = change >= claim.min_change
    return bool(rising), _share_text(row) + f" ({change * 100:+.1f} pp in a year)"


def _aggregate(claim: Claim, results: list[tuple[bool | None, str]], needed: str) -> Verdict:
    supporting = tuple(note for ok, note in results if ok is True)
    contradicting = tuple(note for ok, note in results if ok is False)
    if not supporting and not contradicting:
        notes = "; ".join(note for _, note in results)
        return Verdict(claim, INSUFFICIENT, notes or f"no data for {needed}")
    verdict = SUPPORTED if supporting else CONTRADICTED
    if supporting and contradicting:
        verdict = MIXED
    detail = "; ".join(
        [*(f"agrees: {n}" for n in supporting), *(f"disagrees: {n}" for n in contradicting)]
    )
    return Verdict(claim, verdict, detail, supporting, contradicting)


def _benchmark(claim: Claim, rows: pd.DataFrame | None) -> Verdict:
    if rows is None or rows.empty:
        return Verdict(claim, INSUFFICIENT, "no benchmark rows (benchmark_runs) in the warehouse")
    wide = rows.pivot_table(index="case", columns="framework", values="value", aggfunc="median")
    results: list[tuple[bool | None, str]] = []
    for case, values in wide.iterrows():
        torch, tf = values.get("torch"), values.get("tensorflow")
        if pd.isna(torch) or pd.isna(tf) or tf <= 0:
            continue
        ratio = float(torch) / float(tf)
        parity = 1 / (1 + claim.tolerance) <= ratio <= 1 + claim.tolerance
        results.append((parity, f"{case}: PyTorch/TensorFlow throughput {ratio:.2f}x"))
    return _aggregate(claim, results, "benchmark rows with both frameworks on one case")


def evaluate(
    claim: Claim, summary: pd.DataFrame, as_of: date, benchmark: pd.DataFrame | None = None
) -> Verdict:
    """The verdict on one claim.

    Args:
        claim: the claim and its rule.
        summary: one row per signal (analysis.headline.signal_summary).
        as_of: the report date (for ``max_age_years``).
        benchmark: rows ``case, framework, value`` for benchmark rules (None when absent).
    """
    if claim.rule == "benchmark_parity":
        return _benchmark(claim, benchmark)
    rows = _relevant(claim, summary, as_of)
    needed = ", ".join(claim.signals) if "*" not in claim.signals else "any signal"
    if claim.max_age_years is not None:
        needed += f" measured in the last {claim.max_age_years:g} years"
    results = [_judge(claim, row) for _, row in rows.iterrows()]
    return _aggregate(claim, results, needed)


def evaluate_all(
    claims: list[Claim],
    summary: pd.DataFrame,
    as_of: date,
    benchmarks: dict[str, pd.DataFrame | None] | None = None,
) -> list[Verdict]:
    """Verdicts for every claim; ``benchmarks`` maps claim id to its benchmark rows."""
    benchmarks = benchmarks or {}
    return [evaluate(c, summary, as_of, benchmarks.get(c.id)) for c in claims]


def verdict_frame(verdicts: list[Verdict]) -> pd.DataFrame:
    """The verdict table as shown in the report (one row per claim)."""
    return pd.DataFrame(
        [
            {
                "claim": v.claim.claim,
                "verdict": v.verdict,
                "evidence": v.detail,
                "metric and rule": v.claim.metric,
                "chart": v.claim.evidence,
                "id": v.claim.id,
            }
            for v in verdicts
        ]
    )
