"""The one registered Altair theme, and the framework colours every chart shares."""

from __future__ import annotations

import altair as alt

FRAMEWORK_COLORS = {
    "torch": "#ee4c2c",  # PyTorch orange-red
    "tensorflow": "#ff8f00",  # TensorFlow orange
    "keras": "#d00000",
    "jax": "#5e97f6",
    "reference": "#888888",
}
FRAMEWORK_LABELS = {
    "torch": "PyTorch",
    "tensorflow": "TensorFlow",
    "keras": "Keras",
    "jax": "JAX",
    "reference": "Reference",
}
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
