"""Families per channel and the live-download views on a handful of inline rows."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from reports.figures.downloads import family_monthly
from warehouse.datasets import list_datasets
from warehouse.families import channel_packages, load_channel_families, tracked_packages
from warehouse.load import begin_load

NEW_DATASETS = (
    "downloads_daily",
    "downloads_monthly",
    "conda_downloads",
    "pypi_download_breakdowns",
    "pypi_source_overlap",
)


def test_families_per_channel_keep_the_pypi_list_unchanged(con):
    assert "pytorch" not in tracked_packages()
    assert "torch" in tracked_packages()
    assert "@tensorflow/tfjs" not in tracked_packages()
    assert channel_packages("conda", roles=("core",), families=("torch", "tensorflow")) == [
        "pytorch",
        "tensorflow",
    ]
    assert channel_packages("npm", roles=("core",)) == ["@tensorflow/tfjs"]
    pypi = con.execute("SELECT count(*) FROM package_families").fetchone()[0]
    assert pypi == len(tracked_packages())  # one row per PyPI package: joins stay 1:1
    both = con.execute(
        "SELECT channel, family FROM channel_package_families "
        "WHERE package = 'tensorflow' ORDER BY channel"
    ).fetchall()
    assert both == [("conda", "tensorflow"), ("pypi", "tensorflow")]


def test_a_package_in_two_families_of_one_channel_is_refused(tmp_path):
    path = tmp_path / "families.toml"
    path.write_text(
        '[families.a]\nlabel = "A"\ncore = ["x"]\n[families.a.conda]\ncore = ["y"]\n'
        '[families.b]\nlabel = "B"\ncore = ["z"]\n[families.b.conda]\ncore = ["y"]\n'
    )
    with pytest.raises(ValueError, match="conda package 'y' is in 'a' and 'b'"):
        load_channel_families(path)


@pytest.mark.parametrize("name", NEW_DATASETS)
def test_every_column_is_documented(con, name):
    documented = list_datasets()[name].columns
    columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {name}").fetchall()]
    assert columns == list(documented)


def _daily(first: date, days: int, package: str, source: str, series: str, value: int):
    return pd.DataFrame(
        {
            "download_date": [first + timedelta(days=i) for i in range(days)],
            "downloads": [value] * days,
        }
    ).assign(
        source=source,
        channel="pypi",
        package=package,
        series=series,
        mirrors_included=series != "without_mirrors",
        source_url="inline",
        fetched_at=pd.Timestamp("2026-11-22", tz="UTC"),
        raw_sha256="0",
    )


def test_daily_sources_become_complete_months_only(con):
    with begin_load(con, "clickhouse_pypi") as load:
        load.upsert(
            "package_downloads_daily",
            pd.concat(
                [
                    _daily(date(2026, 9, 15), 16 + 31, "torch", "clickhouse_pypi", "all", 10),
                    _daily(date(2026, 9, 15), 16 + 31, "tensorflow", "clickhouse_pypi", "all", 5),
                ]
            ),
        )
    with begin_load(con, "pypistats") as load:
        load.upsert(
            "package_downloads_daily",
            pd.concat(
                [
                    _daily(date(2026, 10, 1), 31, "torch", "pypistats", "with_mirrors", 9),
                    _daily(date(2026, 10, 1), 31, "torch", "pypistats", "without_mirrors", 8),
                ]
            ),
        )
    rows = con.execute(
        "SELECT source, package, month, downloads, method, window_end_date "
        "FROM downloads_monthly ORDER BY ALL"
    ).fetchall()
    assert rows == [
        ("clickhouse_pypi", "tensorflow", date(2026, 10, 1), 155, "clickhouse", date(2026, 11, 1)),
        ("clickhouse_pypi", "torch", date(2026, 10, 1), 310, "clickhouse", date(2026, 11, 1)),
        ("pypistats", "torch", date(2026, 10, 1), 248, "pypistats", date(2026, 11, 1)),
    ]  # September (from the 15th) is incomplete; pypistats counts without mirrors
    # the PyPI signal stays on one source (the archive): live rows do not add to it
    assert con.execute("SELECT count(*) FROM signal_pypi_downloads").fetchone()[0] == 0
    assert family_monthly(con).empty  # nor to the PyPI figures
    daily = con.execute(
        "SELECT family, role, mirrors_included FROM downloads_daily "
        "WHERE source = 'pypistats' AND series = 'with_mirrors' LIMIT 1"
    ).fetchone()
    assert daily == ("torch", "core", True)
