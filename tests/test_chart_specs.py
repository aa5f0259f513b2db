"""Every chart spec of the report built from the shipped snapshot is valid Vega-Lite, and its
data is written exactly as Altair's own data transformer would write it.

For speed (#13) the report builds specs without Altair's schema validation (reports/build.py)
and converts frames with its own transformer (reports/charts.frame_values); this is where a
chart whose spec breaks the schema, or whose data would differ, is caught.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from altair.utils.data import to_values
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema.core import load_schema
from jsonschema import ValidationError
from test_report_index import StubRenderer  # tests/ is on sys.path

from reports.build import build_report
from reports.charts import frame_values
from reports.figure import Figure
from reports.figures import all_blocks
from warehouse.db import connect
from warehouse.ensure import ensure_warehouse


def _snapshot(tmp_path):
    db = tmp_path / "w.duckdb"
    ensure_warehouse(db)
    return connect(db)


def test_every_chart_spec_is_valid_vega_lite(tmp_path):
    con = _snapshot(tmp_path)
    result = build_report(con, tmp_path / "out", renderer=StubRenderer(tmp_path / "cache"))
    con.close()
    schema = load_schema()
    specs = sorted((result.folder / "figures").glob("*.png"))  # the stub wrote the spec there
    assert len(specs) == result.figures >= 20
    for png in specs:
        spec = json.loads(png.read_text())
        try:
            validate_jsonschema(spec, schema)
        except ValidationError as exc:
            pytest.fail(f"{png.stem}: {exc.message}")


def test_the_check_catches_a_broken_spec():
    with pytest.raises(ValidationError):
        validate_jsonschema({"mark": "pont", "data": {"values": []}}, load_schema())


def test_chart_data_is_written_as_altair_writes_it(tmp_path):
    con = _snapshot(tmp_path)
    frames = [(b.id, b.data(con)) for b in all_blocks() if isinstance(b, Figure)]
    con.close()
    assert sum(not frame.empty for _, frame in frames) >= 20
    for chart, frame in frames:
        assert frame_values(frame) == to_values(frame)["values"], chart


def test_chart_data_of_every_column_kind_matches_altair():
    frame = pd.DataFrame(
        {
            "int": [1, 2, 3],
            "int32": np.array([1, 2, 3], dtype="int32"),
            "float": [1.5, np.nan, np.inf],
            "float32": np.array([1, 2, 3], dtype="float32"),
            "text": ["x", None, np.nan],
            "date": pd.to_datetime(["2020-01-01", None, "2021-05-03 04:05:06"], format="mixed"),
            "utc": pd.to_datetime(["2020-01-01"] * 3).tz_localize("UTC"),
            "flag": [True, False, True],
            "Int64": pd.array([1, None, 3], dtype="Int64"),
            "Float64": pd.array([1.5, None, 2], dtype="Float64"),
            "boolean": pd.array([True, None, False], dtype="boolean"),
            "category": pd.Categorical(["u", "v", None]),
            "string": pd.array(["s", None, "t"], dtype="string"),
            "mixed": [np.array([1, 2]), None, pd.Timestamp("2020-01-01")],
        }
    )
    ours, altairs = frame_values(frame), to_values(frame)["values"]
    assert ours == altairs
    assert [[type(v) for v in row.values()] for row in ours] == [
        [type(v) for v in row.values()] for row in altairs
    ]
    with pytest.raises(ValueError, match="timedelta"):
        frame_values(pd.DataFrame({"span": pd.to_timedelta([1], unit="D")}))


def test_the_schema_class_table_is_the_one_altair_builds_and_is_built_once():
    from altair.utils import schemapi

    from reports import charts

    classes = list(schemapi.SchemaBase._default_wrapper_classes())
    fresh = schemapi._FromDict.__new__(schemapi._FromDict)
    charts._ORIGINAL_FROM_DICT_INIT(fresh, classes)  # Altair's own, unpatched
    cached = schemapi._FromDict(classes)
    assert {k: list(v) for k, v in cached.class_dict.items() if v} == {
        k: list(v) for k, v in fresh.class_dict.items() if v
    }
    assert schemapi._FromDict(classes).class_dict is cached.class_dict
