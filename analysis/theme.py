"""The one registered Altair theme, and the framework colours every chart shares."""

from __future__ import annotations

import altair as alt

from census_base.frameworks import FRAMEWORKS

FRAMEWORK_COLORS = {fid: fw.colour for fid, fw in FRAMEWORKS.items()}
FRAMEWORK_LABELS = {fid: fw.label for fid, fw in FRAMEWORKS.items()}
WIDTH = 640
HEIGHT = 300


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


def framework_scale(families: list[str]) -> alt.Scale:
    """A colour scale with each framework's fixed colour."""
    return alt.Scale(domain=families, range=[FRAMEWORK_COLORS.get(f, "#444444") for f in families])
