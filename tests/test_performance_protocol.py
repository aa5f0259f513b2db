"""The paired protocol's statistics (analysis.performance): interval, verdict, pairing, pilot."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.performance import (
    best_modes,
    paired_log_ratio_interval,
    paired_ratios,
    t_quantile_975,
    verdict,
)


def test_interval_by_hand():
    # log-ratios ln 1.1, ln 1.2, 0: mean 0.092538, sd 0.091193, t(0.975, 2) = 4.303
    got = paired_log_ratio_interval([110, 120, 100], [100, 100, 100])
    assert got["pairs"] == 3
    assert got["ratio"] == pytest.approx(math.exp(0.092538), rel=1e-5)
    assert got["ratio_low"] == pytest.approx(0.87458, rel=1e-4)
    assert got["ratio_high"] == pytest.approx(1.37590, rel=1e-4)


def test_interval_is_symmetric_when_the_frameworks_swap():
    t, k = [300.0, 280.0, 310.0, 295.0, 305.0], [250.0, 260.0, 240.0, 255.0, 262.0]
    ab, ba = paired_log_ratio_interval(t, k), paired_log_ratio_interval(k, t)
    assert ab["ratio_low"] == pytest.approx(1 / ba["ratio_high"])
    assert ab["ratio_high"] == pytest.approx(1 / ba["ratio_low"])


def test_identical_pairs_give_a_zero_width_interval():
    got = paired_log_ratio_interval([200.0] * 5, [100.0] * 5)
    assert got["ratio_low"] == pytest.approx(2.0)
    assert got["ratio_high"] == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("torch_rates", "tf_rates", "message"),
    [
        ([1.0], [1.0], "at least 2"),
        ([1.0, 2.0], [1.0], "equal-length"),
        ([1, 0], [1, 1], "positive"),
    ],
)
def test_interval_rejects_bad_input(torch_rates, tf_rates, message):
    with pytest.raises(ValueError, match=message):
        paired_log_ratio_interval(torch_rates, tf_rates)


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0.90, 1.10, "comparable"),
        (1 / 1.2, 1.2, "comparable"),  # the band's edges are inside
        (0.95, 1.25, "undetermined"),  # straddles the upper edge
        (0.50, 1.50, "undetermined"),  # too wide to say anything
        (1.21, 1.60, "PyTorch faster"),
        (0.40, 0.80, "TensorFlow faster"),
        (0.80, 0.90, "undetermined"),  # 0.8 < 1/1.2: straddles the lower edge
    ],
)
def test_verdict_follows_the_whole_interval(low, high, expected):
    assert verdict(low, high) == expected


def test_verdict_rejects_an_inverted_interval():
    with pytest.raises(ValueError, match="low <= high"):
        verdict(1.2, 1.1)


def test_t_quantiles():
    assert t_quantile_975(4) == pytest.approx(2.776)
    assert t_quantile_975(1000) == pytest.approx(1.96)
    with pytest.raises(ValueError, match=">= 1"):
        t_quantile_975(0)


def protocol_rows(pairs: int, torch_rate: float, tf_rate: float, rng) -> list[dict]:
    rows = []
    for i in range(pairs):
        noise = float(rng.normal(0, 0.02))
        for framework, mode, rate, gflops in (
            ("torch", "torch-eager", torch_rate * math.exp(noise), 210.0),
            ("tensorflow", "keras-fit", tf_rate, 400.0),
        ):
            rows.append(
                {
                    "hardware": "AMD EPYC (2 cores)",
                    "model": "gpt",
                    "pairing": "default",
                    "precision": "fp32",
                    "device": "cpu",
                    "layout": "n/a",
                    "pair_id": f"p{i}",
                    "framework": framework,
                    "mode": mode,
                    "samples_per_s": rate,
                    "matmul_gflops": gflops,
                }
            )
    return rows


def test_paired_ratios_pair_by_pair_id_and_drop_incomplete_pairs():
    rng = np.random.default_rng(0)
    rows = protocol_rows(6, 60.0, 100.0, rng)
    rows = rows[:-1]  # the last pair lost its TensorFlow process: dropped, not zero
    runs = pd.DataFrame(rows)
    got = paired_ratios(runs).iloc[0]
    assert got["pairs"] == 5
    torch_rates = [r["samples_per_s"] for r in rows if r["framework"] == "torch"][:5]
    expected = paired_log_ratio_interval(torch_rates, [100.0] * 5)
    assert got["ratio_low"] == pytest.approx(expected["ratio_low"])
    assert got["verdict"] == "TensorFlow faster"
    assert got["torch_matmul_gflops"] == 210.0
    assert got["tensorflow_matmul_gflops"] == 400.0
    assert got["matmul_ratio"] == pytest.approx(210.0 / 400.0)
    assert got["torch_mode"] == "torch-eager"


def test_legacy_footing_gets_its_own_interval():
    rng = np.random.default_rng(1)
    equal = pd.DataFrame(protocol_rows(3, 100.0, 100.0, rng)).assign(footing="equal")
    legacy = pd.DataFrame(protocol_rows(3, 60.0, 100.0, rng)).assign(footing="legacy")
    legacy["pair_id"] = "old-" + legacy["pair_id"]
    got = paired_ratios(pd.concat([equal, legacy])).set_index("footing")
    assert got.loc["equal", "verdict"] == "comparable"
    assert got.loc["legacy", "verdict"] == "TensorFlow faster"


def test_best_modes_use_pilot_medians_not_the_luckiest_run():
    pilot = pd.DataFrame(
        {
            "model": ["cnn"] * 6,
            "framework": ["tensorflow"] * 6,
            "mode": ["tf-xla"] * 3 + ["tf-function"] * 3,
            "samples_per_s": [1000.0, 500.0, 510.0, 800.0, 790.0, 810.0],
        }
    )
    assert best_modes(pilot) == {("cnn", "tensorflow"): "tf-function"}
