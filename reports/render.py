"""Render Vega-Lite specs to PNG and SVG with vl-convert (no browser), with a render cache.

The cache key is the sha256 of the spec (data included), so a chart whose data and spec did not
change is copied from the cache instead of rendered again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path
from typing import Any

import vl_convert as vlc

log = logging.getLogger(__name__)

DEFAULT_CACHE = Path("data/render-cache")
PNG_SCALE = 2.0
_BUNDLES: dict[str, str] = {}  # vega version -> bundle, built once per process


def spec_hash(spec: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()


class Renderer:
    def __init__(self, cache_dir: Path = DEFAULT_CACHE) -> None:
        self.cache_dir = cache_dir
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self.rendered = 0
        self.cached = 0

    def render(self, spec: dict[str, Any], png: Path, svg: Path) -> str:
        """Write PNG and SVG for ``spec``; returns the spec hash."""
        key = spec_hash(spec)
        cached_png = self.cache_dir / f"{key}.png"
        cached_svg = self.cache_dir / f"{key}.svg"
        if not (cached_png.exists() and cached_svg.exists()):
            svg_text = vlc.vegalite_to_svg(spec)
            png_bytes = vlc.vegalite_to_png(spec, scale=PNG_SCALE)
            cached_svg.write_text(svg_text)
            cached_png.write_bytes(png_bytes)
            self.rendered += 1
        else:
            self.cached += 1
        shutil.copyfile(cached_png, png)
        shutil.copyfile(cached_svg, svg)
        return key

    def cached_spec(self, key: str) -> dict[str, Any] | None:
        """A figure's stored title, caption and spec (see reports.build), None when absent."""
        path = self.cache_dir / f"spec-{key}.json"
        try:
            return json.loads(path.read_text())  # type: ignore[no-any-return]
        except (OSError, ValueError):
            return None

    def store_spec(self, key: str, described: dict[str, Any]) -> None:
        path = self.cache_dir / f"spec-{key}.json"
        path.write_text(json.dumps(described, default=str))

    def javascript_bundle(self) -> str:
        """The Vega + Vega-Lite + vega-embed bundle.

        Building it takes seconds (up to 15 on a busy machine), so it is kept in the cache
        folder and, within one process, in memory (tests build many reports).
        """
        version = f"{vlc.get_vega_version()}-{vlc.get_vega_embed_version()}"
        path = self.cache_dir / f"vega-bundle-{version}.js"
        if not path.exists():
            bundle = _BUNDLES.get(version) or vlc.javascript_bundle()  # type: ignore[call-arg]
            path.write_text(bundle)
        _BUNDLES[version] = _BUNDLES.get(version) or path.read_text()
        return _BUNDLES[version]
