"""census cite: a citation for every chart of a built report, in every format; stable ids."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from test_report_index import StubRenderer, first_rows, load, setup_signals  # tests/ on sys.path

from census.cli import main
from census.commands.cite import FORMATS
from reports import citation
from reports.build import build_report
from reports.figure import Figure
from reports.figures import all_blocks
from warehouse.db import connect

IDS_FILE = Path(__file__).parent / "fixtures" / "chart_ids.txt"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cite")
    con = connect(tmp / "w.duckdb")
    setup_signals(con)
    load(con, first_rows(), "2024-01-15")
    result = build_report(con, tmp / "out", renderer=StubRenderer(tmp / "cache"))
    con.close()
    return result.folder


def test_every_chart_is_citable_in_every_format(report, capsys):
    provenance = json.loads((report / "provenance.json").read_text())
    assert provenance["figures"], "the synthetic report has charts"
    assert FORMATS == citation.FORMATS
    for figure in provenance["figures"]:
        digest = hashlib.sha256((report / "figures" / f"{figure['id']}.csv").read_bytes())
        for fmt in FORMATS:
            assert main(["cite", figure["id"], "--format", fmt, "--report", str(report)]) == 0
            text = capsys.readouterr().out
            assert digest.hexdigest() in text and f"#{figure['id']}" in text
            assert provenance["as_of"] in text and figure["period"] in text
            if fmt == "csl-json":
                (entry,) = json.loads(text)
                assert entry["title"] == figure["title"] and entry["type"] == "dataset"
            elif fmt == "bibtex":
                assert text.startswith(f"@misc{{census-{figure['id']}-")
                assert text.count("{") == text.count("}")
            else:
                assert f"*{figure['title']}* [chart `{figure['id']}`]" in text
    html = (report / "index.html").read_text()
    first = provenance["figures"][0]["id"]
    assert f'<figure id="{first}">' in html and f"census cite {first}" in html


def test_unknown_chart_and_changed_csv_are_clear_errors(report, capsys):
    assert main(["cite", "no-such-chart", "--report", str(report)]) == 2
    assert "no chart 'no-such-chart'" in capsys.readouterr().err
    provenance = json.loads((report / "provenance.json").read_text())
    chart = provenance["figures"][0]["id"]
    csv = report / "figures" / f"{chart}.csv"
    original = csv.read_bytes()
    csv.write_bytes(original + b"1,2\n")
    try:
        assert main(["cite", chart, "--report", str(report)]) == 2
        assert "was changed after the report was built" in capsys.readouterr().err
    finally:
        csv.write_bytes(original)
    assert main(["cite", chart, "--report", str(report / "missing")]) == 2


def test_chart_ids_never_change():
    """Ids are citations' keys: a chart may be added, never renamed or dropped."""
    known = set(IDS_FILE.read_text().split())
    current = {b.id for b in all_blocks() if isinstance(b, Figure)}
    assert known - current == set(), "a chart id was renamed or removed; ids are cited"
