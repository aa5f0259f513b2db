"""`census snapshot`: runs the recipe over an upstream folder and writes a restorable snapshot."""

from __future__ import annotations

import json
import shutil

from census.cli import main
from warehouse.db import connect
from warehouse.snapshot import restore_snapshot


def _write_index(folder):
    """An INDEX.csv as the staged archive has (each list's cut-off included)."""
    lines = [
        "file,last_update,source_commit,source_path,rows_in_source,rows_kept,source_bytes,"
        "min_download_count"
    ]
    for path in sorted(folder.glob("*.json")):
        dump = json.loads(path.read_text())
        counts = [row["download_count"] for row in dump["rows"]]
        lines.append(
            f"{path.name},{dump['last_update']},{'1' * 40},top-pypi-packages.json,"
            f"{len(counts)},{len(counts)},{path.stat().st_size},{min(counts)}"
        )
    (folder / "INDEX.csv").write_text("\n".join(lines) + "\n")


def test_snapshot_from_a_small_upstream_folder(tmp_path, fixtures, monkeypatch):
    shared = tmp_path / "shared"
    shutil.copytree(fixtures / "top_pypi", shared / "top-pypi-packages")
    _write_index(shared / "top-pypi-packages" / "monthly-30-days")
    monkeypatch.chdir(tmp_path)  # recorded input paths are relative to the working folder
    out = tmp_path / "snap"
    argv = ["snapshot", "--shared", str(shared), "--out", str(out)]
    argv += ["--work-db", str(tmp_path / "build.duckdb"), "--raw-dir", str(tmp_path / "raw")]
    assert main(argv) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["tables"]["pypi_download_snapshots"]["rows"] > 0
    # steps with root = "repo" read files shipped with the code (found via census_base.paths)
    assert manifest["tables"]["published_figure_values"]["rows"] > 0
    con = connect(":memory:")
    assert restore_snapshot(con, out) == sum(t["rows"] for t in manifest["tables"].values())
    sources = {r[0] for r in con.execute("SELECT DISTINCT source FROM _loads").fetchall()}
    assert {"top_pypi", "published_figures"} <= sources
    urls = con.execute("SELECT DISTINCT source_url FROM published_figure_values").fetchall()
    assert urls == [("collectors/published_figures.csv",)]  # cited by its path in the package
