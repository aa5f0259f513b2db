"""Quality flags of the Github-Ranking rows: absent months (missing, never zero) and falls in
the counts that point to a counting change rather than attrition."""

from __future__ import annotations

from datetime import date

import pandas as pd

# A fall of more than this share between two observations is a counting change, not attrition.
DROP_RATIO = 0.05


def _runs(months: list[date]) -> list[tuple[date, date]]:
    """Consecutive calendar months -> (first month, last month) runs."""
    runs: list[tuple[date, date]] = []
    for month in sorted(months):
        if runs and (pd.Timestamp(runs[-1][1]) + pd.offsets.MonthBegin(1)).date() == month:
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    return runs


def _month_end(month: date) -> date:
    return (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()


def detect_flags(rows: pd.DataFrame, days: pd.DataFrame) -> pd.DataFrame:
    """Absent months per repository, months without any file, and falls in the counts."""
    month = lambda s: pd.to_datetime(s).dt.to_period("M").dt.to_timestamp().dt.date  # noqa: E731
    observed_months = sorted(set(month(days["observed_date"])))
    flags = []
    all_months = pd.date_range(observed_months[0], observed_months[-1], freq="MS").date
    for first, last in _runs([m for m in all_months if m not in set(observed_months)]):
        note = (
            "No Github-Ranking file was ingested for this period (an upstream gap): every "
            "repository is missing here, not zero, and nothing is interpolated."
        )
        flags.append(("*", first, _month_end(last), "missing_period", note))
    present = rows.assign(month=month(rows["observed_date"]))
    for repo, group in present.groupby("repo"):
        absent = [
            m for m in observed_months if m not in set(group["month"]) and m >= min(group["month"])
        ]
        for first, last in _runs(absent):
            note = (
                f"{repo} was in none of the top-100 lists on the day(s) ingested for these "
                "months, so Github-Ranking has no value: stored as missing, never as zero."
            )
            flags.append((repo, first, _month_end(last), "missing_period", note))
        per_day = group.sort_values("observed_date").drop_duplicates("observed_date", keep="last")
        for column in ("stars", "forks"):
            before = per_day[column].shift()
            fell = per_day[per_day[column] < before * (1 - DROP_RATIO)]
            for row in fell.itertuples():
                prev = int(before.loc[row.Index])
                note = (
                    f"{column} of {repo} fell from {prev:,} to {getattr(row, column):,} "
                    "since the previous observation: most likely a change in how GitHub "
                    "counts, not real attrition; compare levels across it with care."
                )
                flags.append((repo, row.observed_date, row.observed_date, "level_shift", note))
    return pd.DataFrame(flags, columns=["subject", "period_start", "period_end", "kind", "note"])
