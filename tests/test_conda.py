from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from live_mock import conda_frame

from census_base.errors import ParseError
from collectors import conda
from collectors.http import HttpClient

TODAY = date(2026, 11, 22)


def _write(path, month, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    conda_frame(month, rows).to_parquet(path)
    return path


def test_aggregate_sums_counts_per_channel_for_tracked_packages(tmp_path):
    path = _write(
        tmp_path / "2023" / "2023-01.parquet",
        date(2023, 1, 1),
        [
            ("conda-forge", "pytorch", 120),
            ("conda-forge", "pytorch", 30),
            ("pytorch", "pytorch", 500),
            ("anaconda", "tensorflow", 75),
            ("conda-forge", "left-pad", 9999),  # not tracked: ignored
        ],
    )
    frame = conda.aggregate_parquet(str(path), ["pytorch", "tensorflow"])
    got = {(r.data_source, r.pkg_name): r.downloads for r in frame.itertuples()}
    assert got == {
        ("conda-forge", "pytorch"): 150,
        ("pytorch", "pytorch"): 500,
        ("anaconda", "tensorflow"): 75,
    }
    assert set(frame["month"]) == {pd.Timestamp("2023-01-01")}


def test_missing_column_is_a_parse_error_naming_the_file(tmp_path):
    path = tmp_path / "2023-02.parquet"
    conda_frame(date(2023, 2, 1), [("anaconda", "pytorch", 1)]).drop(columns="counts").to_parquet(
        path
    )
    with pytest.raises(ParseError, match=r"2023-02\.parquet.*lacks \['counts'\]"):
        conda.aggregate_parquet(str(path), ["pytorch"])


def test_ingest_local_copy_with_flags_and_signal(ctx, tmp_path):
    _write(
        tmp_path / "2022" / "2022-12.parquet",
        date(2022, 12, 1),
        [
            ("conda-forge", "pytorch", 400),
            ("anaconda", "pytorch", 100),
            ("conda-forge", "tensorflow", 300),
        ],
    )
    _write(
        tmp_path / "2023" / "2023-01.parquet",
        date(2023, 1, 1),
        [
            ("conda-forge", "pytorch", 420),
            ("pytorch", "pytorch", 900),
            ("conda-forge", "tensorflow", 280),
            ("conda-forge", "libtorch", 50),
        ],
    )
    conda.ingest(ctx, str(tmp_path))
    dataset = ctx.con.execute(
        "SELECT pkg_name, data_source, month, downloads, family, role "
        "FROM conda_downloads ORDER BY ALL"
    ).fetchall()
    assert ("pytorch", "pytorch", date(2023, 1, 1), 900, "torch", "core") in dataset
    assert ("libtorch", "conda-forge", date(2023, 1, 1), 50, "torch", "dependency") in dataset
    signal = ctx.con.execute(
        "SELECT period, framework, value, flags FROM signal_conda_downloads ORDER BY ALL"
    ).fetchall()
    assert signal == [
        (date(2022, 12, 1), "tensorflow", 300.0, ""),
        (date(2022, 12, 1), "torch", 500.0, ""),
        (date(2023, 1, 1), "tensorflow", 280.0, ""),
        (date(2023, 1, 1), "torch", 1320.0, "method_break"),  # the pytorch channel arrives
    ]
    monthly = ctx.con.execute(
        "SELECT channel, method, window_end_date FROM downloads_monthly "
        "WHERE source = 'conda' AND month = DATE '2022-12-01' LIMIT 1"
    ).fetchone()
    assert monthly == ("conda", "anaconda-package-data", date(2023, 1, 1))
    # loading the same copy again changes nothing
    assert conda.ingest(ctx, str(tmp_path)) == 0


def test_bad_file_rolls_back_the_whole_ingest(ctx, tmp_path):
    _write(tmp_path / "2022" / "2022-12.parquet", date(2022, 12, 1), [("anaconda", "pytorch", 1)])
    (tmp_path / "2023").mkdir()
    (tmp_path / "2023" / "2023-01.parquet").write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(ParseError, match="2023-01.parquet"):
        conda.ingest(ctx, str(tmp_path))
    assert ctx.con.execute("SELECT count(*) FROM conda_downloads_monthly").fetchone()[0] == 0


def test_collect_reads_missing_months_and_skips_an_unpublished_last_month(
    ctx, tmp_path, monkeypatch
):
    monkeypatch.setenv("CENSUS_CONDA_BASE", str(tmp_path))
    ctx.options["today"] = TODAY
    assert len(conda.plan(ctx)) == (2026 - 2017) * 12 + 10  # 2017-01 .. 2026-10
    from warehouse.load import begin_load

    seed = pd.DataFrame(
        {
            "pkg_name": ["pytorch"],
            "data_source": ["anaconda"],
            "month": [date(2026, 8, 1)],
            "downloads": [1],
            "source": ["conda"],
            "source_url": ["seed"],
            "fetched_at": [pd.Timestamp.now(tz="UTC")],
            "raw_sha256": ["0"],
        }
    )
    with begin_load(ctx.con, "conda") as load:
        load.upsert("conda_downloads_monthly", seed)
    monkeypatch.setattr(conda, "HISTORY_START", date(2026, 7, 1))
    # a gap (2026-07, e.g. a month that failed earlier) is asked again, not only newer months
    planned = [p.url[-15:] for p in conda.plan(ctx)]
    assert planned == ["2026-07.parquet", "2026-09.parquet", "2026-10.parquet"]
    _write(tmp_path / "2026" / "2026-07.parquet", date(2026, 7, 1), [("anaconda", "jax", 5)])
    _write(tmp_path / "2026" / "2026-09.parquet", date(2026, 9, 1), [("anaconda", "jax", 7)])
    assert conda.run(ctx) == 2  # 2026-10 is not published yet: no error
    rows = ctx.con.execute(
        "SELECT pkg_name, month, downloads FROM conda_downloads WHERE month = DATE '2026-09-01'"
    ).fetchall()
    assert rows == [("jax", date(2026, 9, 1), 7)]
    assert (tmp_path / "2026" / "2026-10.parquet").exists() is False


def test_a_missing_older_month_is_an_error(ctx, tmp_path, monkeypatch):
    monkeypatch.setenv("CENSUS_CONDA_BASE", str(tmp_path))
    ctx.options["today"] = date(2017, 3, 5)
    _write(tmp_path / "2017" / "2017-02.parquet", date(2017, 2, 1), [("anaconda", "numpy", 3)])
    with pytest.raises(conda._live.SourceFailed, match="2017-01"):
        conda.run(ctx)
    assert ctx.con.execute("SELECT count(*) FROM conda_downloads_monthly").fetchone()[0] == 1
    ctx.options["today"] = date(2017, 3, 6)  # the next day: only the failed month is asked
    assert [p.url[-15:] for p in conda.plan(ctx)] == ["2017-01.parquet"]


def test_replay_answers_from_the_archived_aggregate(ctx, tmp_path, monkeypatch):
    monkeypatch.setenv("CENSUS_CONDA_BASE", str(tmp_path / "files"))
    monkeypatch.setattr(conda, "HISTORY_START", date(2026, 9, 1))
    ctx.options["today"] = date(2026, 10, 15)
    _write(
        tmp_path / "files" / "2026" / "2026-09.parquet",
        date(2026, 9, 1),
        [("conda-forge", "pytorch", 11), ("conda-forge", "pytorch", 4)],
    )
    assert conda.run(ctx) == 1
    (tmp_path / "files" / "2026" / "2026-09.parquet").unlink()  # only the archive is left
    from warehouse.db import connect

    fresh = connect(":memory:")
    replay = conda.RunContext(
        con=fresh,
        http=HttpClient(ctx.raw_root, replay=True),
        raw_root=ctx.raw_root,
        options=ctx.options,
    )
    assert conda.run(replay) == 1
    assert fresh.execute("SELECT pkg_name, downloads FROM conda_downloads").fetchall() == [
        ("pytorch", 15)
    ]
    fresh.close()
