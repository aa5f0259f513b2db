"""What a report is made of: figures (a chart and the data it shows) and text blocks.

Modules in ``reports/figures`` declare ``BLOCKS``: a list of :class:`Figure` and
:class:`TextBlock`. The report orders them by section, then ``order``.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field

import altair as alt
import duckdb
import pandas as pd

# Sections in report order: (key, heading).
SECTIONS = [
    ("headline", "Headline"),
    ("downloads", "Downloads"),
    ("repositories", "Repositories"),
    ("papers", "Papers"),
    ("surveys", "Surveys and Q&A"),
    ("deployment", "Deployment and ecosystem"),
    ("performance", "Measured model performance"),
    ("methodology", "Methodology"),
    ("coverage", "Coverage and freshness"),
]
SECTION_KEYS = [key for key, _ in SECTIONS]


@dataclass(frozen=True)
class Figure:
    """One chart. ``data`` returns exactly the rows the chart shows (written as its CSV).

    ``title`` states the finding and ``caption`` gives source, period and caveats; both are
    computed from the same data. ``sources`` name rows of the ``sources`` table (citation).
    """

    id: str
    section: str
    order: int
    data: Callable[[duckdb.DuckDBPyConnection], pd.DataFrame]
    chart: Callable[[pd.DataFrame], alt.TopLevelMixin]
    title: Callable[[pd.DataFrame], str]
    caption: Callable[[pd.DataFrame], str]
    sources: tuple[str, ...]
    datasets: tuple[str, ...]
    missing_hint: str = ""  # what to load when the data is empty


@dataclass(frozen=True)
class Content:
    markdown: str
    html: str


@dataclass(frozen=True)
class TextBlock:
    """Text or tables computed from the warehouse (methodology, coverage, verdicts)."""

    id: str
    section: str
    order: int
    render: Callable[[duckdb.DuckDBPyConnection], Content | None]
    sources: tuple[str, ...] = field(default=())


def paragraphs(*texts: str) -> Content:
    """Plain paragraphs (no markup inside) as Markdown and HTML."""
    return Content("\n\n".join(texts), "".join(f"<p>{html.escape(t)}</p>" for t in texts))


def table(frame: pd.DataFrame, caption: str = "") -> Content:
    """A DataFrame as a Markdown table and an HTML table (cells escaped)."""
    cells = frame.astype(object).where(frame.notna(), "").astype(str)
    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = [
        "| " + " | ".join(v.replace("|", "\\|") for v in row) + " |"
        for row in cells.itertuples(index=False)
    ]
    markdown = "\n".join(([f"*{caption}*", ""] if caption else []) + [head, rule, *body])
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>"
        for row in cells.itertuples(index=False)
    )
    header = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return Content(
        markdown, f"<table>{cap}<thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>"
    )


def join(*parts: Content) -> Content:
    return Content("\n\n".join(p.markdown for p in parts), "".join(p.html for p in parts))
