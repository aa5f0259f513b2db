"""index.html in a real browser: headless Debian chromium renders every chart, no console error.

Skipped (with the reason) where chromium is not installed; `.ci/run` installs it, so it runs in
CI. Talks DevTools over a pipe (reports/browser.py): no socket is opened.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from test_report_index import AS_OF, first_rows, load, setup_signals  # tests/ is on sys.path

from reports.browser import check_report, find_chromium
from reports.build import build_report
from reports.page import RenderedBlock, build_html
from reports.render import Renderer
from warehouse.db import connect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        find_chromium() is None,
        reason="needs Debian's chromium (apt-get install chromium; .ci/run does)",
    ),
]


@pytest.fixture(scope="module")
def renderer(tmp_path_factory):
    return Renderer(tmp_path_factory.mktemp("render-cache"))


@pytest.mark.parametrize("width", [1400, 400])
def test_every_chart_renders_at_any_width(tmp_path, renderer, width):
    con = connect(":memory:")
    setup_signals(con)
    load(con, first_rows(), "2024-01-15")
    # As of mid-2024 the synthetic signals are current: the today index and growth are drawn.
    result = build_report(con, tmp_path / "out", data_as_of=AS_OF, renderer=renderer)
    con.close()
    provenance = json.loads((result.folder / "provenance.json").read_text())
    expected = {f["id"] for f in provenance["figures"]}
    assert expected >= {"headline-adoption-index", "headline-yoy-growth"}

    shot = tmp_path / f"screenshot-{width}px.png"  # kept in the test's temp folder (CI artefact)
    checked = check_report(result.folder.parent / "latest" / "index.html", shot, width=width)
    assert checked.width == width
    assert checked.problems == []  # no console error, every chart drawn, no page overflow
    assert checked.overflow <= 0
    assert set(checked.expected) == expected
    assert all(checked.charts[i] == "true" and checked.marks[i] > 0 for i in expected)
    assert shot.read_bytes()[:4] == b"\x89PNG" and shot.stat().st_size > 20_000
    print(f"screenshot: {shot}")  # noqa: T201 - where to look at it


def test_a_page_wider_than_the_window_is_reported(tmp_path, renderer):
    wide = '<div style="width:900px;height:10px">wide</div>'
    block = RenderedBlock("wide-text", "headline", "text", html=wide)
    page = tmp_path / "index.html"
    page.write_text(build_html([block], date(2026, 1, 1), renderer.javascript_bundle(), ""))
    checked = check_report(page, width=400)
    assert checked.overflow > 0
    assert any("page overflows a 400 px window" in p for p in checked.problems)


def test_a_broken_chart_is_reported(tmp_path, renderer):
    good = {
        "data": {"values": [{"x": 1}]},
        "mark": "point",
        "encoding": {"x": {"field": "x", "type": "quantitative"}},
    }
    broken = {
        "data": {"values": [{"x": 1}]},
        "mark": "no-such-mark",
        "encoding": {"x": {"field": "x", "type": "quantitative"}},
    }
    blocks = [
        RenderedBlock("ok-chart", "headline", "figure", title="ok", spec=good),
        RenderedBlock("bad-chart", "headline", "figure", title="bad", spec=broken),
    ]
    page = tmp_path / "index.html"
    page.write_text(build_html(blocks, date(2026, 1, 1), renderer.javascript_bundle(), ""))
    checked = check_report(page)
    assert checked.charts["ok-chart"] == "true"
    assert checked.charts["bad-chart"] == "error"
    assert any("bad-chart" in p for p in checked.problems)
    assert any(p.startswith("console:") for p in checked.problems)
