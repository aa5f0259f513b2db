"""The chart renderer: one Vega render per chart (SVG), PNG derived from it, worker processes.

Run: PYTHONPATH=. python -m pytest -q tests/test_render.py
"""

from __future__ import annotations

from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pytest
import vl_convert as vlc

from reports import render
from reports.render import PNG_SCALE, Renderer, spec_hash


def bar_spec(values: list[int]) -> dict:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": [{"year": 2018 + i, "share": v / 100} for i, v in enumerate(values)]},
        "mark": "bar",
        "encoding": {
            "x": {"field": "year", "type": "ordinal"},
            "y": {"field": "share", "type": "quantitative", "title": "PyTorch share"},
        },
        "title": "A test chart",
    }


@pytest.fixture
def known_bundle(monkeypatch):
    """Pretend the Vega bundle was built earlier in this process (building it takes seconds)."""
    monkeypatch.setitem(render._BUNDLES, render._bundle_version(), "// bundle")


@pytest.mark.usefixtures("known_bundle")
def test_workers_write_what_a_direct_render_writes(tmp_path):
    """Same files as the old path: vegalite_to_svg, and vegalite_to_png at the same scale."""
    specs = [bar_spec([10, 30, 55]), bar_spec([20, 40])]
    renderer = Renderer(tmp_path / "cache", workers=2)
    keys = [
        renderer.render(spec, tmp_path / f"{i}.png", tmp_path / f"{i}.svg")
        for i, spec in enumerate(specs)
    ]
    assert not (tmp_path / "0.png").exists()  # queued, written by finish()
    renderer.finish()
    assert keys == [spec_hash(spec) for spec in specs]
    assert (renderer.rendered, renderer.cached) == (2, 0)
    for i, spec in enumerate(specs):
        assert (tmp_path / f"{i}.svg").read_text() == vlc.vegalite_to_svg(spec)
        assert (tmp_path / f"{i}.png").read_bytes() == vlc.vegalite_to_png(spec, scale=PNG_SCALE)
    assert (tmp_path / ".vega-bundle" / f"vega-bundle-{render._bundle_version()}.js").exists()
    assert not list((tmp_path / "cache").glob("vega-bundle-*"))  # not in the chart cache


@pytest.mark.usefixtures("known_bundle")
def test_in_process_rendering_matches_workers(tmp_path):
    spec = bar_spec([5, 95])
    inline = Renderer(tmp_path / "inline", workers=0)
    inline.render(spec, tmp_path / "a.png", tmp_path / "a.svg")
    inline.finish()
    pooled = Renderer(tmp_path / "pooled", workers=1)
    pooled.render(spec, tmp_path / "b.png", tmp_path / "b.svg")
    pooled.finish()
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    assert (tmp_path / "a.svg").read_text() == (tmp_path / "b.svg").read_text()


def test_unchanged_chart_comes_from_the_cache(tmp_path, monkeypatch):
    spec = bar_spec([1, 2, 3])
    first = Renderer(tmp_path / "cache", workers=0)
    first.render(spec, tmp_path / "a.png", tmp_path / "a.svg")
    first.finish()

    def fail(*args, **kwargs):
        raise AssertionError("rendered although the spec is in the cache")

    monkeypatch.setattr(render, "render_files", fail)
    again = Renderer(tmp_path / "cache", workers=2)
    again.render(spec, tmp_path / "b.png", tmp_path / "b.svg")
    again.render(spec, tmp_path / "c.png", tmp_path / "c.svg")
    again.finish()
    assert (again.rendered, again.cached) == (0, 2)
    assert (tmp_path / "c.png").read_bytes() == (tmp_path / "a.png").read_bytes()


@pytest.mark.usefixtures("known_bundle")
def test_same_new_chart_twice_is_rendered_once(tmp_path):
    spec = bar_spec([7])
    renderer = Renderer(tmp_path / "cache", workers=1)
    renderer.render(spec, tmp_path / "a.png", tmp_path / "a.svg")
    renderer.render(spec, tmp_path / "b.png", tmp_path / "b.svg")
    renderer.finish()
    assert renderer.rendered == 1
    assert (tmp_path / "b.svg").read_text() == (tmp_path / "a.svg").read_text()


@pytest.mark.usefixtures("known_bundle")
def test_a_bad_spec_fails_the_build_and_caches_nothing(tmp_path):
    bad = {"data": {"values": [{"x": 1}]}, "mark": "no-such-mark", "encoding": {}}
    renderer = Renderer(tmp_path / "cache", workers=1)
    renderer.render(bad, tmp_path / "bad-chart.png", tmp_path / "bad-chart.svg")
    with pytest.raises(ValueError, match="^bad-chart: Vega-Lite to SVG conversion failed"):
        renderer.finish()
    assert not list((tmp_path / "cache").glob("*.png"))
    assert not list((tmp_path / "cache").glob("*.svg"))
    assert renderer._pool is None  # the workers were stopped


def test_a_lost_worker_is_redone_in_this_process(tmp_path, caplog):
    """E.g. a script without the __main__ guard: the spawned worker dies, the chart still renders."""
    spec = bar_spec([3, 4])
    lost: Future[None] = Future()
    lost.set_exception(BrokenProcessPool("worker died"))
    svg, png = tmp_path / "lost.svg", tmp_path / "lost.png"
    queued = render._Queued((spec, str(svg), str(png)), lost, png, svg, png, svg)
    queued.wait()
    assert svg.read_text() == vlc.vegalite_to_svg(spec)
    assert png.read_bytes() == vlc.vegalite_to_png(spec, scale=PNG_SCALE)
    assert "lost: render worker lost; rendering in this process" in caplog.text
