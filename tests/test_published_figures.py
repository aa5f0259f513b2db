"""The curated published-figures table: validated, cited, loaded like any source."""

from __future__ import annotations

import csv
import re

import pytest

from census_base.errors import ParseError
from collectors.published_figures import TABLE_FILE, ingest


def _rows() -> list[dict[str, str]]:
    with TABLE_FILE.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_row_has_a_source_url_and_a_date():
    rows = _rows()
    assert rows
    for row in rows:
        assert re.match(r"https?://[^ ]+\.[a-z]{2,}", row["url"]), row["figure_id"]
        assert re.fullmatch(r"\d{4}(-\d{2}){0,2}", row["publication_date"]), row["figure_id"]
        assert row["publisher"].strip(), row["figure_id"]
        assert row["population"].strip(), row["figure_id"]


def test_values_are_quoted_in_the_research_notes(shared_data):
    """Every number must come from NOTES.md section 6 (never invented)."""
    notes = (shared_data / "NOTES.md").read_text()
    section = notes[notes.index("## 6.") : notes.index("## 7.")]
    for row in _rows():
        value = float(row["value"])
        spellings = {f"{value:g}", f"{value:,.0f}", f"{value / 1000:g}K", f"{value:.2f}"}
        assert any(s in section for s in spellings), (row["figure_id"], row["value"])


def test_ingest_and_view(ctx, con):
    written = ingest(ctx, str(TABLE_FILE))
    assert written == len(_rows())
    row = con.execute(
        "SELECT source, value, unit, qualifier, date_precision, "
        "publication_date::VARCHAR, compare_segment FROM published_figures "
        "WHERE figure_id = 'so2022-pro-torch'"
    ).fetchone()
    assert row == (
        "Laurence Moroney, ML and the Stack Overflow 2022 Dev Survey",
        7.61,
        "percent",
        "exact",
        "day",
        "2022-06-22",
        "professional",
    )
    assert ingest(ctx, str(TABLE_FILE)) == 0  # same input, same rows


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("url", "", r"line 3: empty required field\(s\) \['url'\]"),
        ("url", "laurencemoroney.com", "not an http"),
        ("publication_date", "June 2022", "not YYYY"),
        ("value", "about 11", "not a number"),
        ("compare_segment", "", "go together"),
    ],
)
def test_bad_rows_are_refused_and_nothing_stored(tmp_path, ctx, con, field, value, match):
    rows = _rows()
    rows[1][field] = value
    path = tmp_path / "published_figures.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(ParseError, match=match):
        ingest(ctx, str(path))
    assert con.execute("SELECT count(*) FROM published_figure_values").fetchone()[0] == 0
