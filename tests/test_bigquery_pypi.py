from __future__ import annotations

import json
import logging
from datetime import date
from types import SimpleNamespace

import pytest

from census_base.errors import ParseError
from collectors import bigquery_pypi
from collectors.raw import RawResponse

TODAY = date(2026, 11, 22)


def test_query_aggregates_monthly_in_bigquery_with_bound_parameters():
    sql = bigquery_pypi.QUERY
    assert "FROM `bigquery-public-data.pypi.file_downloads`" in sql
    assert "DATE_TRUNC(DATE(timestamp), MONTH) AS month" in sql
    assert "COUNT(*) AS downloads" in sql
    assert "GROUP BY project, month" in sql
    assert "file.project IN UNNEST(@packages)" in sql
    assert "DATE(timestamp) BETWEEN @start_date AND @end_date" in sql  # partition pruning
    assert "IFNULL(details.installer.name, '') NOT IN UNNEST(@mirror_installers)" in sql
    # no value is interpolated into the text
    assert "torch" not in sql
    assert "bandersnatch" not in sql
    assert "2016" not in sql
    params = {
        p.name: p for p in bigquery_pypi.query_parameters(["torch", "jax"], date(2016, 1, 1), TODAY)
    }
    assert params["packages"].value == ["jax", "torch"]
    assert params["packages"].array
    assert params["mirror_installers"].value == [
        "bandersnatch",
        "z3c.pypimirror",
        "Artifactory",
        "devpi",
    ]
    assert (params["start_date"].type, params["end_date"].value) == ("DATE", TODAY)


def _archived(fixtures) -> RawResponse:
    rows = json.loads((fixtures / "bigquery_pypi" / "2026-11-22-result-rows.json").read_text())
    body = json.dumps({"query": bigquery_pypi.QUERY, "rows": rows}).encode()
    return RawResponse("bigquery_pypi", "bigquery://x?job=1", 200, body, TODAY)


def test_parse_result(fixtures):
    frame = bigquery_pypi.parse_result(_archived(fixtures))
    torch = frame[frame["package"] == "torch"].set_index("month")["downloads"]
    assert torch[date(2026, 10, 1)] == 64002311
    assert not frame["mirrors_included"].any()
    assert len(frame) == 4


def test_parse_result_rejects_a_day_that_is_not_a_month(fixtures):
    raw = RawResponse(
        "bigquery_pypi",
        "bigquery://x",
        200,
        json.dumps(
            {"rows": [{"project": "torch", "month": "2026-10-17", "downloads": 3}]}
        ).encode(),
        TODAY,
    )
    with pytest.raises(ParseError, match="not a month start"):
        bigquery_pypi.parse_result(raw)


def test_without_library_or_credentials_it_says_so_and_plans_nothing(ctx, caplog):
    problem = bigquery_pypi.configuration_problem()
    assert problem
    assert "google-cloud-bigquery is not installed" in problem or "credentials" in problem
    with caplog.at_level(logging.WARNING):
        assert bigquery_pypi.plan(ctx) == []
        assert bigquery_pypi.run(ctx) == 0
    assert "bigquery-pypi: skipped" in caplog.text


class FakeBigQuery:
    """Stands in for google.cloud.bigquery: records the query and answers recorded rows."""

    def __init__(self, rows):
        self.rows, self.sent = rows, []
        self.ScalarQueryParameter = self.ArrayQueryParameter = lambda *a: a
        self.QueryJobConfig = lambda query_parameters: query_parameters

    def Client(self):  # noqa: N802 (the library's name)
        fake = self

        class Client:
            def query(self, sql, job_config):
                fake.sent.append((sql, job_config))
                return SimpleNamespace(
                    job_id="job_1",
                    result=lambda: [SimpleNamespace(items=row.items) for row in fake.rows],
                )

        return Client()


def test_run_with_a_client_stores_months_then_is_up_to_date(ctx, fixtures, monkeypatch):
    monkeypatch.setattr(bigquery_pypi, "channel_packages", lambda channel: ["tensorflow", "torch"])
    rows = json.loads((fixtures / "bigquery_pypi" / "2026-11-22-result-rows.json").read_text())
    fake = FakeBigQuery(rows)
    ctx.options["today"] = TODAY
    assert bigquery_pypi.run(ctx, bigquery=fake) == 4
    ((sql, params),) = fake.sent
    assert sql == bigquery_pypi.QUERY
    assert ("start_date", "DATE", date(2016, 1, 1)) in params
    assert ("end_date", "DATE", date(2026, 10, 31)) in params
    monthly = ctx.con.execute(
        "SELECT downloads, method, flags FROM downloads_monthly WHERE "
        "source = 'bigquery_pypi' AND package = 'torch' AND "
        "month = DATE '2026-10-01'"
    ).fetchone()
    assert monthly == (64002311, "bigquery", "")
    assert bigquery_pypi._window(ctx) is None  # up to date: no query next time


def test_a_failing_query_is_reported_and_stores_nothing(ctx, monkeypatch):
    class Broken(FakeBigQuery):
        def Client(self):  # noqa: N802
            class Client:
                def query(self, sql, job_config):
                    raise PermissionError("403 Access Denied: BigQuery BigQuery: Permission denied")

            return Client()

    ctx.options["today"] = TODAY
    with pytest.raises(bigquery_pypi.CensusError, match="query failed: PermissionError: 403"):
        bigquery_pypi.run(ctx, bigquery=Broken([]))
    assert ctx.con.execute("SELECT count(*) FROM package_downloads_monthly").fetchone()[0] == 0
