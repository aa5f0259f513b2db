"""What every chart shares: the one registered Altair theme and data transformer, the share
axis, the parity rule and framework colour scales (colours and labels from
``census_base.frameworks``).

A chart's own spec lives in ``reports/figures/<topic>.py`` beside its SQL and title rule.
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
from altair.utils import schemapi
from altair.utils.data import limit_rows, to_values

from analysis.trends import PARITY
from census_base.frameworks import FRAMEWORKS, colour, label

WIDTH = 640
HEIGHT = 300
SHARE_TITLE = "PyTorch share of PyTorch + TensorFlow"
# Liberation Sans ships inside vl-convert and is held in memory there; a system font (DejaVu
# Sans) is opened and mapped from disk for every text measurement and glyph, which took half
# the render time (162,000 file opens for 27 charts). It is metric-compatible with Arial and
# Helvetica, so labels measured with it also fit where a viewer shows the SVG in those.
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
TITLE_CHARS = 90  # a title longer than this is wrapped into lines


@alt.theme.register("census", enable=True)
def census_theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "stroke": None},
            "font": FONT,
            "title": {
                "anchor": "start",
                "fontSize": 14,
                "subtitleFontSize": 11,
                "subtitleColor": "#555",
            },
            "axis": {"labelFontSize": 11, "titleFontSize": 11, "gridColor": "#eee"},
            "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom"},
            "background": "white",
        }
    }


_FROM_DICT = getattr(schemapi, "_FromDict", None)  # Altair 5.4 to 6.x; absent: not patched
_ORIGINAL_FROM_DICT_INIT = getattr(_FROM_DICT, "__init__", None)
_SCHEMA_CLASSES: dict[tuple[type, ...], Any] = {}


def _from_dict_init(self: Any, wrapper_classes: Any, /) -> None:
    """``altair.utils.schemapi._FromDict.__init__``, with its table of schema hashes built once
    per set of classes instead of on every call: Altair builds a ``_FromDict`` for each
    encoding channel and hashes all ~570 schemas as JSON each time, a third of a chart's build.
    The table depends only on the classes, which never change (tests/test_chart_specs.py)."""
    classes = tuple(wrapper_classes)
    if (known := _SCHEMA_CLASSES.get(classes)) is None:
        _ORIGINAL_FROM_DICT_INIT(self, classes)  # type: ignore[misc]
        _SCHEMA_CLASSES[classes] = self.class_dict
    else:
        self.class_dict = known


if _FROM_DICT is not None and hasattr(_FROM_DICT, "hash_schema"):
    _FROM_DICT.__init__ = _from_dict_init


def frame_values(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame's rows as JSON-ready records, exactly as Altair's own ``to_values`` writes them
    (tests/test_chart_specs.py compares the two on every chart), converted column by column
    instead of through a sanitised copy of the frame: a quarter of a chart's build time."""
    if isinstance(frame.columns, pd.MultiIndex) or isinstance(frame.index, pd.MultiIndex):
        msg = "Hierarchical indices not supported"
        raise ValueError(msg)
    columns: list[list[Any]] = []
    for name, col in frame.items():
        if not isinstance(name, str):
            msg = f"Dataframe contains invalid column name: {name!r}. Column names must be strings"
            raise ValueError(msg)
        kind = str(col.dtype)
        plain = col.dtype.kind if isinstance(col.dtype, np.dtype) else ""  # numpy, not nullable
        if kind.startswith(("datetime", "timestamp")):
            columns.append(["" if v is pd.NaT else v.isoformat() for v in col])
        elif kind.startswith("timedelta"):
            msg = f'Field "{name}" has type "{col.dtype}", which charts do not support'
            raise ValueError(msg)
        elif plain in ("b", "i", "u"):
            columns.append(col.tolist())
        elif plain == "f":
            columns.append([v if math.isfinite(v) else None for v in col.tolist()])
        else:  # object, string, category, nullable: nulls become None, arrays lists
            null = col.isna().tolist()
            columns.append(
                [
                    None if missing else (v.tolist() if isinstance(v, np.ndarray) else v)
                    for v, missing in zip(col.astype(object).tolist(), null, strict=True)
                ]
            )
    names = [str(n) for n in frame.columns]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def census_data(data: Any) -> Any:
    """The registered data transformer: Altair's row limit, then :func:`frame_values`."""
    data = limit_rows(data)
    if isinstance(data, pd.DataFrame):
        return {"values": frame_values(data)}
    return to_values(data)


alt.data_transformers.register("census", census_data)
alt.data_transformers.enable("census")


def known_frameworks(present: object) -> list[str]:
    """Framework ids of the shared table that occur in ``present``, in the table's order."""
    seen = set(present)  # type: ignore[call-overload]
    return [fid for fid in FRAMEWORKS if fid in seen]


def framework_scale(frameworks: list[str]) -> alt.Scale:
    """A colour scale over framework ids with each framework's fixed colour."""
    return alt.Scale(domain=frameworks, range=[colour(f) for f in frameworks])


def framework_label_scale(frameworks: list[str]) -> alt.Scale:
    """A colour scale over framework labels ('PyTorch', ...) with each framework's colour."""
    return alt.Scale(domain=[label(f) for f in frameworks], range=[colour(f) for f in frameworks])


def share_axis(field: str = "share:Q", title: str = SHARE_TITLE) -> alt.Y:
    """The y encoding of a share: 0 to 100 %, percent labels."""
    return alt.Y(field).axis(format="%").scale(domain=[0, 1]).title(title)


def parity_rule(field: str = "share") -> alt.Chart:
    """The dashed 50 % rule, as a layer with its own one-row data."""
    return (
        alt.Chart(pd.DataFrame({field: [PARITY]}))
        .mark_rule(strokeDash=[4, 4], color="#999")
        .encode(y=f"{field}:Q")
    )


def parity_datum_rule() -> alt.Chart:
    """The dashed 50 % rule without data of its own (for layers inside a facet)."""
    return alt.Chart().mark_rule(strokeDash=[4, 4], color="#999").encode(y=alt.datum(PARITY))


def framework_labels(ids: pd.Series) -> pd.Series:
    """Labels of framework ids for tables and legends; ids not in the shared table give NaN."""
    return ids.map({fid: fw.label for fid, fw in FRAMEWORKS.items()})


def label_expr(frameworks: list[str]) -> str:
    """A Vega label expression showing each framework id's label (for legends over ids)."""
    expr = "datum.value"
    for fid in reversed(frameworks):
        expr = f"datum.value == '{fid}' ? '{label(fid)}' : {expr}"
    return expr


def chart_title(title: str, width: int = TITLE_CHARS) -> str | list[str]:
    """The title as drawn on the chart: long titles wrapped into lines (Vega does not wrap)."""
    return title if len(title) <= width else textwrap.wrap(title, width)
