"""Wilson intervals, Q&A shares and published-vs-measured, as pure functions."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.surveys import bracketed, published_vs_measured
from reports.figures.qa import tag_shares
from warehouse.intervals import wilson_interval


def test_wilson_known_values():
    # textbook values: 0 of 10 -> (0, 0.2775); 5 of 10 -> (0.2366, 0.7634)
    low, high = wilson_interval(0, 10)
    assert low == 0.0
    assert high == pytest.approx(0.27753, abs=1e-4)
    low, high = wilson_interval(5, 10)
    assert (low, high) == (pytest.approx(0.23659, abs=1e-4), pytest.approx(0.76341, abs=1e-4))
    assert wilson_interval(10, 10)[1] == 1.0


@given(st.integers(1, 100_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_contains_the_share_and_is_symmetric(pair):
    k, n = pair
    low, high = wilson_interval(k, n)
    assert 0.0 <= low <= k / n <= high <= 1.0
    mirror = wilson_interval(n - k, n)
    assert math.isclose(low, 1 - mirror[1], abs_tol=1e-12)


def test_wilson_narrows_with_more_answers():
    assert (
        wilson_interval(50, 100)[1] - wilson_interval(50, 100)[0]
        > wilson_interval(500, 1000)[1] - wilson_interval(500, 1000)[0]
    )


@pytest.mark.parametrize(("k", "n"), [(1, 0), (-1, 5), (6, 5)])
def test_wilson_rejects_impossible_counts(k, n):
    with pytest.raises(ValueError, match="trial|successes"):
        wilson_interval(k, n)


def test_qa_share_leaves_a_missing_tag_empty():
    monthly = pd.DataFrame(
        {
            "tag": ["pytorch", "tensorflow", "tensorflow", "keras"],
            "month": pd.to_datetime(["2019-01-01", "2019-01-01", "2019-02-01", "2019-01-01"]),
            "questions": [100, 300, 280, 50],
        }
    )
    shares = tag_shares(monthly).set_index("month")["share"]
    assert shares[pd.Timestamp("2019-01-01")] == 0.25
    assert math.isnan(shares[pd.Timestamp("2019-02-01")])


def test_published_vs_measured_and_bracketing():
    published = pd.DataFrame(
        [
            {
                "figure_id": "k2020-tf",
                "publisher": "Kaggle",
                "period_year": 2020,
                "framework": "tensorflow",
                "value": 50.0,
                "unit": "percent",
                "compare_survey": "kaggle",
                "compare_segment": "data_scientist",
            },
            {
                "figure_id": "he",
                "publisher": "He",
                "period_year": 2019,
                "framework": "torch",
                "value": 69.0,
                "unit": "percent",
                "compare_survey": None,
                "compare_segment": None,
            },
        ]
    )
    shares = pd.DataFrame(
        {
            "survey": "kaggle",
            "segment": "data_scientist",
            "framework": "tensorflow",
            "year": [2019, 2021],
            "share": [0.47, 0.53],
            "ci_low": [0.45, 0.51],
            "ci_high": [0.49, 0.55],
            "answered": [3000, 2900],
        }
    )
    frame = published_vs_measured(published, shares)
    assert frame["kind"].tolist() == ["measured", "measured", "published"]
    assert frame["series"].unique().tolist() == ["Kaggle, data scientists: TensorFlow"]
    around = bracketed(frame)
    assert around.iloc[0][["year", "before", "after", "inside"]].tolist() == [
        2020,
        0.47,
        0.53,
        True,
    ]
