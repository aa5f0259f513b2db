"""Survey and Q&A analysis as pure functions: Wilson intervals, shares, published vs measured."""

from __future__ import annotations

import pandas as pd

from census_base.frameworks import label as framework_label

SURVEY_LABELS = {"kaggle": "Kaggle", "stackoverflow": "Stack Overflow"}
SEGMENT_NAMES = {
    "all": "all",
    "professional": "professionals",
    "data_scientist": "data scientists",
    "student": "students",
}
QA_FRAMEWORK_TAGS = {"pytorch": "torch", "tensorflow": "tensorflow", "keras": "keras", "jax": "jax"}


def published_vs_measured(published: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    """Published percentages beside the measured share for the same survey, segment, framework.

    ``published`` needs ``figure_id, publisher, period_year, framework, value, unit,
    compare_survey, compare_segment``; ``shares`` is ``survey_shares``. Returns one row per
    measured year of each comparable series (``kind`` = measured) plus one per published figure
    (``kind`` = published), with ``label`` naming the series.
    """
    comparable = published[
        (published["unit"] == "percent")
        & published["compare_survey"].notna()
        & published["compare_segment"].notna()
    ]
    rows = []
    for fig in comparable.itertuples():
        series = shares[
            (shares["survey"] == fig.compare_survey)
            & (shares["segment"] == fig.compare_segment)
            & (shares["framework"] == fig.framework)
        ]
        if series.empty:
            continue
        label = (
            f"{SURVEY_LABELS.get(fig.compare_survey, fig.compare_survey)}, "
            f"{SEGMENT_NAMES.get(fig.compare_segment, fig.compare_segment)}: "
            f"{framework_label(fig.framework)}"
        )
        for row in series.itertuples():
            rows.append(
                {
                    "series": label,
                    "framework": fig.framework,
                    "year": int(row.year),
                    "kind": "measured",
                    "share": row.share,
                    "ci_low": row.ci_low,
                    "ci_high": row.ci_high,
                    "answered": int(row.answered),
                    "figure_id": "",
                    "publisher": "",
                }
            )
        rows.append(
            {
                "series": label,
                "framework": fig.framework,
                "year": int(fig.period_year),
                "kind": "published",
                "share": fig.value / 100.0,
                "ci_low": None,
                "ci_high": None,
                "answered": None,
                "figure_id": fig.figure_id,
                "publisher": fig.publisher,
            }
        )
    columns = [
        "series",
        "framework",
        "year",
        "kind",
        "share",
        "ci_low",
        "ci_high",
        "answered",
        "figure_id",
        "publisher",
    ]
    return pd.DataFrame(rows, columns=columns)


def bracketed(comparison: pd.DataFrame) -> pd.DataFrame:
    """Published figures with the measured shares of the nearest years before and after.

    ``comparison`` is the output of :func:`published_vs_measured`. Returns ``series, year,
    published, before, after, inside`` (inside: the published value lies between them).
    """
    rows = []
    measured = comparison[comparison["kind"] == "measured"]
    for fig in comparison[comparison["kind"] == "published"].itertuples():
        same = measured[measured["series"] == fig.series]
        earlier = same[same["year"] < fig.year].sort_values("year")
        later = same[same["year"] > fig.year].sort_values("year")
        if earlier.empty or later.empty:
            continue
        before, after = float(earlier["share"].iloc[-1]), float(later["share"].iloc[0])
        inside = min(before, after) <= fig.share <= max(before, after)
        rows.append(
            {
                "series": fig.series,
                "year": fig.year,
                "published": fig.share,
                "before": before,
                "after": after,
                "inside": inside,
            }
        )
    return pd.DataFrame(rows, columns=["series", "year", "published", "before", "after", "inside"])
