"""Every chart of the report built from the shipped snapshot colours a framework with the one
palette (census_base.frameworks, Okabe-Ito), and the four main frameworks are far apart."""

from __future__ import annotations

import json

from test_report_index import StubRenderer  # tests/ is on sys.path

from census_base.frameworks import FRAMEWORKS, colour
from reports.build import build_report
from warehouse.db import connect
from warehouse.ensure import ensure_warehouse

BY_NAME = {fid: fid for fid in FRAMEWORKS} | {fw.label: fid for fid, fw in FRAMEWORKS.items()}
BY_NAME["pytorch"] = "torch"  # the Stack Overflow tag


def _colour_pairs(node: object, found: list[tuple[str, str]]) -> None:
    """(domain value, colour) of every scale in a spec whose range is colours."""
    if isinstance(node, dict):
        domain, range_ = node.get("domain"), node.get("range")
        if isinstance(domain, list) and isinstance(range_, list) and len(domain) == len(range_):
            found += [(str(d), r) for d, r in zip(domain, range_, strict=True)
                      if isinstance(r, str) and r.startswith("#")]  # fmt: skip
        for value in node.values():
            _colour_pairs(value, found)
    elif isinstance(node, list):
        for item in node:
            _colour_pairs(item, found)


def _distance(a: str, b: str) -> float:
    ra, ga, ba = (int(a[i : i + 2], 16) for i in (1, 3, 5))
    rb, gb, bb = (int(b[i : i + 2], 16) for i in (1, 3, 5))
    return ((ra - rb) ** 2 + (ga - gb) ** 2 + (ba - bb) ** 2) ** 0.5


def test_every_chart_uses_the_one_framework_palette(tmp_path):
    db = tmp_path / "w.duckdb"
    ensure_warehouse(db)
    con = connect(db)
    result = build_report(con, tmp_path / "out", renderer=StubRenderer(tmp_path / "cache"))
    con.close()
    checked = set()
    for png in sorted((result.folder / "figures").glob("*.png")):  # the stub wrote the spec
        pairs: list[tuple[str, str]] = []
        _colour_pairs(json.loads(png.read_text()), pairs)
        for name, shown in pairs:
            if name in BY_NAME:
                assert shown.lower() == colour(BY_NAME[name]).lower(), (png.stem, name, shown)
                checked.add(png.stem)
    assert len(checked) >= 8, checked  # most charts colour frameworks


def test_main_frameworks_are_clearly_distinct():
    # RGB distances: the brand reds #ee4c2c vs #d00000 were 93 apart, Okabe-Ito vermillion vs
    # orange 67; the two frameworks compared everywhere must be far apart (vermillion vs blue),
    # and no two of the four main ones close.
    assert _distance(colour("torch"), colour("tensorflow")) > 250
    main = [colour(f) for f in ("torch", "tensorflow", "keras", "jax")]
    distances = [_distance(a, b) for i, a in enumerate(main) for b in main[i + 1 :]]
    assert min(distances) > 75
