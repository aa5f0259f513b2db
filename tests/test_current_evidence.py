"""Current evidence (issue 15): recency, flows, breaks, pre-existence, paired intervals, and a
report from the shipped snapshot whose CSVs carry no invented zeros."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from test_report_index import StubRenderer  # tests/ is on sys.path

from analysis.benchmark_interval import UNDETERMINED, case_interval, case_intervals
from analysis.currency import (
    MAX_AGE_MONTHS,
    age_months,
    blank_before_first,
    breaks_in_window,
    drop_pre_existence,
    latest_comparable,
    with_recency,
)
from analysis.headline import signal_shares, signal_summary
from analysis.pypi_growth import crossover_range, relative_to_references, series_growth
from reports.build import build_report
from warehouse.db import connect
from warehouse.snapshot import SNAPSHOT_DIR, restore_snapshot


def rows(signal: str, granularity: str, values: dict[str, list[float | None]], start: str,
         flags: dict[int, str] | None = None) -> pd.DataFrame:  # fmt: skip
    """Signal-contract rows: one list of values per framework from ``start``."""
    freq = "MS" if granularity == "month" else "YS"
    out = []
    for framework, series in values.items():
        for i, (period, value) in enumerate(
            zip(pd.date_range(start, periods=len(series), freq=freq), series, strict=True)
        ):
            if value is None:
                continue
            out.append(
                (signal, signal, period, granularity, framework, float(value),
                 (flags or {}).get(i, ""), "x")
            )  # fmt: skip
    columns = ["signal", "signal_label", "period", "granularity", "framework", "value",
               "flags", "source"]  # fmt: skip
    return pd.DataFrame(out, columns=columns)


def test_age_counts_whole_months_from_the_end_of_the_period():
    assert age_months("2024-12-01", "month", date(2026, 6, 30)) == 18
    assert age_months("2024-11-01", "month", date(2026, 6, 30)) == 19
    assert age_months("2024-01-01", "year", date(2026, 6, 29)) == 17  # ends 2024-12-31
    assert age_months("2026-06-01", "month", date(2026, 6, 15)) == 0  # still running


def test_recency_splits_current_from_history():
    frame = pd.concat(
        [
            rows("fresh", "month", {"torch": [6, 7], "tensorflow": [4, 3]}, "2026-01-01"),
            rows("old", "year", {"torch": [1, 2], "tensorflow": [3, 3]}, "2021-01-01"),
        ]
    )
    summary = with_recency(signal_summary(signal_shares(frame)), date(2026, 11, 30))
    status = summary.set_index("signal")[["age_months", "current"]]
    assert status.loc["fresh"].tolist() == [9, True]
    assert status.loc["old"].tolist() == [47, False]
    stale = with_recency(signal_summary(signal_shares(frame)), date(2026, 11, 30), 6)
    assert not stale["current"].any()
    assert MAX_AGE_MONTHS == 18


def test_zeros_before_a_framework_exists_are_absent_not_zero():
    frame = rows("qa", "month", {"torch": [0, 0, 3, 0], "tensorflow": [5, 6, 7, 8]}, "2016-01-01")
    cleaned = drop_pre_existence(frame)
    torch = cleaned[cleaned["framework"] == "torch"]["value"].tolist()
    assert np.isnan(torch[0]) and np.isnan(torch[1])
    assert torch[2:] == [3.0, 0.0]  # a zero after the first question is a measured zero
    shares = signal_shares(frame)
    assert shares["period"].min() == pd.Timestamp("2016-03-01")  # no 0 % before existence
    assert (shares["share"].dropna() > 0).sum() == 1


def test_blank_before_first_clears_derived_columns_too():
    frame = pd.DataFrame(
        {
            "term": ["PyTorch"] * 3,
            "year": [2015, 2016, 2017],
            "posts": [0, 0, 4],
            "share": [0.0, 0.0, 0.01],
        }  # fmt: skip
    )
    out = blank_before_first(frame, "term", "year", "posts", also=("share",))
    assert out["posts"].isna().tolist() == [True, True, False]
    assert out["share"].isna().tolist() == [True, True, False]


def test_a_year_spanning_a_method_break_names_it():
    values = {"torch": [10] * 12 + [30], "tensorflow": [10] * 12 + [12]}
    frame = rows("pypi", "month", values, "2024-03-01", flags={4: "method_break"})
    shares = signal_shares(frame)
    last = shares.iloc[-1]
    assert last["torch_yoy"] == pytest.approx(2.0)
    assert last["growth_breaks"] == "method_break"
    assert breaks_in_window(["", "level_shift", "", ""], 2) == [
        "",
        "level_shift",
        "level_shift",
        "",
    ]
    assert signal_summary(shares).iloc[0]["growth_breaks"] == "method_break"


def test_crossover_across_a_break_is_flagged():
    values = {"torch": [4, 4, 6, 6], "tensorflow": [6, 6, 4, 4]}
    frame = rows("s", "month", values, "2025-01-01", flags={2: "method_break"})
    summary = signal_summary(signal_shares(frame)).iloc[0]
    assert summary["crossover_sustained"] == pd.Timestamp("2025-03-01")
    assert summary["crossover_breaks"] == "method_break"


def test_a_period_with_another_venue_set_is_never_the_latest():
    frame = rows("papers", "year", {"torch": [5, 9], "tensorflow": [5, 1]}, "2020-01-01",
                 flags={1: "venue_set_change"})  # fmt: skip
    shares = signal_shares(frame)
    assert latest_comparable(shares[shares["observed"]])["period"] == pd.Timestamp("2020-01-01")
    summary = signal_summary(shares).iloc[0]
    assert summary["latest_share"] == pytest.approx(0.5)
    assert summary["last_observed_period"] == pd.Timestamp("2021-01-01")


def test_market_share_among_every_recorded_framework():
    values = {"torch": [60], "tensorflow": [20], "jax": [10], "keras": [10]}
    summary = signal_summary(signal_shares(rows("s", "month", values, "2026-01-01"))).iloc[0]
    assert summary["latest_share"] == pytest.approx(0.75)  # PyTorch of the two
    assert summary["tensorflow_share_all"] == pytest.approx(0.20)  # TensorFlow of all four
    assert summary["frameworks"] == "jax,keras,tensorflow,torch"


def test_case_interval_uses_the_one_interval_and_verdict():
    found = case_interval([2.0, 2.2, 1.8], [1.0, 1.0, 1.0], 0.2)
    assert found["pairs"] == 3
    assert found["low"] < found["ratio"] < found["high"]
    assert found["ratio"] == pytest.approx((2.0 * 2.2 * 1.8) ** (1 / 3))
    assert found["verdict"] == "PyTorch faster"
    one = case_interval([2.0], [1.0], 0.2)  # one pair: a ratio but no interval, no verdict
    assert np.isnan(one["low"]) and one["verdict"] == UNDETERMINED
    wide = case_interval([1.3, 0.9, 1.2], [1.0, 1.0, 1.0], 0.2)  # includes parity and 1.3x
    assert wide["verdict"] == UNDETERMINED


def test_cases_pair_by_pair_id_and_never_fill_a_missing_side():
    rows = pd.DataFrame(
        {
            "case": ["gpt"] * 5,
            "framework": ["torch", "tensorflow", "tensorflow", "torch", "torch"],
            "value": [2.0, 1.0, 1.0, 2.1, 9.0],
            "pair_id": ["a", "a", "b", "b", "c"],  # pair c has no TensorFlow process
        }
    )
    found = case_intervals(rows, 0.2).set_index("case")
    assert found.loc["gpt", "pairs"] == 2
    assert found.loc["gpt", "ratio"] == pytest.approx((2.0 * 2.1) ** 0.5)


def test_pypi_growth_relative_to_reference_packages():
    months = pd.date_range("2024-01-01", periods=13, freq="MS")
    monthly = pd.concat(
        [
            pd.DataFrame({"series": name, "month": months, "downloads": [base] * 12 + [end]})
            for name, base, end in (
                ("torch", 100, 224), ("numpy", 100, 239), ("pip", 100, 188), ("pandas", 100, 229)
            )
        ]
    )  # fmt: skip
    flags = pd.DataFrame({"month": [pd.Timestamp("2024-07-01")], "flags": ["method_break"]})
    growth = relative_to_references(series_growth(monthly, flags)).set_index("series")
    assert growth.loc["torch", "growth"] == pytest.approx(1.24)
    assert growth.loc["torch", "reference_growth"] == pytest.approx(1.29)  # median reference
    assert growth.loc["torch", "relative"] == pytest.approx(2.24 / 2.29 - 1)
    assert growth.loc["torch", "breaks"] == "method_break"


def test_crossover_range_over_tensorflow_definitions():
    months = pd.date_range("2024-01-01", periods=3, freq="MS")
    families = pd.concat(
        [
            pd.DataFrame({"month": months, "series": "torch", "downloads": [40, 55, 70]}),
            pd.DataFrame({"month": months, "series": "tf", "downloads": [50, 50, 50]}),
            pd.DataFrame({"month": months, "series": "tf_family", "downloads": [60, 60, 60]}),
        ]
    )
    found = crossover_range(families, {"alone": ("tf",), "family": ("tf_family",)})
    by = {f["definition"]: f for f in found}
    assert by["alone"]["sustained"] == pd.Timestamp("2024-02-01")
    assert by["family"]["sustained"] == pd.Timestamp("2024-03-01")


# Columns that hold a measure of a framework, tag or package in a period: a 0 there would be
# an invented zero (a missing month, or a period before the thing existed); a -100 % growth is
# the same zero seen through a ratio.
MEASURES = {
    "torch", "tensorflow", "share", "downloads", "questions", "share_of_all", "value",
    "papers", "posts_matching", "share_of_posts", "dependents", "new_stars",
}  # fmt: skip


@pytest.mark.skipif(not (SNAPSHOT_DIR / "manifest.json").is_file(), reason="no shipped snapshot")
def test_report_csvs_from_the_shipped_snapshot_have_no_invented_zeros(tmp_path):
    con = connect(":memory:")
    restore_snapshot(con)
    result = build_report(
        con, tmp_path / "out", data_as_of=date(2026, 11, 30), renderer=StubRenderer(tmp_path / "c")
    )
    csvs = sorted((result.folder / "figures").glob("*.csv"))
    assert len(csvs) > 10
    zeros = {}
    for path in csvs:
        frame = pd.read_csv(path)
        for column in set(frame.columns) & MEASURES:
            values = pd.to_numeric(frame[column], errors="coerce")
            if (values == 0).any():
                zeros[f"{path.name}:{column}"] = int((values == 0).sum())
        for column in [c for c in frame.columns if "growth" in c or c.endswith("_yoy")]:
            values = pd.to_numeric(frame[column], errors="coerce")
            if (values <= -1).any():
                zeros[f"{path.name}:{column} (-100 %)"] = int((values <= -1).sum())
    assert zeros == {}
    index = pd.read_csv(result.folder / "figures/headline-adoption-index.csv")
    assert index["current"].all() and (index["age_months"] <= MAX_AGE_MONTHS).all()
    assert "github_stars" in set(index["signal"])  # new stars, a flow
    history = pd.read_csv(result.folder / "figures/headline-history.csv")
    assert not history["current"].any()
    assert {"qa_questions", "paper_mentions", "survey_kaggle"} <= set(history["signal"])
