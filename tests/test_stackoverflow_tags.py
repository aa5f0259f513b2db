"""Stack Overflow questions per tag: the archived table and recorded Stack Exchange responses."""

from __future__ import annotations

from datetime import date

import pytest
import responses

from census_base.errors import FetchError, ParseError, RateLimitError
from collectors.stackoverflow_tags import API_URL, collect, ingest, parse_archive, plan

API = "stackexchange_api"
TODAY = date(2020, 4, 15)  # -> months 2020-01 .. 2020-03 for each of 4 tags


def _body(fixtures, name: str) -> str:
    return (fixtures / API / f"2026-11-21-{name}.json").read_text()


def _serve(fixtures, *names: str, status: int = 200) -> None:
    for name in names:
        responses.add(
            responses.GET,
            API_URL,
            body=_body(fixtures, name),
            status=status,
            content_type="application/json",
        )


def _stored(con) -> list[tuple]:
    return con.execute(
        "SELECT tag, month, questions FROM qa_questions_monthly "
        "WHERE source = 'stackexchange_api' ORDER BY tag, month"
    ).fetchall()


def test_archive_duplicates_and_missing_cells(fixtures):
    path = fixtures / "stackoverflow_tags" / "2026-11-21-monthly-duplicates.csv"
    rows, notes = parse_archive(path.read_text(), str(path))
    assert rows[rows["tag"] == "matlab"]["questions"].tolist() == [410, 399]  # first kept
    assert rows[rows["tag"] == "tableau"]["month"].tolist() == [date(2017, 2, 1)]  # '' missing
    assert notes == [
        "tag 'matlab' appears in 2 columns; the first is kept; they disagree in 1 month(s): 17-Feb"
    ]


def test_archive_ingest_real_file(shared_data, ctx, con):
    ingest(ctx, str(shared_data / "stackoverflow-tag-trends"))
    yearly = dict(
        con.execute(
            "SELECT year(month), sum(questions) FROM qa_questions_monthly "
            "WHERE tag = 'tensorflow' GROUP BY 1"
        ).fetchall()
    )
    # yearly totals summed by hand from the raw CSV (also in shared/data/NOTES.md section 5)
    assert [yearly[y] for y in (2015, 2016, 2017, 2018, 2019)] == [380, 5083, 13064, 14267, 14869]
    months = con.execute(
        "SELECT min(month), max(month), count(DISTINCT month) FROM qa_questions_monthly"
    ).fetchone()
    assert months == (date(2009, 1, 1), date(2019, 12, 1), 132)
    flags = con.execute(
        "SELECT subject FROM data_flags WHERE kind = 'duplicate_column' ORDER BY 1"
    ).fetchall()
    assert flags == [("matlab",), ("stanford-nlp",)]
    signal = con.execute(
        "SELECT framework, value FROM signal_qa_questions "
        "WHERE period = DATE '2019-12-01' ORDER BY 1"
    ).fetchall()
    assert ("torch", 343.0) in signal


def test_archive_bad_month_names_line(tmp_path, ctx, con):
    path = tmp_path / "tags.csv"
    path.write_text("month,pytorch\n19-Foo,3\n")
    with pytest.raises(ParseError, match="line 2.*bad month '19-Foo'"):
        ingest(ctx, str(path))
    assert con.execute("SELECT count(*) FROM qa_tag_questions_monthly").fetchone()[0] == 0


def test_plan_lists_missing_months(ctx):
    ctx.options["today"] = TODAY
    planned = plan(ctx)
    assert len(planned) == 12
    assert planned[0].purpose == "questions tagged pytorch in 2020-01"
    # the full request a run sends (2020-01-01T00:00Z .. 2020-01-31T23:59:59Z), not a summary
    assert planned[0].url == (
        f"{API_URL}?site=stackoverflow&tagged=pytorch&fromdate=1577836800"
        "&todate=1580515199&filter=total"
    )


@responses.activate
def test_collect_obeys_backoff_and_stores_totals(fixtures, ctx, con, sleeps):
    ctx.options["today"] = TODAY
    _serve(fixtures, "total-backoff", *["total"] * 11)
    assert collect(ctx) == 12
    rows = _stored(con)
    assert rows[0] == ("jax", date(2020, 1, 1), 1234)
    assert ("pytorch", date(2020, 1, 1), 987) in rows
    assert 10.0 in sleeps  # the backoff field
    sent = responses.calls[0].request.url
    assert "filter=total" in sent
    assert "tagged=pytorch" in sent
    assert "fromdate=1577836800" in sent
    assert "todate=1580515199" in sent  # 2020-01-31 23:59:59 UTC
    assert collect(ctx) == 0  # nothing left to fetch: no request sent
    assert len(responses.calls) == 12


@responses.activate
def test_quota_remaining_zero_stops_and_keeps_months(fixtures, ctx, con):
    ctx.options["today"] = TODAY
    _serve(fixtures, "total", "total-quota-spent", "total")
    assert collect(ctx) == 2
    assert len(responses.calls) == 2
    assert [r[1] for r in _stored(con)] == [date(2020, 1, 1), date(2020, 2, 1)]


@responses.activate
def test_throttle_violation_after_some_months(fixtures, ctx, con):
    ctx.options["today"] = TODAY
    _serve(fixtures, "total")
    _serve(fixtures, "throttle-violation", status=400)
    assert collect(ctx) == 1
    assert len(_stored(con)) == 1
    # the next run resumes after the stored month
    assert plan(ctx)[0].purpose == "questions tagged pytorch in 2020-02"


@responses.activate
def test_throttle_violation_first_raises(fixtures, ctx, con):
    ctx.options["today"] = TODAY
    _serve(fixtures, "throttle-violation", status=400)
    with pytest.raises(RateLimitError, match="throttle_violation"):
        collect(ctx)
    assert _stored(con) == []


@responses.activate
def test_5xx_is_retried(fixtures, ctx, con, sleeps):
    ctx.options["today"] = date(2020, 2, 10)  # one month per tag
    responses.add(responses.GET, API_URL, status=503, body="busy")
    _serve(fixtures, *["total"] * 4)
    assert collect(ctx) == 4
    assert sleeps  # backed off before the retry


@pytest.mark.parametrize(
    ("name", "error", "match"),
    [
        ("truncated", FetchError, "not valid JSON"),
        ("bad-parameter", FetchError, "bad_parameter"),
        ("no-total", ParseError, "no integer 'total'"),
    ],
)
@responses.activate
def test_bad_responses_store_nothing(fixtures, ctx, con, name, error, match):
    ctx.options["today"] = TODAY
    _serve(fixtures, "total", name, status=400 if name == "bad-parameter" else 200)
    with pytest.raises(error, match=match):
        collect(ctx)
    assert _stored(con) == []
