"""The adoption-index definitions (analysis/headline.py): shares, gaps, flags, growth, crossover."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.headline import check_signals, format_period, signal_shares, signal_summary


def rows(
    signal: str,
    granularity: str,
    values: dict[str, dict[str, float]],
    flags: dict[str, str] | None = None,
    source: str = "src",
) -> pd.DataFrame:
    """Signal-contract rows from {period: {framework: value}}."""
    flags = flags or {}
    return pd.DataFrame(
        [
            {
                "signal": signal,
                "signal_label": signal.title(),
                "period": pd.Timestamp(period),
                "granularity": granularity,
                "framework": framework,
                "value": value,
                "flags": flags.get(period, ""),
                "source": source,
            }
            for period, by_framework in values.items()
            for framework, value in by_framework.items()
        ]
    )


def test_share_per_period_with_gap_and_missing_framework():
    frame = rows(
        "dl",
        "month",
        {
            "2024-01-01": {"torch": 30, "tensorflow": 70, "jax": 500},
            "2024-02-01": {"torch": 50},  # TensorFlow missing: no share
            # 2024-03 absent entirely: a gap row
            "2024-04-01": {"torch": 3, "tensorflow": 1},
        },
        flags={"2024-02-01": "method_break"},
    )
    out = signal_shares(frame).set_index("period")
    assert list(out.index.strftime("%Y-%m")) == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert out.loc["2024-01-01", "share"] == pytest.approx(0.3)  # jax is not in the denominator
    assert math.isnan(out.loc["2024-02-01", "share"])
    assert math.isnan(out.loc["2024-03-01", "share"])
    assert out.loc["2024-04-01", "share"] == pytest.approx(0.75)
    assert out.loc["2024-02-01", "flags"] == "method_break"
    assert bool(out.loc["2024-02-01", "flagged"]) is True
    assert list(out["observed"]) == [True, False, False, True]


def test_yearly_grid_and_growth():
    frame = rows(
        "survey",
        "year",
        {
            "2019-01-01": {"torch": 10, "tensorflow": 40},
            "2021-01-01": {"torch": 30, "tensorflow": 30},
            "2022-01-01": {"torch": 45, "tensorflow": 15},
        },
    )
    out = signal_shares(frame).set_index("period")
    assert len(out) == 4  # 2020 is a gap row
    assert out.loc["2022-01-01", "torch_yoy"] == pytest.approx(0.5)
    assert out.loc["2022-01-01", "tensorflow_yoy"] == pytest.approx(-0.5)
    assert out.loc["2022-01-01", "share_change_1y"] == pytest.approx(0.25)
    assert math.isnan(out.loc["2021-01-01", "torch_yoy"])  # a year earlier is the gap


def test_summary_crossover_and_counts():
    values = {f"2023-{m:02d}-01": {"torch": float(m), "tensorflow": 6.0} for m in range(1, 13)}
    frame = rows("dl", "month", values, flags={"2023-03-01": "undercount"})
    summary = signal_summary(signal_shares(frame)).iloc[0]
    assert summary["crossover_first"] == pd.Timestamp("2023-07-01")  # 7 / 13 > 0.5
    assert summary["crossover_sustained"] == pd.Timestamp("2023-07-01")
    assert summary["latest_share"] == pytest.approx(12 / 18)
    assert summary["flagged_periods"] == 1
    assert summary["periods"] == 12
    assert format_period(summary["latest_period"], "month") == "2023-12"


def test_several_signals_are_kept_apart():
    frame = pd.concat(
        [
            rows("a", "month", {"2024-01-01": {"torch": 1, "tensorflow": 1}}),
            rows("b", "year", {"2020-01-01": {"torch": 1, "tensorflow": 3}}),
        ]
    )
    out = signal_shares(frame)
    assert out.groupby("signal")["share"].first().to_dict() == {"a": 0.5, "b": 0.25}


def test_contract_violations_name_the_view():
    frame = rows("a", "week", {"2024-01-01": {"torch": 1, "tensorflow": 1}})
    with pytest.raises(ValueError, match="signal_a: unknown granularity"):
        check_signals(frame, "signal_a")
    with pytest.raises(ValueError, match=r"signal_b: signal rows lack column\(s\) \['flags'\]"):
        check_signals(frame.drop(columns="flags"), "signal_b")
    mid_month = rows("c", "month", {"2024-01-15": {"torch": 1, "tensorflow": 1}})
    with pytest.raises(ValueError, match="signal_c: period 2024-01-15 00:00:00 of c is not"):
        check_signals(mid_month, "signal_c")
    mid_year = rows("d", "year", {"2024-03-01": {"torch": 1, "tensorflow": 1}})
    with pytest.raises(ValueError, match="is not the start of its year"):
        check_signals(mid_year, "signal_d")


positive = st.floats(min_value=0.5, max_value=1e9, allow_nan=False)
series = st.lists(st.tuples(positive, positive), min_size=1, max_size=30)


def _monthly(
    pairs: list[tuple[float, float]], drop: set[int] = frozenset(), flagged: set[int] = frozenset()
) -> pd.DataFrame:
    periods = pd.date_range("2020-01-01", periods=len(pairs), freq="MS")
    values = {
        str(p.date()): ({"torch": t} if i in drop else {"torch": t, "tensorflow": f})
        for i, (p, (t, f)) in enumerate(zip(periods, pairs, strict=True))
    }
    flags = {str(periods[i].date()): "method_break" for i in flagged}
    return rows("s", "month", values, flags)


@settings(max_examples=25, deadline=None)
@given(series, st.floats(min_value=1e-3, max_value=1e6))
def test_scaling_a_series_leaves_shares_unchanged(pairs, factor):
    base = signal_shares(_monthly(pairs))
    scaled = signal_shares(_monthly([(t * factor, f * factor) for t, f in pairs]))
    pd.testing.assert_series_equal(base["share"], scaled["share"], rtol=1e-9)


@settings(max_examples=25, deadline=None)
@given(positive, positive, st.integers(min_value=13, max_value=40))
def test_a_flat_series_has_zero_growth(torch, tensorflow, months):
    out = signal_shares(_monthly([(torch, tensorflow)] * months))
    grown = out.iloc[12:]
    assert (grown["torch_yoy"] == 0).all()
    assert (grown["tensorflow_yoy"] == 0).all()
    assert (grown["share_change_1y"].abs() < 1e-12).all()
    assert out.iloc[:12]["torch_yoy"].isna().all()  # no year-earlier value: no growth


@settings(max_examples=40, deadline=None)
@given(
    series.flatmap(
        lambda pairs: st.tuples(
            st.just(pairs),
            st.sets(st.integers(0, len(pairs) - 1)),
            st.sets(st.integers(0, len(pairs) - 1)),
        )
    )
)
def test_a_flagged_period_is_never_interpolated_silently(case):
    pairs, dropped, flagged = case
    out = signal_shares(_monthly(pairs, dropped, flagged))
    kept = [i for i in range(len(pairs)) if i not in dropped]
    if not kept:  # no period with both frameworks: no index at all
        assert out.empty
        return
    span = range(kept[0], kept[-1] + 1)  # first to last period with a share, gaps included
    assert len(out) == len(span)
    for row, i in zip(out.itertuples(), span, strict=True):
        torch, tensorflow = pairs[i]
        assert row.flagged is (i in flagged)  # the flag stays on its period
        if i in dropped:
            assert math.isnan(row.share)  # a missing value stays missing
            assert not row.observed
        else:  # the share comes from this period's own values, nothing borrowed
            assert row.share == pytest.approx(torch / (torch + tensorflow))


def test_crossover_labels_close_together_are_moved_apart():
    from reports.figures.headline import LABEL_HEIGHT, _label_heights

    crossovers = pd.DataFrame(
        {
            "period": pd.to_datetime(["2024-09-01", "2023-09-01", "2024-04-01", "2020-12-01"]),
            "share": [0.62, 0.58, 0.53, 0.92],
        }
    )
    heights = _label_heights(crossovers)
    assert heights[1] == 0.58 and heights[3] == 0.92  # nothing near: at their own share
    assert heights[2] == pytest.approx(0.53)  # 5 points below 2023-09's: clear of it
    assert heights[0] == pytest.approx(0.62 - 3 * LABEL_HEIGHT)  # clear of both
    placed = sorted(zip(crossovers["period"], heights, strict=True))
    for (p1, h1), (p2, h2) in zip(placed, placed[1:], strict=False):
        assert (p2 - p1).days >= 15 * 30.5 or abs(h1 - h2) >= LABEL_HEIGHT - 1e-9


def test_right_aligned_crossover_labels_overlap_leftwards():
    from reports.figures.headline import LABEL_HEIGHT, _label_heights

    crossovers = pd.DataFrame(
        {
            "period": pd.to_datetime(["2024-04-01", "2024-09-01", "2026-01-01"]),
            "share": [0.53, 0.53, 0.53],
            "label_align": ["right", "right", "left"],
        }
    )
    heights = _label_heights(crossovers)
    assert heights[0] == 0.53  # placed first
    assert heights[1] == pytest.approx(0.53 - LABEL_HEIGHT)  # spans back over 2024-04's label
    assert heights[2] == 0.53  # spans forwards from 2026: clear of both
