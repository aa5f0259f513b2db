"""Claim verdicts (analysis/verdicts.py, analysis/claims.toml) and their warehouse inputs."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.verdicts import (
    CONTRADICTED,
    INSUFFICIENT,
    MIXED,
    STALE,
    SUPPORTED,
    UNDETERMINED_VERDICT,
    Claim,
    evaluate,
    evaluate_all,
    load_claims,
    verdict_frame,
)
from reports.figures.verdicts import benchmark_rows, compute_verdicts

AS_OF = date(2026, 6, 30)


def summary(*signals: tuple[str, float, str, float]) -> pd.DataFrame:
    """(signal, latest share, latest period, share change over a year) -> a summary frame."""
    return pd.DataFrame(
        [
            {
                "signal": name,
                "signal_label": name,
                "granularity": "month",
                "latest_share": share,
                "latest_period": pd.Timestamp(period),
                "share_change_1y": change,
                "tensorflow_share_all": 1 - share,
                "frameworks": "tensorflow,torch",
            }
            for name, share, period, change in signals
        ]
    )


def claim(rule: str, signals: tuple[str, ...] = ("*",), **kwargs: object) -> Claim:
    return Claim(
        id="c",
        claim="c",
        heard_in="",
        metric="",
        rule=rule,
        evidence="x",
        signals=signals,
        **kwargs,
    )  # type: ignore[arg-type]


def test_repository_claims_file_has_every_claim_of_the_issue():
    claims = {c.id: c for c in load_claims()}
    assert set(claims) == {
        "research-dominance",
        "industry-dominance",
        "tensorflow-38-percent",
        "pytorch-closing-gap",
        "performance-comparable",
        "tensorflow-more-pretrained",
        "pytorch-default-today",
        "tensorflow-edge-deployment",
    }
    assert all(c.evidence and c.metric for c in claims.values())
    assert claims["tensorflow-38-percent"].target == pytest.approx(0.38)


def test_bad_claims_file_names_the_claim(tmp_path):
    path = tmp_path / "claims.toml"
    path.write_text(
        '[[claim]]\nid = "x"\nclaim = "y"\nheard_in = ""\nmetric = ""\n'
        'rule = "vibes"\nevidence = "e"\n'
    )
    with pytest.raises(ValueError, match="claim 'x' has unknown rule 'vibes'"):
        load_claims(path)


@pytest.mark.parametrize(
    ("shares", "expected"),
    [([0.7, 0.8], SUPPORTED), ([0.3, 0.2], CONTRADICTED), ([0.7, 0.2], MIXED), ([], INSUFFICIENT)],
)
def test_share_above_aggregates_signals(shares, expected):
    frame = summary(*[(f"s{i}", v, "2026-01-01", 0.0) for i, v in enumerate(shares)])
    assert evaluate(claim("share_above"), frame, AS_OF).verdict == expected


def test_only_named_signals_count_and_absent_ones_mean_insufficient_data():
    frame = summary(("pypi_downloads", 0.8, "2026-01-01", 0.1))
    verdict = evaluate(claim("share_above", ("paper_mentions",)), frame, AS_OF)
    assert verdict.verdict == INSUFFICIENT
    assert "paper_mentions" in verdict.detail


def test_tensorflow_share_near_target():
    near = summary(("a", 0.60, "2026-01-01", 0.0))  # TF 40 %: within 5 pp of 38 %
    far = summary(("a", 0.80, "2026-01-01", 0.0))  # TF 20 %
    rule = claim("tf_share_near", target=0.38, tolerance=0.05)
    assert evaluate(rule, near, AS_OF).verdict == SUPPORTED
    assert evaluate(rule, far, AS_OF).verdict == CONTRADICTED
    assert "TensorFlow a 2026-01, 5 months old: 20% of tensorflow, torch" in (
        evaluate(rule, far, AS_OF).detail
    )


def test_market_share_is_among_every_framework_the_signal_records():
    # TensorFlow 40 % of PyTorch+TensorFlow (near 38 %), but 25 % once JAX and Keras count.
    frame = summary(("a", 0.60, "2026-01-01", 0.0)).assign(
        tensorflow_share_all=0.25, frameworks="jax,keras,tensorflow,torch"
    )
    verdict = evaluate(claim("tf_share_near", target=0.38, tolerance=0.05), frame, AS_OF)
    assert verdict.verdict == CONTRADICTED
    assert "25% of jax, keras, tensorflow, torch" in verdict.detail


def test_closing_gap():
    rule = claim("closing_gap")
    assert evaluate(rule, summary(("a", 0.4, "2026-01-01", 0.05)), AS_OF).verdict == SUPPORTED
    flat = evaluate(rule, summary(("a", 0.4, "2026-01-01", 0.004)), AS_OF)
    assert flat.verdict == CONTRADICTED  # +0.4 pp is not closing a gap
    assert "+0.4 pp in a year" in flat.detail
    assert evaluate(rule, summary(("a", 0.4, "2026-01-01", -0.05)), AS_OF).verdict == CONTRADICTED
    passed = evaluate(rule, summary(("a", 0.7, "2026-01-01", 0.05)), AS_OF)
    assert passed.verdict == CONTRADICTED
    assert "gap closed" in passed.detail
    unknown = summary(("a", 0.4, "2026-01-01", float("nan")))
    assert evaluate(rule, unknown, AS_OF).verdict == INSUFFICIENT


def test_a_flagged_latest_period_is_named_in_the_evidence():
    frame = summary(("a", 0.8, "2026-01-01", 0.0)).assign(latest_flags="method_break")
    verdict = evaluate(claim("share_above"), frame, AS_OF)
    assert verdict.verdict == SUPPORTED
    assert "a 2026-01, 5 months old: 80% [flagged period: method_break]" in verdict.detail


def test_present_tense_claims_read_only_current_signals():
    # 2024-12 ended 18 months before 2026-06-30: current; 2024-11 is 19 months old: history.
    frame = summary(
        ("old", 0.2, "2019-01-01", 0.0),
        ("edge", 0.2, "2024-11-01", 0.0),
        ("new", 0.8, "2024-12-01", 0.0),
    )
    verdict = evaluate(claim("share_above"), frame, AS_OF)
    assert verdict.verdict == SUPPORTED
    assert verdict.confidence == "1 of 1 current signals agree"
    assert "history only: old (ends 2019-01, 7 years 5 months old; PyTorch share 20%)" in (
        verdict.detail
    )
    assert [s.split(" (")[0] for s in verdict.stale] == ["edge", "old"]
    assert evaluate(claim("share_above"), frame, AS_OF, max_age_months=30).verdict == MIXED


def test_a_claim_with_only_stale_evidence_is_insufficient_current_data():
    frame = summary(("paper_mentions", 0.84, "2022-01-01", 0.06))
    verdict = evaluate(claim("share_above", ("paper_mentions",)), frame, AS_OF)
    assert verdict.verdict == STALE
    assert "paper_mentions (ends 2022-01, 4 years 5 months old; PyTorch share 84%)" in (
        verdict.detail
    )
    past = claim("share_above", ("paper_mentions",), present=False)
    assert evaluate(past, frame, AS_OF).verdict == SUPPORTED  # a claim about the past may


def test_every_verdict_states_its_confidence():
    frame = summary(("a", 0.7, "2026-01-01", 0.0), ("b", 0.8, "2026-03-01", 0.0))
    frame = pd.concat([frame, summary(("c", 0.3, "2026-02-01", 0.0))], ignore_index=True)
    verdicts = evaluate_all([claim("share_above")], frame, AS_OF)
    table = verdict_frame(verdicts)
    assert table.loc[0, "verdict"] == MIXED
    assert table.loc[0, "confidence"] == "2 of 3 current signals agree"


def _runs(case: str, torch: list[float], tensorflow: list[float]) -> pd.DataFrame:
    rows = []
    for k, (t, f) in enumerate(zip(torch, tensorflow, strict=True)):
        rows.append((case, "torch", t, pd.Timestamp("2026-01-01") + pd.Timedelta(minutes=2 * k)))
        rows.append(
            (case, "tensorflow", f, pd.Timestamp("2026-01-01") + pd.Timedelta(minutes=2 * k + 1))
        )
    return pd.DataFrame(rows, columns=["case", "framework", "value", "started_at"])


def test_benchmark_interval_decides_on_the_whole_interval():
    rule = claim("benchmark_interval", tolerance=0.2, sql="SELECT 1")
    tight = _runs("mlp", [101, 99, 100, 102, 98], [100, 100, 99, 101, 99])  # ~1.00x, narrow
    faster = _runs("gpt", [150, 152, 149, 151, 150], [100, 101, 99, 100, 100])  # ~1.5x
    # Ranges that include parity but also 1.3x: CNN-like noise, neither comparable nor faster.
    noisy = _runs("cnn", [236, 259, 221, 257, 262], [202, 205, 239, 218, 209])
    assert evaluate(rule, summary(), AS_OF, tight).verdict == SUPPORTED
    assert evaluate(rule, summary(), AS_OF, faster).verdict == CONTRADICTED
    undecided = evaluate(rule, summary(), AS_OF, noisy)
    assert undecided.verdict == UNDETERMINED_VERDICT
    assert "95 % interval 0.98-1.35x over 5 pairs (band 0.83-1.20x): undetermined" in (
        undecided.detail
    )
    both = evaluate(rule, summary(), AS_OF, pd.concat([tight, faster, noisy]))
    assert both.verdict == MIXED
    assert both.confidence == "1 of 3 cases agree, 1 undetermined"
    assert evaluate(rule, summary(), AS_OF, None).verdict == INSUFFICIENT


def _signal_view(con, name: str, torch: float, tensorflow: float, period: str = "2026-01-01"):
    con.execute(f"""CREATE OR REPLACE VIEW signal_{name} AS
        SELECT * FROM (VALUES
          ('{name}', '{name} label', DATE '{period}', 'month', 'torch', {torch}::DOUBLE, '', 'x'),
          ('{name}', '{name} label', DATE '{period}', 'month', 'tensorflow', {tensorflow}::DOUBLE,
           '', 'x'))
        t(signal, signal_label, period, granularity, framework, value, flags, source)""")


def test_verdicts_follow_the_warehouse(con):
    before = {v.claim.id: v.verdict for v in compute_verdicts(con)}
    assert set(before.values()) == {INSUFFICIENT}  # empty warehouse

    _signal_view(con, "paper_mentions", 80, 20)
    _signal_view(con, "pypi_downloads", 30, 70)
    now = {v.claim.id: v for v in compute_verdicts(con)}
    assert now["research-dominance"].verdict == SUPPORTED
    assert now["industry-dominance"].verdict == SUPPORTED
    assert now["pytorch-default-today"].verdict == MIXED
    assert now["performance-comparable"].verdict == INSUFFICIENT  # no benchmark_runs

    _signal_view(con, "pypi_downloads", 90, 10)  # the data changes: so do the verdicts
    later = {v.claim.id: v for v in compute_verdicts(con)}
    assert later["industry-dominance"].verdict == CONTRADICTED
    assert later["pytorch-default-today"].verdict == SUPPORTED


def test_benchmark_claim_reads_benchmark_rows(con):
    con.execute("DROP VIEW IF EXISTS benchmark_runs")
    rows = []
    for k, (torch, tf) in enumerate([(1000, 950), (1010, 960), (990, 955)]):
        rows += [
            f"('mlp', 'cpu', 'torch', 'torch-eager', {torch}.0, 'default', 'equal', 'p{k}', "
            f"'n/a', 'none', 'fp32', TIMESTAMP '2026-01-01 00:0{2 * k}:00')",
            f"('mlp', 'cpu', 'tensorflow', 'keras-fit', {tf}.0, 'default', 'equal', 'p{k}', "
            f"'n/a', 'none', 'fp32', TIMESTAMP '2026-01-01 00:0{2 * k + 1}:00')",
        ]
    rows += [  # a pilot run, the legacy footing and a PyTorch NCHW CNN row: none is read
        "('mlp', 'cpu', 'tensorflow', 'tf-xla', 9000.0, 'pilot', 'equal', NULL, 'n/a', "
        "'none', 'fp32', TIMESTAMP '2026-01-01 00:07:00')",
        "('mlp', 'cpu', 'torch', 'torch-eager', 9000.0, 'default', 'legacy', 'q0', 'n/a', "
        "'none', 'fp32', TIMESTAMP '2026-01-01 00:08:00')",
        "('mlp', 'cpu', 'torch', 'torch-eager', 9000.0, 'default', 'equal', 'p0', 'nchw', "
        "'none', 'fp32', TIMESTAMP '2026-01-01 00:09:00')",
    ]
    con.execute(
        "CREATE VIEW benchmark_runs AS SELECT * FROM (VALUES " + ", ".join(rows) + ") "
        "t(model, hardware, framework, mode, samples_per_s, pairing, footing, pair_id, layout, "
        "distributed, precision, started_at)"
    )
    verdict = {v.claim.id: v for v in compute_verdicts(con)}["performance-comparable"]
    assert verdict.verdict == SUPPORTED
    assert "mlp default / cpu: paired PyTorch/TensorFlow ratio 1.05x" in verdict.detail
    assert verdict.confidence == "1 of 1 cases agree"


def test_benchmark_claim_sql_fits_the_benchmark_dataset(con):
    """Once a benchmark_runs dataset exists, the claim's query must bind against it."""
    rule = next(c for c in load_claims() if c.rule == "benchmark_interval")
    names = {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    if "benchmark_runs" not in names:
        assert benchmark_rows(con, rule) is None  # absent: insufficient data, not an error
    else:
        frame = con.execute(rule.sql).df()  # raises when the columns do not match
        assert {"case", "framework", "value"} <= set(frame.columns)


def test_verdict_table_links_only_charts_in_the_build(con):
    from reports.figures import all_blocks
    from reports.figures.verdicts import _verdicts

    html = _verdicts(con).html
    assert '<a href="#headline-adoption-index">headline-adoption-index</a>' in html
    if "performance-throughput" not in {b.id for b in all_blocks()}:
        assert "<td>performance-throughput (not in this build)</td>" in html
