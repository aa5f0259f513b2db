"""Claim verdicts (analysis/verdicts.py, analysis/claims.toml) and their warehouse inputs."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.verdicts import (
    CONTRADICTED,
    INSUFFICIENT,
    MIXED,
    SUPPORTED,
    Claim,
    evaluate,
    load_claims,
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
    assert "TensorFlow a 2026-01: 20%" in evaluate(rule, far, AS_OF).detail


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
    assert "a 2026-01: 80% [flagged period: method_break]" in verdict.detail


def test_max_age_drops_stale_signals():
    frame = summary(("old", 0.2, "2019-01-01", 0.0), ("new", 0.8, "2025-06-01", 0.0))
    rule = claim("share_above", max_age_years=3)
    verdict = evaluate(rule, frame, AS_OF)
    assert verdict.verdict == SUPPORTED
    assert "old" not in verdict.detail
    assert evaluate(rule, frame, date(2030, 1, 1)).verdict == INSUFFICIENT


def test_benchmark_parity():
    rule = claim("benchmark_parity", tolerance=0.2, sql="SELECT 1")
    rows = pd.DataFrame(
        {
            "case": ["mlp/gpu", "mlp/gpu", "cnn/cpu", "cnn/cpu"],
            "framework": ["torch", "tensorflow", "torch", "tensorflow"],
            "value": [110.0, 100.0, 300.0, 100.0],
        }
    )
    assert evaluate(rule, summary(), AS_OF, rows).verdict == MIXED
    assert evaluate(rule, summary(), AS_OF, rows.iloc[:2]).verdict == SUPPORTED
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
    con.execute("""CREATE VIEW benchmark_runs AS SELECT * FROM (VALUES
        ('mlp', 'cpu', 'torch', 'torch-eager', 1000.0, 'full', 'none', 'fp32'),
        ('mlp', 'cpu', 'torch', 'torch-compile', 900.0, 'full', 'none', 'fp32'),
        ('mlp', 'cpu', 'tensorflow', 'tf-xla', 950.0, 'full', 'none', 'fp32'),
        ('mlp', 'cpu', 'tensorflow', 'tf-xla', 9000.0, 'tiny', 'none', 'fp32'))
        t(model, hardware, framework, mode, samples_per_s, size, distributed, precision)""")
    verdicts = {v.claim.id: v for v in compute_verdicts(con)}
    assert verdicts["performance-comparable"].verdict == SUPPORTED
    assert (
        "mlp / cpu: PyTorch/TensorFlow throughput 1.05x"
        in verdicts["performance-comparable"].detail
    )


def test_benchmark_claim_sql_fits_the_benchmark_dataset(con):
    """Once a benchmark_runs dataset exists, the claim's query must bind against it."""
    rule = next(c for c in load_claims() if c.rule == "benchmark_parity")
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
