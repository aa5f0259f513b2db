"""Installed from a wheel (not editable), the package restores its shipped snapshot and writes
the same report in any folder; query, datasets, export and the Python API work the same.

Builds the wheel from a copy of the source tree (`pip wheel --no-deps --no-build-isolation`),
installs it with `pip install --no-deps --target`, and runs it with that folder first on the
path and the working folder outside the checkout. About 30 s (one real render).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest

from reports.build import build_report
from reports.render import Renderer
from warehouse.db import connect
from warehouse.snapshot import SNAPSHOT_DIR, restore_snapshot

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ("pyproject.toml", "README.md", "census", "census_base", "collectors", "warehouse")
SHIPPED += ("analysis", "reports", "reference_models")

pytestmark = [
    pytest.mark.skipif(find_spec("setuptools") is None, reason="setuptools is not installed"),
    pytest.mark.skipif(find_spec("pip") is None, reason="pip is not installed"),
    pytest.mark.skipif(
        not (SNAPSHOT_DIR / "manifest.json").exists(), reason="no shipped snapshot to package"
    ),
]


class NoImages(Renderer):
    """The checkout's side of the comparison needs the CSVs, not the pictures."""

    def render(self, spec, png: Path, svg: Path) -> str:  # type: ignore[override]
        png.write_bytes(b"")
        svg.write_text("<svg/>")
        return "none"

    def javascript_bundle(self) -> str:
        return ""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the source tree and installed into its own folder."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    for name in SHIPPED:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=ignore)
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(path, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(base / "dist"), str(source)],
        check=True,
        timeout=300,
    )
    (wheel,) = (base / "dist").glob("framework_census-*.whl")
    target = base / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    return target


def installed(site: Path, cwd: Path, code: str) -> subprocess.CompletedProcess:
    """Run ``code`` with the installed wheel first on the path, in ``cwd``."""
    prelude = (
        "import sys, census\n"
        f"assert census.__file__.startswith({str(site)!r}), census.__file__\n"
        "from census.cli import main\n"
    )
    return subprocess.run(
        [sys.executable, "-c", prelude + code],
        cwd=cwd,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "HOME": str(cwd)},
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_snapshot_is_package_data(site):
    shipped = site / "warehouse" / "shipped_snapshot"
    manifest = json.loads((shipped / "manifest.json").read_text())
    assert all((shipped / t["file"]).is_file() for t in manifest["tables"].values())


def test_report_from_the_wheel_matches_the_checkout(site, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = installed(site, elsewhere, "sys.exit(main(['--db', 'w.duckdb', 'report']))")
    assert done.returncode == 0, done.stderr
    wheel_csvs = sorted((elsewhere / "output" / "latest" / "figures").glob("*.csv"))
    assert wheel_csvs, "the installed report has no chart"

    con = connect(":memory:")
    restore_snapshot(con)
    build_report(con, tmp_path / "checkout", renderer=NoImages(tmp_path / "cache"))
    con.close()
    checkout_csvs = sorted((tmp_path / "checkout" / "latest" / "figures").glob("*.csv"))
    assert [p.name for p in wheel_csvs] == [p.name for p in checkout_csvs]
    for ours, theirs in zip(wheel_csvs, checkout_csvs, strict=True):
        assert ours.read_bytes() == theirs.read_bytes(), ours.name
    assert not (site / "reports" / "latest").exists()  # output never inside a code package


def test_query_datasets_export_and_api_from_the_wheel(site, tmp_path):
    # export restores the shipped snapshot into a new warehouse; query only reads one
    export = "['--db', 'w.duckdb', 'export', 'downloads_monthly', '--format', 'csv', '--out', 'x']"
    done = installed(site, tmp_path, f"sys.exit(main({export}))")
    assert done.returncode == 0, done.stderr
    exported = len((tmp_path / "x" / "downloads_monthly.csv").read_text().splitlines()) - 1
    query = "SELECT count(*) AS n FROM downloads_monthly"
    done = installed(
        site,
        tmp_path,
        f"sys.exit(main(['--db', 'w.duckdb', 'query', {query!r}, '--format', 'json']))",
    )
    assert done.returncode == 0, done.stderr
    ((_, rows),) = json.loads(done.stdout)[0].items()
    assert rows > 0 and rows == exported
    done = installed(site, tmp_path, "sys.exit(main(['--db', 'w.duckdb', 'datasets']))")
    assert done.returncode == 0 and "downloads_monthly:" in done.stdout, done.stderr
    done = installed(
        site, tmp_path, "from census import load; print(len(load('downloads_monthly')))"
    )
    assert done.returncode == 0 and done.stdout.split() == [str(rows)], done.stderr
