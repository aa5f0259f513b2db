"""The report's front matter: executive summary, what changed, and the data-date cut-off."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from test_report_index import StubRenderer, first_rows, load, setup_signals  # tests/ on sys.path

from analysis.verdicts import Claim, Verdict
from census.cli import main
from reports.build import build_report
from reports.changes import compare
from reports.cutoff import cut_frame
from reports.previous import find_base
from reports.summary import summarise
from warehouse.db import connect


@pytest.fixture
def warehouse(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    setup_signals(con)
    yield con, load(con, first_rows(), "2024-01-15")
    con.close()


AS_OF = date(2024, 6, 30)


def _summary_rows(rows: list[tuple]) -> pd.DataFrame:
    columns = ["signal", "signal_label", "granularity", "latest_period", "latest_share"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["latest_period"] = pd.to_datetime(frame["latest_period"])
    frame["share_change_1y"] = float("nan")
    return frame


def _verdict(verdict: str) -> Verdict:
    claim = Claim("c", "claim", "post", "metric", "share_above", "chart")
    return Verdict(claim, verdict, "detail")


def test_summary_counts_only_current_signals_and_names_the_stale_ones():
    rows = _summary_rows(
        [
            ("a", "Downloads", "month", "2026-03-01", 0.78),
            ("b", "Stars", "month", "2026-08-01", 0.34),
            ("c", "Deps", "month", "2025-06-01", 0.60),
            ("d", "Survey", "year", "2022-01-01", 0.20),  # ended 2022-12-31: history
        ]
    )
    summary = summarise([_verdict("supported"), _verdict("mixed")], rows, date(2026, 11, 30))
    assert summary.answer == "pytorch" and summary.confidence == "medium"
    assert summary.current == ("a", "b", "c") and summary.stale == ("d",)
    text = summary.markdown
    assert len(summary.lines) <= 6
    assert "PyTorch leads TensorFlow in 2 of 3 current signals (data to 2026-08;" in text
    assert "Downloads 78% PyTorch in 2026-03" in text  # strongest, with its date
    assert "**Against:** Stars 34% PyTorch in 2026-08" in text
    assert "Survey (to 2022)" in text and "1 mixed, 1 supported" in text


def test_summary_without_signals_says_so():
    summary = summarise([], _summary_rows([]), date(2026, 1, 1))
    assert summary.answer == "unknown" and summary.confidence == "none"
    assert "No adoption signal" in summary.lines[0]


def test_compare_reports_verdicts_shares_signals_periods_and_breaks():
    old = {
        "verdicts": {"x": "mixed", "y": "supported"},
        "signals": {
            "s": {"label": "S", "latest_period": "2024-06", "latest_share": 0.55},
            "t": {"label": "T", "latest_period": "2024-06", "latest_share": 0.40},
        },
        "figures": {"f": "2018-01..2024-06"},
        "breaks": ["top_pypi * level_shift from 2021-05-02"],
    }
    new = {
        "verdicts": {"x": "supported", "y": "supported"},
        "signals": {
            "s": {"label": "S", "latest_period": "2026-03", "latest_share": 0.78},
            "t": {"label": "T", "latest_period": "2026-03", "latest_share": 0.41},  # < 2 pp
            "u": {"label": "U", "latest_period": "2026-03", "latest_share": 0.1},
        },
        "figures": {"f": "2018-01..2026-03", "g": "2025..2026"},
        "breaks": ["top_pypi * level_shift from 2021-05-02", "top_pypi * method_break from X"],
    }
    changes = compare(old, new, "2024-06-30")
    assert changes.verdicts == ["x: mixed -> supported"]
    assert changes.shares == ["S: PyTorch 55% (2024-06) -> 78% (2026-03), +23.0 pp"]
    assert changes.signals_added == ["U (u)"]
    assert changes.periods == [
        "f: 2018-01..2024-06 -> 2018-01..2026-03",
        "g: not shown -> 2025..2026",
    ]
    assert changes.breaks == ["top_pypi * method_break from X"]
    assert compare(new, new, "same").empty


def test_cut_frame_keeps_only_periods_ended_by_the_date():
    frame = pd.DataFrame(
        {
            "period": pd.to_datetime(["2024-05-01", "2024-06-01", "2024-07-01", "2024-01-01"]),
            "granularity": ["month", "month", "month", "year"],
        }
    )
    kept = cut_frame(frame, date(2024, 6, 30))
    assert kept["period"].dt.strftime("%Y-%m").tolist() == ["2024-05", "2024-06"]
    years = pd.DataFrame({"year": [2022, 2023, 2024]})
    assert cut_frame(years, date(2024, 6, 30))["year"].tolist() == [2022, 2023]
    assert cut_frame(pd.DataFrame({"x": [1]}), date(2000, 1, 1)).shape == (1, 1)


def test_as_of_cuts_data_then_current_report_shows_changes(warehouse, tmp_path):
    con, _ = warehouse
    load(con, [("github_stars", "2024-01-01", "torch", 500.0, "")], "2024-02-01")
    load(con, [("github_stars", "2024-01-01", "tensorflow", 100.0, "")], "2024-02-01")
    out, renderer = tmp_path / "out", StubRenderer(tmp_path / "cache")
    past = build_report(con, out, renderer=renderer, data_as_of=date(2023, 9, 30), latest=False)
    assert past.folder.name == "2023-09-30" and not (out / "latest").exists()
    csv = pd.read_csv(past.folder / "figures/headline-adoption-index.csv")
    assert csv["period"].max() == "2023-09-01"  # loaded later, but the data is cut
    assert "Data as of 2023-09-30" in (past.folder / "summary.md").read_text()
    assert "Nothing to compare with" in (past.folder / "changes.md").read_text()
    coverage = [line for line in (past.folder / "report.md").read_text().splitlines()
                if line.startswith("| synthetic |")]  # fmt: skip
    assert coverage and all(" .. 2023-09-01 |" in line for line in coverage), coverage

    now = build_report(con, out, renderer=renderer)
    assert find_base(out, date.today(), None) == past.folder
    changes = json.loads((now.folder / "changes.json").read_text())
    assert changes["base"].startswith("2023-09-30")
    # Today the synthetic signals (to 2024-01) are over 18 months old: they moved to the history
    # panel, and the new periods show there.
    assert any(p.startswith("headline-history: ") for p in changes["periods"]), changes["periods"]
    assert any(s.startswith("GitHub stars (test)") for s in changes["shares"])
    html = (now.folder / "index.html").read_text()
    assert (
        html.index('id="summary"')
        < html.index('id="changes"')
        < html.index('<section id="section-')
    )
    assert "Compared with the report 2023-09-30" in (out / "latest" / "report.md").read_text()


def test_since_naming_no_report_is_one_clear_error(tmp_path, capsys):
    code = main(
        [
            "--db",
            str(tmp_path / "w.duckdb"),
            "report",
            "--out",
            str(tmp_path / "o"),
            "--since",
            "2020-01-01",
        ]
    )
    assert code != 0
    assert "--since 2020-01-01: no report" in capsys.readouterr().err


def test_page_has_viewport_one_title_per_chart_and_fitting_specs(warehouse, tmp_path):
    con, _ = warehouse
    # As of mid-2024 the synthetic signals (to 2023-12) are current, so every headline chart
    # (the growth chart reads current signals only) has data.
    result = build_report(
        con, tmp_path / "out", renderer=StubRenderer(tmp_path / "cache"), data_as_of=AS_OF
    )
    html = (result.folder / "index.html").read_text()
    assert "<meta name='viewport' content='width=device-width, initial-scale=1'>" in html
    specs = json.loads(html.split('<script id="census-specs" type="application/json">')[1]
                       .split("</script>")[0].replace("<\\/", "</"))  # fmt: skip
    provenance = json.loads((result.folder / "provenance.json").read_text())
    for figure in provenance["figures"]:
        spec = specs[figure["id"]]
        assert "title" not in spec, "the heading shows the title; the chart must not repeat it"
        assert html.count(f">{figure['title']}</a></h3>") == 1
        composite = any(k in spec for k in ("facet", "concat", "hconcat", "vconcat", "repeat"))
        assert composite or spec["width"] == "container"
        limits = spec["config"]["axis"]["labelLimit"]
        assert limits["expr"].startswith("containerSize()[0] < 600")
        assert f"census cite {figure['id']} --format bibtex" in html
    png_spec = json.loads((result.folder / "figures/headline-yoy-growth.png").read_text())
    assert "title" in png_spec  # the images keep their title: they are pasted on their own
    assert "table{border-collapse:collapse;font-size:.85em;margin:1em 0;display:block" in html


def test_report_command_keeps_latest_for_a_past_date_and_compares(tmp_path, monkeypatch, capsys):
    db, out = tmp_path / "w.duckdb", tmp_path / "out"
    con = connect(db)
    setup_signals(con)
    load(con, first_rows(), "2024-01-15")
    con.close()
    monkeypatch.setattr("reports.render.Renderer", StubRenderer)
    base = ["--db", str(db), "report", "--out", str(out), "--cache", str(tmp_path / "cache")]

    def as_of(folder: str) -> str:
        return json.loads((out / folder / "provenance.json").read_text())["as_of"]

    assert main(base) == 0
    today = as_of("latest")
    assert main([*base, "--as-of", "2023-09-30"]) == 0
    assert as_of("2023-09-30") == "2023-09-30" and as_of("latest") == today  # latest kept
    assert main(base) == 0  # the previous report is now 2023-09-30: rebuilt, compared with it
    changes = json.loads((out / "latest" / "changes.json").read_text())
    assert changes["base"].startswith("2023-09-30") and changes["periods"]
    capsys.readouterr()
    assert main(base) == 0
    assert "report unchanged" in capsys.readouterr().err
    assert main([*base, "--as-of", "2023-09-30", "--latest"]) == 0
    assert as_of("latest") == "2023-09-30"
