"""Citation lines and provenance for figures, computed from the warehouse."""

from __future__ import annotations

import json
import re
from datetime import date

import duckdb
import pandas as pd

PERIOD_COLUMNS = ("month", "date", "week", "year", "period", "window_end_date", "event_date")


def period_of(frame: pd.DataFrame) -> str:
    """'first .. last' of the first period-like column, or '' when there is none."""
    for column in PERIOD_COLUMNS:
        if column in frame.columns and frame[column].notna().any():
            values = frame[column].dropna()
            if column == "year" or pd.api.types.is_integer_dtype(values):
                return f"{int(values.min())}..{int(values.max())}"
            first, last = pd.to_datetime(values.min()), pd.to_datetime(values.max())
            fmt = "%Y-%m" if column == "month" else "%Y-%m-%d"
            return f"{first.strftime(fmt)}..{last.strftime(fmt)}"
    return ""


def load_ids_of(
    con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, sources: tuple[str, ...]
) -> list[str]:
    """Loads behind a figure: those named in its data, else the latest ok load per source."""
    if "load_id" in frame.columns and frame["load_id"].notna().any():
        return sorted(frame["load_id"].dropna().unique().tolist())
    if not sources:
        return []
    marks = ", ".join("?" for _ in sources)
    rows = con.execute(
        f"""SELECT max(load_id) FROM _loads WHERE status = 'ok' AND source IN ({marks})
            AND (getvariable('census_as_of') IS NULL
                 OR finished_at <= getvariable('census_as_of'))
            GROUP BY source ORDER BY 1""",
        list(sources),
    ).fetchall()
    return [r[0] for r in rows]


def citation_line(
    con: duckdb.DuckDBPyConnection,
    frame: pd.DataFrame,
    sources: tuple[str, ...],
    datasets: tuple[str, ...],
    as_of: date,
    git_sha: str | None,
) -> tuple[str, list[str]]:
    """The one-line citation of a figure and the load ids it rests on."""
    loads = load_ids_of(con, frame, sources)
    cited = []
    if sources:
        marks = ", ".join("?" for _ in sources)
        cited = [
            r[0]
            for r in con.execute(
                f"SELECT citation FROM sources WHERE name IN ({marks}) ORDER BY name", list(sources)
            ).fetchall()
        ]
    vintage = ""
    if loads:
        marks = ", ".join("?" for _ in loads)
        row = con.execute(
            f"SELECT min(finished_at)::DATE, max(finished_at)::DATE FROM _loads "
            f"WHERE load_id IN ({marks})",
            loads,
        ).fetchone()
        if row and row[0]:
            vintage = f"loaded {row[0]}" + (f"..{row[1]}" if row[1] != row[0] else "")
    period = period_of(frame)
    if not loads:
        load_text = "no load"
    elif len(loads) == 1:
        load_text = f"load {loads[0]}"
    else:
        load_text = f"{len(loads)} loads, latest {loads[-1]}"
    parts = [
        "Source: " + ("; ".join(cited) if cited else ", ".join(sources) or "computed"),
        f"data {', '.join(datasets)}" + (f" {period}" if period else ""),
        vintage,
        load_text,
        f"framework-census report as of {as_of.isoformat()}"
        + (f", code {git_sha[:10]}" if git_sha else ""),
    ]
    return ". ".join(p.rstrip(". ") for p in parts if p) + ".", loads


FORMATS = ("markdown", "bibtex", "csl-json")
AUTHOR = "framework-census"


def _bibtex_escape(text: str) -> str:
    for char in "\\{}%&$#_":
        text = text.replace(char, "\\" + char)
    return text


def format_citation(figure: dict, report: dict, csv_sha256: str, where: str, fmt: str) -> str:
    """A figure's citation from its provenance entry and the report's, in ``fmt``.

    Args:
        figure: the figure's entry in provenance.json (id, title, period, sources).
        report: provenance.json itself (as_of, git_sha, cutoff).
        csv_sha256: sha256 of the figure's CSV as it is on disk.
        where: the chart's address (the report's index.html with the chart's anchor).
        fmt: one of :data:`FORMATS`.
    """
    chart, as_of = figure["id"], str(report.get("as_of", ""))
    code = str(report.get("git_sha") or "unknown")
    sources = ", ".join(figure.get("sources", [])) or "computed"
    period = figure.get("period") or "no period column"
    if fmt == "markdown":
        return (
            f"{AUTHOR} ({as_of[:4]}). *{figure['title']}* [chart `{chart}`]. "
            f"Data {period}; sources: {sources}. Report as of {as_of}, code {code[:10]}. "
            f"CSV sha256 `{csv_sha256}`. {where}"
        )
    note = (
        f"Chart id {chart}; data period {period}; sources: {sources}; report as of {as_of}; "
        f"code {code}; CSV sha256 {csv_sha256}"
    )
    if fmt == "bibtex":
        key = re.sub(r"[^A-Za-z0-9-]", "", f"census-{chart}-{as_of}")
        fields = {
            "author": f"{{{AUTHOR}}}",
            "title": f"{{{_bibtex_escape(figure['title'])}}}",
            "year": as_of[:4],
            "version": code[:10],
            "howpublished": f"\\url{{{where}}}",
            "note": _bibtex_escape(note),
        }
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
        return f"@misc{{{key},\n{body}\n}}"
    if fmt == "csl-json":
        parts = [int(p) for p in as_of.split("-")] if as_of else []
        entry = {
            "id": f"census-{chart}-{as_of}",
            "type": "dataset",
            "title": figure["title"],
            "author": [{"literal": AUTHOR}],
            "issued": {"date-parts": [parts]},
            "version": code,
            "source": sources,
            "URL": where,
            "note": note,
        }
        return json.dumps([entry], indent=1, ensure_ascii=False)
    msg = f"unknown citation format {fmt!r}; use one of {', '.join(FORMATS)}"
    raise ValueError(msg)
