"""The report built from several synthetic signals: index, verdicts, methodology, coverage,
``--as-of`` (data and provenance) and the "nothing changed" fast path."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from census.cli import main
from reports.build import build_report
from reports.catalogue import known_sources
from reports.figures.coverage import _coverage
from reports.figures.headline import index_data
from reports.figures.methodology import signal_table
from reports.freshness import fingerprint, reuse_report
from reports.render import Renderer
from reports.signals import read_signal_view, signal_notes, signal_views
from warehouse.db import connect, create_views
from warehouse.load import SourceInfo, begin_load

INFO = SourceInfo(
    "synthetic",
    "Synthetic adoption counts for tests",
    "CC0",
    "Synthetic test source",
    "https://example.invalid/synthetic",
)
AS_OF = date(2024, 6, 30)
SIGNALS = {  # view name -> (granularity, label)
    "github_stars": ("month", "GitHub stars (test)"),
    "survey_kaggle": ("year", "Kaggle survey (test)"),
    "qa_questions": ("month", "SO questions (test)"),
}


class StubRenderer(Renderer):
    """Writes the spec instead of images: for tests about data, not pixels."""

    def render(self, spec, png: Path, svg: Path) -> str:  # type: ignore[override]
        png.write_text(json.dumps(spec, default=str))
        svg.write_text("<svg/>")
        self.rendered += 1
        return "stub"

    def javascript_bundle(self) -> str:
        return ""


def setup_signals(con: duckdb.DuckDBPyConnection) -> None:
    """A versioned fact table of synthetic counts and three signal views over it."""
    con.execute("""CREATE TABLE test_adoption (
        signal VARCHAR NOT NULL, period DATE NOT NULL, framework VARCHAR NOT NULL,
        value DOUBLE NOT NULL, flags VARCHAR, source VARCHAR NOT NULL,
        source_url VARCHAR NOT NULL, fetched_at TIMESTAMPTZ NOT NULL,
        raw_sha256 VARCHAR NOT NULL, load_id VARCHAR NOT NULL,
        PRIMARY KEY (signal, period, framework, load_id))""")
    create_views(con)
    for name, (granularity, label) in SIGNALS.items():
        con.execute(f"""CREATE VIEW signal_test_{name} AS
            SELECT signal, '{label}' AS signal_label, period, '{granularity}' AS granularity,
                   framework, value, coalesce(flags, '') AS flags, source
            FROM cur_test_adoption WHERE signal = '{name}'""")


def load(con: duckdb.DuckDBPyConnection, rows: list[tuple], finished: str) -> str:
    """One load of (signal, period, framework, value, flags) rows, dated ``finished``."""
    frame = pd.DataFrame(rows, columns=["signal", "period", "framework", "value", "flags"])
    frame = frame.assign(
        period=pd.to_datetime(frame["period"]),
        source="synthetic",
        source_url="https://example.invalid/synthetic",
        fetched_at=pd.Timestamp(finished, tz="UTC"),
        raw_sha256="0" * 64,
    )
    with begin_load(con, "synthetic") as current:
        current.register_source(INFO)
        current.upsert("test_adoption", frame)
    con.execute(
        "UPDATE _loads SET finished_at = ?::TIMESTAMPTZ WHERE load_id = ?",
        [f"{finished} 12:00:00+00", current.load_id],
    )
    return current.load_id


def first_rows() -> list[tuple]:
    rows = []
    for month in range(1, 13):  # 2023: PyTorch stars pass TensorFlow in July; March flagged
        period = f"2023-{month:02d}-01"
        if month != 5:  # May is missing entirely: a gap
            rows += [
                (
                    "github_stars",
                    period,
                    "torch",
                    10.0 * month,
                    "method_break" if month == 3 else "",
                ),
                ("github_stars", period, "tensorflow", 60.0, ""),
            ]
        rows.append(("qa_questions", period, "torch", 20.0, ""))
        if month % 4:  # TensorFlow missing in April, August, December: no share there
            rows.append(("qa_questions", period, "tensorflow", 80.0, ""))
    for year, torch, tensorflow in ((2019, 20, 80), (2021, 40, 60), (2022, 55, 45)):
        rows += [
            ("survey_kaggle", f"{year}-01-01", "torch", torch, ""),
            ("survey_kaggle", f"{year}-01-01", "tensorflow", tensorflow, ""),
        ]
    return rows


@pytest.fixture
def warehouse(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    setup_signals(con)
    first = load(con, first_rows(), "2024-01-15")
    yield con, first
    con.close()


def test_index_report_from_several_signals(warehouse, tmp_path):
    con, first = warehouse
    # As of mid-2024 every synthetic signal (to 2023-12, Kaggle 2022) is current.
    result = build_report(
        con, tmp_path / "out", data_as_of=AS_OF, renderer=StubRenderer(tmp_path / "cache")
    )
    provenance = json.loads((result.folder / "provenance.json").read_text())
    figures = {f["id"]: f for f in provenance["figures"]}
    index = figures["headline-adoption-index"]
    assert index["sources"] == ["synthetic"]
    assert index["load_ids"] == [first]
    assert "Synthetic test source" in index["citation"]

    csv = pd.read_csv(result.folder / "figures/headline-adoption-index.csv")
    assert set(csv["signal"]) == set(SIGNALS)
    stars = csv[csv["signal"] == "github_stars"].set_index("period")
    assert stars.loc["2023-02-01", "share"] == pytest.approx(20 / 80)
    assert pd.isna(stars.loc["2023-05-01", "share"])  # the gap stays a gap
    assert stars.loc["2023-03-01", "flags"] == "method_break"
    survey = csv[csv["signal"] == "survey_kaggle"].set_index("period")
    assert list(survey.index) == ["2019-01-01", "2020-01-01", "2021-01-01", "2022-01-01"]
    assert pd.isna(survey.loc["2020-01-01", "share"])
    questions = csv[csv["signal"] == "qa_questions"].set_index("period")
    assert pd.isna(questions.loc["2023-04-01", "share"])  # TensorFlow missing: no share

    growth = pd.read_csv(result.folder / "figures/headline-yoy-growth.csv")
    assert growth.set_index("framework")["growth"].to_dict() == pytest.approx(
        {"torch": 55 / 40 - 1, "tensorflow": 45 / 60 - 1}
    )  # Kaggle 2022 vs 2021 only
    assert set(growth["signal"]) == {"survey_kaggle"}

    markdown = (result.folder / "report.md").read_text()
    assert (
        "Today PyTorch leads TensorFlow on 2 of 3 current signals (latest period within 18 "
        "months): PyTorch share from 20% on SO questions (test) to 67% on GitHub stars (test)"
    ) in markdown
    assert (
        "| GitHub stars (test) | current | 2023-12 (6 months old) | 2023-01..2023-12 (11) | 67% |"
    ) in markdown
    assert "conda downloads (conda_downloads" in markdown  # missing signals are named
    assert (  # industry reads the professional segment, which is not loaded here
        "| TensorFlow dominates industry and production use. | insufficient data "
        "(0 current signals) |"
    ) in markdown
    assert (
        "| PyTorch is the default choice today. | mixed (2 of 3 current signals agree) | "
        "agrees: GitHub stars (test) 2023-12, 6 months old: 67%;"
    ) in markdown
    assert (
        "| Performance is comparable: neither framework is clearly faster. | "
        "insufficient data |" in markdown
    )
    for heading in ("## Headline", "## Methodology", "## Coverage and freshness"):
        assert heading in markdown
    assert "| synthetic | 2019-01-01 .. 2023-12-01 |" in markdown  # coverage per source


def test_as_of_ignores_later_loads_in_data_and_provenance(warehouse, tmp_path):
    con, first = warehouse
    later = [
        ("github_stars", "2024-01-01", "torch", 500.0, ""),
        ("github_stars", "2024-01-01", "tensorflow", 100.0, ""),
        ("survey_kaggle", "2022-01-01", "torch", 90.0, ""),
    ]  # a revised value
    second = load(con, later, "2025-03-01")
    renderer = StubRenderer(tmp_path / "cache")

    old = build_report(con, tmp_path / "out", loads_before=date(2024, 6, 30), renderer=renderer)
    assert old.folder.name == "2024-06-30"
    provenance = json.loads((old.folder / "provenance.json").read_text())
    assert {lid for f in provenance["figures"] for lid in f["load_ids"]} == {first}
    csv = pd.read_csv(old.folder / "figures/headline-adoption-index.csv")
    assert csv["period"].max() == "2023-12-01"
    kaggle = csv[(csv["signal"] == "survey_kaggle") & (csv["period"] == "2022-01-01")]
    assert kaggle["torch"].iloc[0] == 55
    markdown = (old.folder / "report.md").read_text()
    assert second not in markdown and "2025-03-01" not in markdown

    new = build_report(con, tmp_path / "out", renderer=renderer)
    # Today the synthetic signals (to 2024-01) are years old: history, not the "today" index.
    assert not (new.folder / "figures/headline-adoption-index.csv").exists()
    csv = pd.read_csv(new.folder / "figures/headline-history.csv")
    assert csv["period"].max() == "2024-01-01"
    assert not csv["current"].any()
    provenance = json.loads((new.folder / "provenance.json").read_text())
    assert second in {lid for f in provenance["figures"] for lid in f["load_ids"]}


def test_report_reused_only_when_nothing_changed(warehouse, tmp_path):
    con, _ = warehouse
    db = tmp_path / "w.duckdb"
    out, stamp = tmp_path / "out", datetime.now(UTC).date()
    build_report(con, out, renderer=StubRenderer(tmp_path / "cache"))
    before = fingerprint(con, None, stamp)
    load(con, [("github_stars", "2024-02-01", "torch", 1.0, "")], "2025-04-01")
    assert fingerprint(con, None, stamp) != before  # a new load: rebuild
    assert fingerprint(con, date(2024, 6, 30), stamp) == fingerprint(con, date(2024, 6, 30), stamp)
    con.execute("DELETE FROM _loads WHERE finished_at > '2025-01-01'")
    con.close()
    assert reuse_report(db, out, None, stamp)
    assert not reuse_report(db, out, date(2024, 6, 30), date(2024, 6, 30))  # never built
    (out / "latest").rename(out / "old")
    assert reuse_report(db, out, None, stamp)  # latest is restored from the dated folder
    assert (out / "latest" / "index.html").is_file()
    (out / stamp.isoformat() / "figures" / "headline-history.png").unlink()
    assert not reuse_report(db, out, None, stamp)  # a file is missing: rebuild


def test_cli_report_renders_then_keeps_unchanged_report(tmp_path, capsys):
    db, out, cache = tmp_path / "w.duckdb", tmp_path / "out", tmp_path / "cache"
    con = connect(db)
    setup_signals(con)
    load(con, first_rows(), "2024-01-15")
    con.close()
    args = ["--db", str(db), "report", "--out", str(out), "--cache", str(cache)]
    assert main(args) == 0
    latest = out / "latest"
    for ext in ("png", "svg", "csv"):  # 2023 data read today: the history panel
        assert (latest / "figures" / f"headline-history.{ext}").stat().st_size > 0
    assert (latest / "figures" / "headline-history.png").read_bytes()[:4] == b"\x89PNG"
    assert "report written" in capsys.readouterr().err
    assert main(args) == 0
    log = capsys.readouterr().err
    assert "report unchanged" in log and "report written" not in log
    assert main([*args, "--force"]) == 0
    assert "1 charts (0 rendered, 1 from cache)" in capsys.readouterr().err  # history only


def test_repository_signal_views_follow_the_contract_and_have_notes(con):
    views = signal_views(con)
    assert "signal_pypi_downloads" in views
    for view in views:
        read_signal_view(con, view)  # raises, naming the view, when a column is missing
    notes = signal_notes()
    covered = {note.get("view", f"signal_{name}") for name, note in notes.items()}
    assert set(views) <= covered, "add the signal to reports/signal_notes.toml"
    assert all(
        {"label", "measures", "denominator", "biases", "load"} <= set(n) for n in notes.values()
    )


def test_methodology_names_missing_signals_and_biases(warehouse):
    con, _ = warehouse
    frame = signal_table(con).set_index("signal")
    assert frame.loc["GitHub stars (test)", "status"] == "loaded"
    assert frame.loc["GitHub stars (test)", "source"] == "synthetic"
    assert frame.loc["conda downloads", "status"].startswith("missing: load with")
    assert "download.pytorch.org" in frame.loc["PyPI downloads (core packages)", "known biases"]


@pytest.mark.shared_data
def test_pypi_share_matches_the_raw_snapshot(ctx, shared_data):
    """The index share for 2026-03 is torch / (torch + TensorFlow family) in the raw file."""
    from collectors.top_pypi import ingest

    raw = shared_data / "top-pypi-packages" / "monthly-30-days" / "2026-04-01.json"
    ingest(ctx, str(raw))
    counts = {r["project"]: r["download_count"] for r in json.loads(raw.read_text())["rows"]}
    tensorflow = sum(
        counts.get(name, 0)
        for name in (
            "tensorflow",
            "tensorflow-cpu",
            "tensorflow-gpu",
            "tensorflow-macos",
            "tf-nightly",
        )
    )
    frame = index_data(ctx.con).set_index("period")
    assert frame.loc[pd.Timestamp("2026-03-01"), "share"] == pytest.approx(
        counts["torch"] / (counts["torch"] + tensorflow)
    )


def test_report_command_starts_without_heavy_imports():
    """`census report` checks "nothing changed" before importing pandas, Altair or requests."""
    code = (
        "import sys; from census.cli import build_parser; "
        "from reports.freshness import fingerprint; build_parser(['report']); "
        "print(sorted(m for m in ('pandas', 'altair', 'vl_convert', 'requests') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=True,
        timeout=60,
    )
    assert out.stdout.strip() == "[]"


def test_coverage_names_sources_that_are_not_loaded(warehouse):
    con, _ = warehouse
    top_pypi = "`census ingest top-pypi` or `census ingest top-pypi-ecosystem`"
    assert known_sources()["top_pypi"] == top_pypi
    text = _coverage(con).markdown
    assert "| synthetic |" in text
    assert "not in the warehouse as of this report: " in text
    assert f"top_pypi (load with {top_pypi})" in text


def test_unchanged_figures_reuse_their_spec(warehouse, tmp_path, monkeypatch):
    con, _ = warehouse
    renderer = StubRenderer(tmp_path / "cache")
    first = build_report(con, tmp_path / "out", renderer=renderer)
    assert list((tmp_path / "cache").glob("spec-*.json"))

    def fail(*args, **kwargs):
        raise AssertionError("chart rebuilt although code and data are unchanged")

    monkeypatch.setattr("reports.figures.headline.adoption_index_chart", fail)
    again = build_report(con, tmp_path / "out", renderer=renderer)
    assert again.figures == first.figures
    load(con, [("github_stars", "2023-06-01", "torch", 99.0, "")], "2025-01-01")  # a revision
    with pytest.raises(AssertionError, match="chart rebuilt"):  # new data: a new spec
        build_report(con, tmp_path / "out", renderer=renderer)
