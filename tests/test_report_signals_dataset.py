"""adoption_signals: the signals behind the headline as a public, exportable dataset."""

from __future__ import annotations

import re

from census.cli import main
from warehouse.datasets import list_datasets
from warehouse.db import VIEWS_DIR


def test_adoption_signals_reads_every_signal_view():
    sql = (VIEWS_DIR / "adoption_signals.sql").read_text()
    read = set(re.findall(r"FROM (signal_\w+)", sql))
    views = {p.stem for p in VIEWS_DIR.glob("signal_*.sql")}
    assert read == views, "add the new signal view to warehouse/views/adoption_signals.sql"


def test_adoption_signals_is_listed_and_exported(tmp_path, capsys):
    dataset = list_datasets()["adoption_signals"]
    assert list(dataset.columns) == [
        "signal", "signal_label", "period", "granularity", "framework", "value", "flags", "source",
    ]  # fmt: skip
    assert main(["datasets"]) == 0
    assert "adoption_signals: The signals behind" in capsys.readouterr().out
    db, out = tmp_path / "w.duckdb", tmp_path / "export"
    code = main(
        ["--db", str(db), "export", "adoption_signals", "--format", "csv", "--out", str(out)]
    )
    assert code == 0
    lines = (out / "adoption_signals.csv").read_text().splitlines()
    assert lines[0] == "signal,signal_label,period,granularity,framework,value,flags,source"
    assert len(lines) > 100  # restored from the shipped snapshot: every signal's rows
    signals = {line.split(",")[0] for line in lines[1:]}
    assert {"pypi_downloads", "github_stars"} <= signals
