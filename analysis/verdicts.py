"""Claim verdicts: rules from analysis/claims.toml applied to the adoption-index summary.

Pure functions: the summary (analysis.headline.signal_summary, with analysis.currency
recency) and optional benchmark rows in, verdicts out. A present-tense claim reads only
current signals (latest period within analysis.currency.MAX_AGE_MONTHS of the as-of date);
each supports or contradicts the claim; the verdict is supported (all support), contradicted
(all contradict), mixed, "insufficient current data" (only stale signals: named) or
"insufficient data" (nothing loaded). Every verdict states its evidence count as a confidence,
e.g. "3 of 3 current signals agree".
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from analysis.benchmark_interval import COMPARABLE, UNDETERMINED, case_intervals
from analysis.currency import MAX_AGE_MONTHS, age_text, with_recency
from analysis.headline import format_period
from analysis.trends import PARITY

CLAIMS_FILE = Path(__file__).with_name("claims.toml")
RULES = ("share_above", "share_below", "tf_share_near", "closing_gap", "benchmark_interval")
SUPPORTED, CONTRADICTED, MIXED, INSUFFICIENT, STALE, UNDETERMINED_VERDICT = (
    "supported",
    "contradicted",
    "mixed",
    "insufficient data",
    "insufficient current data",
    "undetermined",
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
    present: bool = True  # a claim about now: only current signals count
    min_change: float = 0.01  # closing_gap: the share must rise by at least this in a year
    sql: str = ""


@dataclass(frozen=True)
class Verdict:
    claim: Claim
    verdict: str
    detail: str
    supporting: tuple[str, ...] = field(default=())
    contradicting: tuple[str, ...] = field(default=())
    confidence: str = ""
    stale: tuple[str, ...] = field(default=())


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
        if entry["rule"] == "benchmark_interval" and not entry.get("sql"):
            msg = f"{path}: claim {name!r} (benchmark_interval) needs an sql query"
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


def _relevant(
    claim: Claim, summary: pd.DataFrame, as_of: date, max_age_months: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(signals the claim reads, stale signals it would have read but may not)."""
    if summary.empty:
        return summary, summary
    rows = summary if "*" in claim.signals else summary[summary["signal"].isin(claim.signals)]
    if "current" not in rows.columns:
        rows = with_recency(rows, as_of, max_age_months)
    keep = rows["current"] if claim.present else pd.Series(True, index=rows.index)
    if claim.max_age_years is not None:
        cutoff = pd.Timestamp(as_of) - pd.DateOffset(days=round(365.25 * claim.max_age_years))
        keep &= pd.to_datetime(rows["latest_period"]) >= cutoff
    return rows[keep].sort_values("signal"), rows[~keep].sort_values("signal")


def _share_text(row: pd.Series, share: float | None = None) -> str:
    value = row["latest_share"] if share is None else share
    period = format_period(row["latest_period"], row["granularity"])
    flags = row.get("latest_flags") or ""
    flagged = f" [flagged period: {flags}]" if isinstance(flags, str) and flags else ""
    age = f", {age_text(row['age_months'])}" if "age_months" in row else ""
    return f"{row['signal_label']} {period}{age}: {value:.0%}{flagged}"


def _judge(claim: Claim, row: pd.Series) -> tuple[bool | None, str]:
    """(True: supports, False: contradicts, None: no evidence either way) and a note."""
    share = float(row["latest_share"])
    if claim.rule == "share_above":
        return share > claim.threshold, _share_text(row)
    if claim.rule == "share_below":
        return share < claim.threshold, _share_text(row)
    if claim.rule == "tf_share_near":
        # A market share: TensorFlow among every framework the signal records, not of two.
        tf_share = row.get("tensorflow_share_all", float("nan"))
        if pd.isna(tf_share):
            return None, _share_text(row) + " (no TensorFlow share among all frameworks)"
        covered = str(row.get("frameworks") or "torch,tensorflow").replace(",", ", ")
        note = f"TensorFlow {_share_text(row, float(tf_share))} of {covered}"
        return abs(float(tf_share) - claim.target) <= claim.tolerance, note
    # closing_gap
    change = row["share_change_1y"]
    if share >= PARITY:
        return False, _share_text(row) + " (gap closed: PyTorch leads)"
    if pd.isna(change):
        return None, _share_text(row) + " (no value a year earlier)"
    rising = change >= claim.min_change
    return bool(rising), _share_text(row) + f" ({change * 100:+.1f} pp in a year)"


