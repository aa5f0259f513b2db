"""The one definition of each number (share, growth, crossover), as properties.

Shares lie in [0, 1]; a framework that is absent gives no share, never 0; growth is undefined
from a missing or zero base; the crossover agrees with where the share changes side of 50 %.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from analysis.trends import crossover, pytorch_share, share_table, with_gaps, yoy_growth

MONTHS = pd.date_range("2019-01-01", periods=24, freq="MS")
counts = st.one_of(st.none(), st.integers(min_value=0, max_value=10**9))


@st.composite
def tidy_frames(draw: st.DrawFn) -> pd.DataFrame:
    """Rows of (month, family, downloads); None = that family has no row that month."""
    n = draw(st.integers(min_value=1, max_value=len(MONTHS)))
    rows = []
    for month in MONTHS[:n]:
        for family in ("torch", "tensorflow", "jax"):
            value = draw(counts)
            if value is not None:
                rows.append({"month": month, "family": family, "downloads": value, "flags": ""})
    frame = pd.DataFrame(rows, columns=["month", "family", "downloads", "flags"])
    return frame.astype({"downloads": "float64"})


@given(tidy_frames())
def test_share_is_a_fraction_and_absent_is_never_zero(frame):
    shares = pytorch_share(frame).set_index("month")
    for month, row in shares.iterrows():
        present = frame[frame["month"] == month]
        torch = present.loc[present["family"] == "torch", "downloads"]
        tf = present.loc[present["family"] == "tensorflow", "downloads"]
        if torch.empty or tf.empty or torch.sum() + tf.sum() == 0:
            assert math.isnan(row["share"])
        else:
            assert 0.0 <= row["share"] <= 1.0
            assert row["share"] == torch.sum() / (torch.sum() + tf.sum())
        # A family with no row that month is absent, not zero.
        assert math.isnan(row["torch"]) == torch.empty
        assert math.isnan(row["tensorflow"]) == tf.empty


@given(tidy_frames())
def test_other_frameworks_never_move_the_share(frame):
    without = frame[frame["family"] != "jax"]
    left = pytorch_share(frame).set_index("month")["share"]
    right = pytorch_share(without).set_index("month")["share"].reindex(left.index)
    pd.testing.assert_series_equal(left, right, check_names=False)


def test_a_grid_keeps_gap_periods_as_rows_without_share():
    frame = pd.DataFrame(
        {
            "period": [MONTHS[0], MONTHS[0], MONTHS[2], MONTHS[2]],
            "framework": ["torch", "tensorflow", "torch", "tensorflow"],
            "value": [1.0, 3.0, 3.0, 1.0],
        }
    )
    wide = share_table(frame, "period", "framework", "value", periods=MONTHS[:3])
    assert list(wide.index) == list(MONTHS[:3])
    assert wide["share"].iloc[0] == 0.25
    assert math.isnan(wide["share"].iloc[1])  # the gap month: no share, no zero
    assert math.isnan(wide["torch"].iloc[1])
    assert wide["share"].iloc[2] == 0.75


@given(st.lists(st.one_of(st.none(), st.floats(0, 1e9)), min_size=1, max_size=40))
def test_growth_is_undefined_from_a_missing_or_zero_base(values):
    series = pd.Series([np.nan if v is None else v for v in values], dtype="float64")
    growth = yoy_growth(series, periods_per_year=12)
    for i, value in enumerate(growth):
        base = series.iloc[i - 12] if i >= 12 else np.nan
        if np.isnan(base) or base == 0 or np.isnan(series.iloc[i]):
            assert np.isnan(value)
        else:
            assert value == series.iloc[i] / base - 1.0


shares_lists = st.lists(
    st.one_of(st.none(), st.floats(0, 1).filter(lambda x: x != 0.5)), min_size=1, max_size=30
)


@given(shares_lists)
def test_crossover_agrees_with_the_side_of_fifty_percent(values):
    frame = pd.DataFrame({"month": MONTHS.append(MONTHS + pd.DateOffset(years=2))[: len(values)]})
    frame["share"] = [np.nan if v is None else v for v in values]
    found = crossover(frame)
    observed = frame.dropna(subset=["share"])
    above = observed["share"] > 0.5
    if not above.any():
        assert found is None
        return
    assert found is not None
    assert found["first"] == observed.loc[above, "month"].iloc[0]
    if not above.iloc[-1]:
        assert found["sustained"] is None  # fell back below at the end
        return
    # Sustained: every observed period from then on is above, the one before (if any) is not.
    since = observed[observed["month"] >= found["sustained"]]
    assert (since["share"] > 0.5).all()
    before = observed[observed["month"] < found["sustained"]]
    if not before.empty:
        assert before["share"].iloc[-1] < 0.5
        assert found["before"] == before["share"].iloc[-1]
    else:
        assert found["before"] is None
    assert found["after"] == since["share"].iloc[0]


def test_with_gaps_breaks_each_series_only_inside_its_own_span():
    frame = pd.DataFrame(
        {
            "month": pd.to_datetime(["2024-03-01", "2024-01-01", "2024-02-01", "2024-05-01"]),
            "series": ["late", "early", "early", "late"],
            "value": [3.0, 1.0, 2.0, 5.0],
        }
    )
    filled = with_gaps(frame, ["series"])
    assert list(filled.columns) == ["month", "series", "value"]
    assert list(filled["series"]) == ["late", "late", "late", "early", "early"]  # as they came
    late = filled[filled["series"] == "late"]
    assert [m.strftime("%Y-%m") for m in late["month"]] == ["2024-03", "2024-04", "2024-05"]
    assert late["value"].isna().tolist() == [False, True, False]  # the gap is empty, never 0
    early = filled[filled["series"] == "early"]
    assert early["month"].max() == pd.Timestamp("2024-02-01")  # nothing after it ends
    assert with_gaps(frame.iloc[0:0], ["series"]).empty
