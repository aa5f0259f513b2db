"""The report: every expected file, chart specs encoding the right fields, citations."""

from __future__ import annotations

import json

import pytest

from collectors.top_pypi import ingest
from reports.build import build_report
from reports.figures import all_blocks
from reports.render import Renderer


@pytest.fixture
def report(ctx, fixtures, tmp_path):
    ingest(ctx, str(fixtures / "top_pypi"))
    return build_report(ctx.con, tmp_path / "reports", renderer=Renderer(tmp_path / "cache"))


def test_report_files(report):
    folder = report.folder
    assert (folder / "index.html").exists() and (folder / "report.md").exists()
    assert (folder.parent / "latest" / "index.html").exists()
    provenance = json.loads((folder / "provenance.json").read_text())
    ids = {f["id"] for f in provenance["figures"]}
    assert {"downloads-pypi-family-monthly", "downloads-pypi-pytorch-share"} <= ids
    for figure in provenance["figures"]:
        for path in figure["files"]:
            assert (folder / path).stat().st_size > 0, path
        assert figure["load_ids"], figure["id"]
        assert "top-pypi-packages" in figure["citation"] or figure["sources"] != ["top_pypi"]
    html = (folder / "index.html").read_text()
    assert "cdn" not in html.lower() and "https://cdn" not in html
    assert "vegaEmbed" in html
    markdown = (folder / "report.md").read_text()
    assert "![" in markdown and "figures/downloads-pypi-pytorch-share.png" in markdown


def test_share_csv_is_the_computed_share(report):
    import pandas as pd

    frame = pd.read_csv(report.folder / "figures/downloads-pypi-pytorch-share.csv")
    row = frame[frame["month"].str.startswith("2025-06")].iloc[0]
    assert row["share"] == pytest.approx(60 / (60 + 24))  # torch / (torch + tensorflow)
    assert row["flags"] == "method_break"


def test_chart_specs_encode_the_right_fields(ctx, fixtures):
    ingest(ctx, str(fixtures / "top_pypi"))
    blocks = {b.id: b for b in all_blocks()}
    family = blocks["downloads-pypi-family-monthly"]
    spec = family.chart(family.data(ctx.con)).to_dict()
    line = spec["layer"][0]
    assert line["mark"]["type"] == "line"
    assert line["encoding"]["y"]["field"] == "downloads"
    assert line["encoding"]["y"]["scale"]["type"] == "log"
    assert line["encoding"]["x"] == {"field": "month", "type": "temporal", "title": None}
    share = blocks["downloads-pypi-pytorch-share"]
    spec = share.chart(share.data(ctx.con)).to_dict()
    fields = {layer["encoding"].get("y", {}).get("field") for layer in spec["layer"]}
    assert "share" in fields
    assert any(layer["mark"]["type"] == "rule" for layer in spec["layer"])


def test_render_cache_skips_unchanged_charts(report, ctx, tmp_path):
    renderer = Renderer(tmp_path / "cache")
    again = build_report(ctx.con, tmp_path / "reports", renderer=renderer)
    assert again.rendered == 0 and again.cached == report.figures


def test_empty_warehouse_names_missing_charts(con, tmp_path):
    result = build_report(con, tmp_path / "reports", renderer=Renderer(tmp_path / "cache"))
    assert "downloads-pypi-pytorch-share" in result.missing
    text = (result.folder / "report.md").read_text()
    assert "Not shown: no data for this chart (downloads-pypi-pytorch-share)" in text
