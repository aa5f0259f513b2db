"""What every chart shares: the one registered Altair theme, the share axis, the parity rule and
framework colour scales (colours and labels from ``census_base.frameworks``).

A chart's own spec lives in ``reports/figures/<topic>.py`` beside its SQL and title rule.
"""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from analysis.trends import PARITY
from census_base.frameworks import FRAMEWORKS, colour, label

WIDTH = 640
HEIGHT = 300
SHARE_TITLE = "PyTorch share of PyTorch + TensorFlow"
TITLE_CHARS = 90  # a title longer than this is wrapped into lines


@alt.theme.register("census", enable=True)
def census_theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "stroke": None},
            "font": "DejaVu Sans, Helvetica, Arial, sans-serif",
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