def _aggregate(
    claim: Claim,
    results: list[tuple[bool | None, str]],
    needed: str,
    stale: tuple[str, ...] = (),
    unit: str = "current signals",
) -> Verdict:
    supporting = tuple(note for ok, note in results if ok is True)
    contradicting = tuple(note for ok, note in results if ok is False)
    undecided = tuple(note for ok, note in results if ok is None)
    history = "; ".join(f"history only: {n}" for n in stale)
    if not supporting and not contradicting:
        notes = "; ".join([*undecided, history] if history else undecided)
        if stale and not results:
            return Verdict(
                claim,
                STALE,
                f"no current signal ({needed}); stale evidence: " + "; ".join(stale),
                confidence=f"0 current signals, {len(stale)} stale",
                stale=stale,
            )
        verdict = UNDETERMINED_VERDICT if undecided and unit == "cases" else INSUFFICIENT
        confidence = f"0 of {len(results)} {unit} decided" if results else f"0 {unit}"
        return Verdict(claim, verdict, notes or f"no data for {needed}", confidence=confidence)
    verdict = SUPPORTED if supporting else CONTRADICTED
    if supporting and contradicting:
        verdict = MIXED
    agree = len(supporting)
    confidence = f"{agree} of {len(results)} {unit} agree"
    if undecided:
        confidence += f", {len(undecided)} undetermined"
    detail = "; ".join(
        [
            *(f"agrees: {n}" for n in supporting),
            *(f"disagrees: {n}" for n in contradicting),
            *(f"undetermined: {n}" for n in undecided),
            *([history] if history else []),
        ]
    )
    return Verdict(claim, verdict, detail, supporting, contradicting, confidence, stale)


def _benchmark(claim: Claim, rows: pd.DataFrame | None) -> Verdict:
    """Per case, the 95 % interval of the paired PyTorch/TensorFlow ratio: 'comparable' only
    when it lies inside the tolerance band, 'faster' only when wholly beyond, else undetermined.
    """
    if rows is None or rows.empty:
        return Verdict(claim, INSUFFICIENT, "no benchmark rows (benchmark_runs) in the warehouse")
    band = f"{1 / (1 + claim.tolerance):.2f}-{1 + claim.tolerance:.2f}x"
    results: list[tuple[bool | None, str]] = []
    for r in case_intervals(rows, claim.tolerance).itertuples():
        if r.pairs == 0:
            continue
        interval = (
            f"95 % interval {r.low:.2f}-{r.high:.2f}x over {r.pairs} pairs"
            if r.pairs >= 2
            else "one pair: no interval"
        )
        note = (
            f"{r.case}: paired PyTorch/TensorFlow ratio {r.ratio:.2f}x, {interval} "
            f"(band {band}): {r.verdict}"
        )
        results.append((None if r.verdict == UNDETERMINED else r.verdict == COMPARABLE, note))
    return _aggregate(
        claim, results, "benchmark rows with both frameworks on one case", unit="cases"
    )


def evaluate(
    claim: Claim,
    summary: pd.DataFrame,
    as_of: date,
    benchmark: pd.DataFrame | None = None,
    max_age_months: int = MAX_AGE_MONTHS,
) -> Verdict:
    """The verdict on one claim.

    Args:
        claim: the claim and its rule.
        summary: one row per signal (analysis.headline.signal_summary).
        as_of: the report date (recency is measured from it).
        benchmark: rows ``case, framework, value`` (and ``started_at``) for benchmark rules.
        max_age_months: the recency setting (analysis.currency.MAX_AGE_MONTHS).
    """
    if claim.rule == "benchmark_interval":
        return _benchmark(claim, benchmark)
    rows, stale_rows = _relevant(claim, summary, as_of, max_age_months)
    needed = ", ".join(claim.signals) if "*" not in claim.signals else "any signal"
    if claim.present:
        needed += f" with a period in the last {max_age_months} months"
    stale = tuple(
        f"{r['signal_label']} (ends {format_period(r['latest_period'], r['granularity'])}, "
        f"{age_text(r['age_months'])}; PyTorch share {r['latest_share']:.0%})"
        for _, r in stale_rows.iterrows()
    )
    results = [_judge(claim, row) for _, row in rows.iterrows()]
    return _aggregate(claim, results, needed, stale)


def evaluate_all(
    claims: list[Claim],
    summary: pd.DataFrame,
    as_of: date,
    benchmarks: dict[str, pd.DataFrame | None] | None = None,
    max_age_months: int = MAX_AGE_MONTHS,
) -> list[Verdict]:
    """Verdicts for every claim; ``benchmarks`` maps claim id to its benchmark rows."""
    benchmarks = benchmarks or {}
    summary = with_recency(summary, as_of, max_age_months)
    return [evaluate(c, summary, as_of, benchmarks.get(c.id), max_age_months) for c in claims]


def verdict_frame(verdicts: list[Verdict]) -> pd.DataFrame:
    """The verdict table as shown in the report (one row per claim)."""
    return pd.DataFrame(
        [
            {
                "claim": v.claim.claim,
                "verdict": v.verdict,
                "confidence": v.confidence,
                "evidence": v.detail,
                "metric and rule": v.claim.metric,
                "chart": v.claim.evidence,
                "id": v.claim.id,
            }
            for v in verdicts
        ]
    )
