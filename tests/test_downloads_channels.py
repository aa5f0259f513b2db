"""Channel figures with the recorded fixtures loaded (top-pypi dump, a conda Parquet file the
test writes, npm answers from the offline mock)."""

from __future__ import annotations

from datetime import date

import live_mock
import pandas as pd
import pytest
import responses

from analysis.downloads_channels import pick_sources
from collectors import conda, npm, top_pypi
from reports.figures import downloads_channels

TODAY = date(2026, 11, 22)


@pytest.fixture
def loaded(ctx, fixtures, tmp_path, monkeypatch):
    top_pypi.ingest(ctx, str(fixtures / "top_pypi_single" / "top-pypi-packages-2026-04-01.json"))
    path = tmp_path / "conda" / "2026" / "2026-10.parquet"
    path.parent.mkdir(parents=True)
    live_mock.conda_frame(
        date(2026, 10, 1),
        [
            ("conda-forge", "pytorch", 3000),
            ("pytorch", "pytorch", 1000),
            ("conda-forge", "tensorflow", 1000),
            ("anaconda", "tensorflow", 600),
            ("conda-forge", "jax", 250),
        ],
    ).to_parquet(path)
    conda.ingest(ctx, str(tmp_path / "conda"))
    monkeypatch.setattr(npm, "channel_packages", lambda channel: ["@tensorflow/tfjs"])
    monkeypatch.setattr(npm, "HISTORY_START", date(2026, 9, 20))
    ctx.options["today"] = TODAY
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        live_mock.register(rsps, TODAY)
        npm.run(ctx)
    return ctx.con


def test_family_figure_has_every_channel(loaded):
    frame = downloads_channels.monthly(loaded)
    got = {(r.channel, r.family): r.downloads for r in frame.itertuples()}
    assert got[("pypi", "torch")] == 60000000
    assert got[("pypi", "tensorflow")] == 12000000
    assert got[("conda", "torch")] == 4000
    assert got[("conda", "tensorflow")] == 1600
    assert got[("conda", "jax")] == 250
    npm_months = frame[frame["channel"] == "npm"]["month"].dt.strftime("%Y-%m").tolist()
    assert npm_months == ["2026-10"]  # 2026-09 and 2026-11 are incomplete months
    assert set(frame[frame["channel"] == "npm"]["family"]) == {"tensorflow"}
    title = downloads_channels._family_title(frame)
    assert title.endswith("PyPI 5.0x (2026-03), conda 2.5x (2026-10)")
    assert "PyPI: top_pypi 2026-03..2026-03" in downloads_channels._family_caption(frame)
    spec = downloads_channels.BLOCKS[0].chart(frame).to_dict()
    assert spec["facet"]["row"]["field"] == "channel_label"
    assert spec["spec"]["layer"][0]["mark"]["type"] == "line"
    assert spec["spec"]["layer"][0]["encoding"]["y"]["scale"]["type"] == "log"


def test_share_figure_has_no_npm_share(loaded):
    frame = downloads_channels.shares(loaded)
    shares = dict(zip(frame["channel"], frame["share"], strict=True))
    assert shares == pytest.approx({"pypi": 60 / 72, "conda": 4000 / 5600})
    title = downloads_channels._share_title(frame)
    assert title.endswith("83% on PyPI (2026-03), 71% on conda (2026-10)")
    spec = downloads_channels.BLOCKS[1].chart(frame).to_dict()
    assert spec["layer"][1]["encoding"]["color"]["field"] == "channel_label"


def test_empty_warehouse_gives_empty_figures(con):
    assert downloads_channels.monthly(con).empty
    assert downloads_channels.shares(con).empty


def test_one_source_per_channel_most_months_first():
    frame = pd.DataFrame(
        {
            "channel": ["pypi"] * 5,
            "source": [
                "top_pypi",
                "top_pypi",
                "clickhouse_pypi",
                "clickhouse_pypi",
                "clickhouse_pypi",
            ],
            "month": pd.to_datetime(
                ["2026-01-01", "2026-02-01", "2026-01-01", "2026-02-01", "2026-03-01"]
            ),
        }
    )
    assert set(pick_sources(frame)["source"]) == {"clickhouse_pypi"}
    assert set(pick_sources(frame.iloc[:4])["source"]) == {"top_pypi"}  # tie: preference
