"""Stack Overflow archives after 2019 (nschloe plot values, SEDE exports): parse, vintages, share."""

from __future__ import annotations

from datetime import date

import pytest

from census_base.errors import ParseError
from collectors.stackoverflow_archives import (
    ingest_nschloe,
    ingest_sede,
    parse_nschloe,
    parse_sede_days,
)
from collectors.stackoverflow_tags import ingest as ingest_stackindex


@pytest.fixture
def loaded(ctx, con, fixtures, tmp_path):
    archive = tmp_path / "stackindex.csv"
    archive.write_text("month,pytorch,tensorflow\n19-Nov,330,1250\n19-Dec,343,1195\n")
    ingest_stackindex(ctx, str(archive))
    ingest_nschloe(ctx, str(fixtures / "stackoverflow_nschloe"))
    ingest_sede(ctx, str(fixtures / "stackoverflow_sede"))
    return con


def test_parse_nschloe_marks_interpolated(fixtures):
    path = fixtures / "stackoverflow_nschloe" / "2026-11-30-monthly_questions_decoded.csv"
    rows, interpolated = parse_nschloe(path.read_text(), str(path))
    assert rows.iloc[0].tolist() == ["pytorch", date(2019, 12, 1), 350]
    assert interpolated == [("tensorflow", date(2022, 12, 1)), ("keras", date(2014, 2, 1))]


def test_parse_nschloe_rejects_unknown_value_source():
    text = "tag,month,days_in_month,questions,value_source\npytorch,2020-01,31,4,guessed\n"
    with pytest.raises(ParseError, match="line 2.*value_source 'guessed'"):
        parse_nschloe(text, "x.csv")


def test_parse_sede_days_bad_day():
    with pytest.raises(ParseError, match="line 3.*bad day"):
        parse_sede_days('day,n_questions\n"2023-01-01 00:00:00","4"\n"yesterday","3"\n', "d.csv")


def test_signal_one_source_per_month_with_breaks(loaded):
    rows = loaded.execute(
        "SELECT period, framework, value, flags, source FROM signal_qa_questions "
        "WHERE framework IN ('torch', 'tensorflow') ORDER BY period, framework"
    ).fetchall()
    by_month = {(r[0], r[1]): r[2:] for r in rows}
    # 2019-12: the archive of record is stackindex even though nschloe also has the month
    assert by_month[date(2019, 12, 1), "torch"] == (343.0, "", "stackoverflow_tag_trends")
    # 2020-01: nschloe takes over -> a flagged method break
    assert by_month[date(2020, 1, 1), "torch"] == (400.0, "method_break", NSCHLOE)
    # 2022-12: nschloe is the source of record (SEDE also has tensorflow: not mixed in)
    assert by_month[date(2022, 12, 1), "tensorflow"] == (700.0, "interpolated", NSCHLOE)
    # 2023-06: SEDE, tensorflow only -> no PyTorch value (no share), never a zero
    assert by_month[date(2023, 6, 1), "tensorflow"] == (300.0, "method_break", SEDE)
    assert (date(2023, 6, 1), "torch") not in by_month
    sources = loaded.execute("SELECT count(DISTINCT source) FROM signal_qa_questions").fetchone()
    assert sources == (3,)


NSCHLOE, SEDE = "stackoverflow_trends_nschloe", "stackoverflow_sede"


def test_overlap_compares_vintages(loaded):
    rows = loaded.execute(
        "SELECT tag, month, earlier_source, earlier_questions, later_source, later_questions, "
        "difference, interpolated FROM qa_source_overlap ORDER BY tag, month"
    ).fetchall()
    assert rows == [
        ("pytorch", date(2019, 12, 1), "stackoverflow_tag_trends", 343, NSCHLOE, 350, 7, False),
        ("tensorflow", date(2019, 12, 1), "stackoverflow_tag_trends", 1195, NSCHLOE, 1300, 105,
         False),
        ("tensorflow", date(2022, 12, 1), NSCHLOE, 700, SEDE, 444, -256, True),
        ("tensorflow", date(2023, 1, 1), NSCHLOE, 640, SEDE, 408, -232, False),
    ]  # fmt: skip


def test_share_of_all_questions_complete_months_only(loaded):
    rows = loaded.execute(
        "SELECT tag, month, source, all_questions, share_of_all, same_vintage "
        "FROM qa_share_of_all_questions WHERE tag = 'tensorflow' ORDER BY source"
    ).fetchall()
    # January 2023: 31 days x 1000; February is incomplete (3 days) and left out
    assert rows == [
        ("tensorflow", date(2023, 1, 1), SEDE, 31000, 408 / 31000, True),
        ("tensorflow", date(2023, 1, 1), NSCHLOE, 31000, 640 / 31000, False),
    ]
    flag = loaded.execute(
        "SELECT period_start, period_end FROM data_flags "
        "WHERE source = ? AND kind = 'partial_month'",
        [SEDE],
    ).fetchall()
    assert flag == [(date(2023, 2, 1), date(2023, 2, 3))]


def test_ingest_twice_same_rows(loaded, ctx, fixtures):
    before = loaded.execute("SELECT count(*) FROM qa_tag_questions_monthly").fetchone()
    assert ingest_sede(ctx, str(fixtures / "stackoverflow_sede")) == 0
    after = loaded.execute("SELECT count(*) FROM qa_tag_questions_monthly").fetchone()
    assert before == after


def test_sede_rejects_other_csv(ctx, con, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ParseError, match="not a SEDE export"):
        ingest_sede(ctx, str(path))
    assert con.execute("SELECT count(*) FROM qa_questions_daily_totals").fetchone() == (0,)


def test_real_files(shared_data, ctx, con):
    ingest_nschloe(ctx, str(shared_data / "stackoverflow-trends-nschloe"))
    ingest_sede(ctx, str(shared_data / "stackoverflow-sede"))
    flagged = con.execute(
        "SELECT count(*) FROM data_flags WHERE source = ? AND kind = 'interpolated'", [NSCHLOE]
    ).fetchone()
    assert flagged == (69,)  # PROVENANCE.md: 69 interpolated points
    nov = con.execute(
        "SELECT earlier_questions, later_questions FROM qa_source_overlap "
        "WHERE tag = 'tensorflow' AND month = DATE '2022-11-01'"
    ).fetchone()
    assert nov == (830, 491)  # PROVENANCE.md: 830 in the plot, 491 in SEDE as of 2025
    last = con.execute(
        "SELECT max(month) FROM qa_share_of_all_questions WHERE source = ?", [SEDE]
    ).fetchone()
    assert last == (date(2025, 2, 1),)  # 2025-03 is incomplete (to 03-15)
