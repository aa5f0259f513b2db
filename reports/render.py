"""Render Vega-Lite specs to SVG and PNG with vl-convert (no browser), with a render cache.

Each chart is rendered once by the Vega runtime, to SVG; the PNG is converted from that SVG
(``svg_to_png``: the same pixels, for less than a second render). Charts are rendered in worker
processes: the Vega runtime runs one spec at a time per process and holds the GIL, so a thread
would not overlap with the report's own work. The report process keeps one core busy building
specs, so there is one worker per remaining core, at least one: on two cores one worker beat
two (5.7 s against 6.4 s per report), since each worker starts and warms up its own runtime.

``Renderer.start`` starts the workers before the report imports its libraries;
``Renderer.render`` queues a chart and returns at once; ``Renderer.finish`` waits for every
queued chart and copies the files into place. As with any use of ``multiprocessing``'s
``spawn``, a script that builds a report should do so under ``if __name__ == "__main__":`` (the
``census`` command does): without it each worker would first re-run the script, which
``multiprocessing`` stops with an error, and the charts are then rendered in this process.

The cache key is the sha256 of the spec (data included), so a chart whose data and spec did not
change is copied from the cache instead of rendered again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import shutil
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

DEFAULT_CACHE = Path("data/render-cache")
PNG_SCALE = 2.0
_BUNDLES: dict[str, str] = {}  # vega version -> bundle, built once per process
# Rendered in each new worker so that starting the Vega runtime (about 0.5 s) overlaps with the
# report's queries instead of delaying the first chart.
_WARM_UP_SPEC = {"data": {"values": [{"x": 1}]}, "mark": "point", "encoding": {"x": {"field": "x"}}}


def spec_hash(spec: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_bytes(data)
    partial.replace(path)


def render_files(spec: dict[str, Any], svg: str, png: str) -> None:
    """Render one spec to ``svg`` and derive ``png`` from it (runs in a worker process).

    The spec goes to vl-convert as a dict, as before: given the same spec as a JSON string,
    vl-convert parses some floats differently in the last digit, which moves SVG coordinates.
    """
    import vl_convert as vlc

    svg_text = vlc.vegalite_to_svg(spec)
    png_bytes = vlc.svg_to_png(svg_text, scale=PNG_SCALE)
    _write_atomically(Path(png), png_bytes)
    _write_atomically(Path(svg), svg_text.encode())


def build_bundle(path: str) -> None:
    """Write the Vega JavaScript bundle to ``path`` (runs in a worker process)."""
    import vl_convert as vlc

    _write_atomically(Path(path), vlc.javascript_bundle().encode())  # type: ignore[call-arg]


def _bundle_version() -> str:
    import vl_convert as vlc

    return f"{vlc.get_vega_version()}-{vlc.get_vega_embed_version()}"


def _nothing() -> None:
    """A task that makes the pool start a worker."""


def _warm_up() -> None:
    import vl_convert as vlc

    vlc.vegalite_to_svg(_WARM_UP_SPEC)


def default_workers() -> int:
    """One render process per core the process may run on, less the report's own (at least
    one)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores - 1)


@dataclass
class _Queued:
    """A chart waiting for ``finish``: its render (None when cached) and where its files go."""

    job: tuple[dict[str, Any], str, str] | None  # render_files arguments
    future: Future[None] | None
    cached_png: Path
    cached_svg: Path
    png: Path
    svg: Path

    def wait(self) -> None:
        """The worker's result; a failed render names its chart, a lost worker is redone here.

        A worker is lost when, e.g., a script that builds a report lacks the
        ``if __name__ == "__main__":`` guard that ``spawn`` needs: the chart is then rendered in
        this process instead.
        """
        if self.future is None or self.job is None:
            return
        try:
            self.future.result()
        except BrokenProcessPool:
            log.warning("%s: render worker lost; rendering in this process", self.svg.stem)
            render_files(*self.job)
        except ValueError as exc:  # vl-convert reports a bad spec as ValueError
            msg = f"{self.svg.stem}: {exc}"
            raise ValueError(msg) from exc


