"""Hacker News 'Who is hiring?' posts: the JavaScript literal, the derived CSV, yearly signal."""

from __future__ import annotations

from datetime import date

import pytest

from census_base.errors import ParseError
from collectors.hn_hiring import derived_csv, ingest, missing_months, parse_months
from warehouse.intervals import wilson_interval

FIXTURE = "job_postings_hn/2026-11-30-data-20240201.js"


def test_parse_js_literal(fixtures):
    months = parse_months((fixtures / FIXTURE).read_text(), FIXTURE)
    first = months.iloc[0].tolist()
    assert first == [date(2023, 11, 1), "Nov23", "AI", 250, 3, 1.2]
    torch = months[months["term"] == "PyTorch"]["posts_matching"].tolist()
    assert torch == [4, 4, 6]  # Nov23, Jan24, Feb24 (sorted by month)
    assert missing_months(months) == [date(2023, 12, 1)]


def test_derived_csv_format(fixtures):
    text = derived_csv(parse_months((fixtures / FIXTURE).read_text(), FIXTURE))
    lines = text.split("\r\n")
    assert lines[0] == "month,hn_month_label,num_comments,term,count,percentage"
    assert lines[1] == "2023-11,Nov23,250,AI,3,1.2"
    assert "2024-02,Feb24,300,Deep Learning,1,0.33" in lines
    assert "2024-02,Feb24,300,PyTorch,6,2" in lines  # an integral percentage has no '.0'


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ('{"month": "May24"}', "expected a JavaScript file"),
        ('data=[{month:"May24",num_comments:4,terms:{}}];', "no term 'AI'"),
        ('data=[{month:"Mai24",num_comments:4,terms:{}}];', "bad month label 'Mai24'"),
    ],
)
def test_bad_input_names_rule(text, rule):
    with pytest.raises(ParseError, match=rule):
        parse_months(text, "bad.js")


def test_ingest_yearly_and_signal(ctx, con, fixtures):
    ingest(ctx, str(fixtures / FIXTURE))
    row = con.execute(
        "SELECT months, posts, posts_matching, share_of_posts, ci_low, ci_high, partial_year "
        "FROM job_postings_yearly WHERE year = DATE '2024-01-01' AND term = 'PyTorch'"
    ).fetchone()
    low, high = wilson_interval(10, 700)
    assert row[:4] == (2, 700, 10, 10 / 700)
    assert row[4] == pytest.approx(low) and row[5] == pytest.approx(high)
    assert row[6] is True
    signal = con.execute(
        "SELECT period, framework, value, flags FROM signal_job_postings ORDER BY 1, 2"
    ).fetchall()
    assert signal == [  # share of all posts in the year (a rate: partial years compare)
        (date(2023, 1, 1), "keras", 0.0, "partial_year"),
        (date(2023, 1, 1), "tensorflow", 0.0, "partial_year"),
        (date(2023, 1, 1), "torch", 4 / 250, "partial_year"),
        (date(2024, 1, 1), "keras", 1 / 700, "partial_year"),
        (date(2024, 1, 1), "tensorflow", 6 / 700, "partial_year"),
        (date(2024, 1, 1), "torch", 10 / 700, "partial_year"),
    ]
    gap = con.execute(
        "SELECT period_start FROM data_flags WHERE source = 'hn_who_is_hiring' "
        "AND kind = 'missing_period'"
    ).fetchall()
    assert gap == [(date(2023, 12, 1),)]
    assert ingest(ctx, str(fixtures / FIXTURE)) == 0  # same input, same rows


def test_real_file_reproduces_derived_csv(shared_data):
    folder = shared_data / "job-postings-hn"
    months = parse_months((folder / "data-20240501.js").read_text(), "data-20240501.js")
    expected = (folder / "ml_terms_monthly_derived.csv").read_bytes().decode()
    assert derived_csv(months) == expected
    assert missing_months(months) == [date(2011, 7, 1)]