class Renderer:
    """Queue charts with ``render``; ``finish`` (called by the report builder) writes them.

    Args:
        cache_dir: the render cache folder (created when missing).
        workers: render processes; 0 renders in this process, one chart after another.
        bundle_dir: where the Vega JavaScript bundle is kept (default: ``.vega-bundle`` beside
            the render cache). It depends only on the vl-convert version, not on any chart, so
            emptying the render cache does not rebuild it.
    """

    def __init__(
        self,
        cache_dir: Path = DEFAULT_CACHE,
        workers: int | None = None,
        bundle_dir: Path | None = None,
    ) -> None:
        self.cache_dir = cache_dir
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self.bundle_dir = bundle_dir or cache_dir.parent / ".vega-bundle"
        self.workers = default_workers() if workers is None else workers
        self.rendered = 0
        self.cached = 0
        self._pool: ProcessPoolExecutor | None = None
        self._pending: list[_Queued] = []
        self._bundle: Future[None] | None = None

    def start(self) -> None:
        """Start the worker processes now (each starts and warms up its Vega runtime, about half
        a second) so that this overlaps with the report's imports and queries; without this
        they start with the first chart to render."""
        if self.workers > 0:
            pool = self._executor()
            for _ in range(self.workers):
                pool.submit(_nothing)

    def _cached_files(self, key: str) -> tuple[Path, Path]:
        return self.cache_dir / f"{key}.png", self.cache_dir / f"{key}.svg"

    def render(self, spec: dict[str, Any], png: Path, svg: Path) -> str:
        """Queue PNG and SVG for ``spec`` (written by ``finish``); returns the spec hash."""
        key = spec_hash(spec)
        cached_png, cached_svg = self._cached_files(key)
        if cached_png.exists() and cached_svg.exists():
            self.cached += 1
            self._pending.append(_Queued(None, None, cached_png, cached_svg, png, svg))
            return key
        if any(queued.cached_png == cached_png for queued in self._pending):  # same chart twice
            self._pending.append(_Queued(None, None, cached_png, cached_svg, png, svg))
            return key
        job = (spec, str(cached_svg), str(cached_png))
        future: Future[None] | None = None
        if self.workers > 0:
            self._start_bundle()
            future = self._executor().submit(render_files, *job)
        else:
            render_files(*job)
        self.rendered += 1
        self._pending.append(_Queued(job, future, cached_png, cached_svg, png, svg))
        return key

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn, not fork: the parent holds DuckDB's threads, which a fork would copy locked.
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_warm_up,
            )
        return self._pool

    def _bundle_path(self) -> Path:
        self.bundle_dir.mkdir(parents=True, exist_ok=True)
        return self.bundle_dir / f"vega-bundle-{_bundle_version()}.js"

    def _start_bundle(self) -> None:
        """Build a missing JavaScript bundle (seconds) in a worker while the charts render."""
        path = self._bundle_path()
        if self._bundle is not None or path.exists():
            return
        if known := _BUNDLES.get(_bundle_version()):  # built earlier in this process
            path.write_text(known)
        else:
            self._bundle = self._executor().submit(build_bundle, str(path))

    def finish(self) -> None:
        """Wait for every queued chart and copy its files into place; stop the workers."""
        pending, self._pending = self._pending, []
        bundle, self._bundle = self._bundle, None
        try:
            if bundle is not None and bundle.exception() is not None:
                # javascript_bundle() builds it in this process instead
                log.warning("building the Vega bundle failed in a worker: %s", bundle.exception())
            for queued in pending:
                queued.wait()
                shutil.copyfile(queued.cached_png, queued.png)
                shutil.copyfile(queued.cached_svg, queued.svg)
        finally:
            self.close()

    def close(self) -> None:
        """Stop the workers (also when no chart was queued); ``render`` starts them again."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

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
        folder and, within one process, in memory (tests build many reports). When charts are
        rendered, a missing bundle is built by a worker alongside them (see ``render``).
        """
        import vl_convert as vlc

        version = _bundle_version()
        path = self._bundle_path()
        if not path.exists():
            bundle = _BUNDLES.get(version) or vlc.javascript_bundle()  # type: ignore[call-arg]
            path.write_text(bundle)
        _BUNDLES[version] = _BUNDLES.get(version) or path.read_text()
        return _BUNDLES[version]
