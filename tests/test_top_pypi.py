"""top-pypi-packages dumps: both layouts, broken input, flags, and the whole staged archive."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime

import pytest

from census_base.errors import FetchError, ParseError
from collectors.raw import RawResponse, read_local
from collectors.top_pypi import ingest, parse_top_pypi, snapshot_rows
from collectors.top_pypi_flags import SnapshotPoint, detect_flags


def test_parse_bigquery_layout(fixtures):
    raw = read_local("top_pypi", fixtures / "top_pypi/monthly-30-days/2025-03-01.json")
    snap = parse_top_pypi(raw)
    assert snap.method == "bigquery"
    assert snap.window_end_date == date(2025, 3, 1)
    assert snap.window_days == 30
    assert snap.upstream_rows is None
    rows = dict(snap.rows)
    assert rows == {"pip": 300, "numpy": 400, "pandas": 200, "torch": 40, "tensorflow": 20}
    assert "requests" not in rows  # untracked packages are not kept


def test_parse_clickhouse_layout(fixtures):
    raw = read_local("top_pypi", fixtures / "top_pypi/monthly-30-days/2025-07-05.json")
    snap = parse_top_pypi(raw)
    assert snap.method == "clickhouse"
    assert snap.upstream_rows == 15000
    assert {package for package, _ in snap.rows} >= {"torch", "tensorflow", "jax"}


def test_365_day_window_from_folder_name(fixtures):
    raw = read_local("top_pypi", fixtures / "top_pypi/monthly-365-days/2025-03-01.json")
    assert parse_top_pypi(raw).window_days == 365


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("truncated.json", "not valid JSON"),
        ("changed_keys.json", "lacks project/download_count"),
    ],
)
def test_broken_input_names_the_file(fixtures, name, message):
    raw = read_local("top_pypi", fixtures / "top_pypi_broken" / name)
    with pytest.raises((ParseError, FetchError), match=message) as err:
        parse_top_pypi(raw)
    assert name in str(err.value)


BIGQUERY_DUMP = {
    "last_update": "2025-03-01 15:30:19",
    "query": {"bytes_billed": 1, "bytes_processed": 1, "cached": False, "estimated_cost": "0"},
    "rows": [{"download_count": 40, "project": "torch"}, {"download_count": 20, "project": "pip"}],
}


def dump(body: bytes, name: str = "2025-03-01.json", fetched: str = "2025-03-02") -> RawResponse:
    """A dump as read from disk on ``fetched`` (the date the fetch-date rule compares with)."""
    when = datetime.fromisoformat(fetched).replace(tzinfo=UTC)
    return RawResponse("top_pypi", f"file:///staged/monthly-30-days/{name}", 200, body, when)


def with_rows(*rows: dict) -> bytes:
    return json.dumps({**BIGQUERY_DUMP, "rows": list(rows)}).encode()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            json.dumps(BIGQUERY_DUMP).encode().replace(b"torch", b"tor\xffch"),
            r"not valid UTF-8 \(byte 0xff at offset \d+\)",
        ),
        (with_rows({"download_count": -5, "project": "torch"}), r"row 0 \(torch\) has a neg"),
        (
            with_rows(
                {"download_count": 1, "project": "pip"}, {"download_count": 2.5, "project": "x"}
            ),
            r"row 1 \(x\): download_count 2.5 is not a whole number",
        ),
        (with_rows({"download_count": "12", "project": "x"}), "is not a whole number"),
        (json.dumps(BIGQUERY_DUMP["rows"]).encode(), "Expected OBJECT, but got ARRAY"),
        (json.dumps(BIGQUERY_DUMP).encode() * 2, "more than one JSON object"),
        (b"", "no JSON object in the file"),
        (json.dumps({"rows": []}).encode(), "expected a JSON object with last_update and rows"),
        (
            json.dumps({**BIGQUERY_DUMP, "last_update": "yesterday"}).encode(),
            "bad last_update 'yesterday'",
        ),
        (
            json.dumps({k: v for k, v in BIGQUERY_DUMP.items() if k != "query"}).encode(),
            "BigQuery-era dump without its 'query' block",
        ),
    ],
)
def test_invalid_dump_is_rejected_naming_file_and_rule(body, message):
    with pytest.raises(ParseError, match=message) as err:
        parse_top_pypi(dump(body))
    assert str(err.value).startswith("file:///staged/monthly-30-days/2025-03-01.json: ")


def test_last_update_after_the_fetch_date_is_rejected():
    body = json.dumps(BIGQUERY_DUMP).encode()
    assert parse_top_pypi(dump(body, fetched="2025-03-01")).window_end_date == date(2025, 3, 1)
    with pytest.raises(ParseError, match="2025-03-01.json") as err:
        parse_top_pypi(dump(body, fetched="2025-02-28"))
    assert "last_update 2025-03-01 15:30:19 is after the date the file was fetched " in str(
        err.value
    )
    assert "(2025-02-28)" in str(err.value)


def test_byte_order_mark_is_accepted_and_hashed_as_read(con):
    body = b"\xef\xbb\xbf" + json.dumps(BIGQUERY_DUMP).encode()
    rows = snapshot_rows(con, [dump(body)])
    assert sorted(rows.project("package, downloads").fetchall()) == [("pip", 20), ("torch", 40)]
    assert rows.project("raw_sha256, source_url").distinct().fetchall() == [
        (dump(body).sha256, "file:///staged/monthly-30-days/2025-03-01.json")
    ]


def test_one_bad_file_among_many_is_the_one_named(con):
    good = [
        dump(
            json.dumps({**BIGQUERY_DUMP, "last_update": f"2025-0{m}-01 00:00:00"}).encode(),
            f"2025-0{m}-01.json",
            fetched="2025-06-01",
        )
        for m in (3, 4, 5)
    ]
    truncated = dump(json.dumps(BIGQUERY_DUMP).encode()[:-10], "2025-02-01.json")
    with pytest.raises(ParseError, match="not valid JSON") as err:
        snapshot_rows(con, [*good[:2], truncated, good[2]])
    assert str(err.value).startswith("file:///staged/monthly-30-days/2025-02-01.json: ")
    assert len(snapshot_rows(con, good)) == 6


def test_broken_file_in_folder_loads_nothing(ctx, fixtures, tmp_path):
    folder = tmp_path / "dumps"
    folder.mkdir()
    for src in (fixtures / "top_pypi/monthly-30-days").glob("*.json"):
        (folder / src.name).write_bytes(src.read_bytes())
    ingest(ctx, str(folder))
    before = ctx.con.execute(
        "SELECT count(*), sum(downloads) FROM pypi_download_snapshots"
    ).fetchone()
    (folder / "2025-09-01.json").write_bytes(
        (fixtures / "top_pypi_broken/changed_keys.json").read_bytes()
    )
    (folder / "2025-04-01.json").write_text(
        (folder / "2025-04-01.json")
        .read_text()
        .replace('"download_count": 42', '"download_count": 43')
    )
    with pytest.raises(ParseError, match="2025-09-01.json"):
        ingest(ctx, str(folder))
    after = ctx.con.execute(
        "SELECT count(*), sum(downloads) FROM pypi_download_snapshots"
    ).fetchone()
    assert after == before


def test_missing_input_is_a_clear_error(ctx, tmp_path):
    with pytest.raises(FetchError, match="no such file or folder"):
        ingest(ctx, str(tmp_path / "nowhere"))


def test_ingest_twice_same_rows_and_flags(ctx, fixtures):
    folder = str(fixtures / "top_pypi")
    first = ingest(ctx, folder)
    rows1 = ctx.con.execute(
        "SELECT * EXCLUDE (load_id) FROM pypi_download_snapshots ORDER BY ALL"
    ).fetchall()
    second = ingest(ctx, folder)
    rows2 = ctx.con.execute(
        "SELECT * EXCLUDE (load_id) FROM pypi_download_snapshots ORDER BY ALL"
    ).fetchall()
    assert first > 0 and second == 0
    assert rows1 == rows2
    flags = ctx.con.execute(
        "SELECT kind, period FROM data_flags WHERE origin = 'stored' ORDER BY period"
    ).fetchall()
    kinds = {k for k, _ in flags}
    assert "method_break" in kinds  # BigQuery -> ClickHouse at the 2025-07-05 dump
    assert ("anomalous_low", "2025-04-01..2025-04-30") in flags  # the 2025-05-01 dump's window


def test_detect_flags_method_break_and_dip(con, fixtures):
    raws = [
        read_local("top_pypi", p)
        for p in sorted((fixtures / "top_pypi/monthly-30-days").glob("*.json"))
    ]
    rows = snapshot_rows(con, raws, {}).project(", ".join(SnapshotPoint._fields))
    flags = detect_flags(SnapshotPoint(*row) for row in rows.fetchall())
    breaks = [flag for flag in flags if flag.kind == "method_break"]
    assert len(breaks) == 1 and breaks[0].period_end == date(2025, 7, 4)
    assert "bigquery to clickhouse" in breaks[0].note
    assert [f.period_start for f in flags if f.kind == "anomalous_low"] == [date(2025, 4, 1)]


def test_monthly_view_and_share(ctx, fixtures):
    ingest(ctx, str(fixtures / "top_pypi"))
    rows = ctx.con.execute(
        "SELECT month, downloads, flags FROM downloads_monthly WHERE package = 'torch' "
        "ORDER BY month"
    ).fetchall()
    months = [str(m.date()) if hasattr(m, "date") else str(m) for m, _, _ in rows]
    # 30-day windows mapped to the month they mostly cover (window end - 15 days).
    assert months == [
        "2025-02-01",
        "2025-03-01",
        "2025-04-01",
        "2025-05-01",
        "2025-06-01",
        "2025-07-01",
    ]
    flags = {m: f for m, (_, _, f) in zip(months, rows, strict=True)}
    assert flags["2025-04-01"] == "anomalous_low"
    assert flags["2025-06-01"] == "method_break"


@pytest.mark.shared_data
def test_ingest_whole_shared_archive(ctx, shared_data):
    folder = shared_data / "top-pypi-packages"
    written = ingest(ctx, str(folder))
    assert written > 2000
    q = ctx.con.execute
    # Checked by hand against monthly-30-days/2024-04-01.json and 2019-01-04.json.
    assert (
        q(
            "SELECT downloads FROM pypi_downloads_30d WHERE package='torch' "
            "AND window_end_date='2024-04-01'"
        ).fetchone()[0]
        == 23190107
    )
    assert (
        q(
            "SELECT downloads FROM pypi_downloads_30d WHERE package='tensorflow' "
            "AND window_end_date='2024-04-01'"
        ).fetchone()[0]
        == 22594480
    )
    assert (
        q(
            "SELECT downloads FROM pypi_downloads_30d WHERE package='tensorflow' "
            "AND window_end_date='2019-01-04'"
        ).fetchone()[0]
        == 2151561
    )
    data = json.loads((folder / "monthly-30-days/2026-04-01.json").read_text())
    torch_2026 = next(r["download_count"] for r in data["rows"] if r["project"] == "torch")
    row = q(
        "SELECT downloads, method, upstream_rows, source_url FROM pypi_downloads_30d "
        "WHERE package='torch' AND window_end_date='2026-04-01'"
    ).fetchone()
    assert row[0] == torch_2026 and row[1] == "clickhouse" and row[2] == 15000
    assert row[3].startswith("https://raw.githubusercontent.com/hugovk/top-pypi-packages/")
    assert q("SELECT count(*) FROM pypi_downloads_365d").fetchone()[0] > 300
    kinds = dict(
        q(
            "SELECT period, kind FROM data_flags WHERE kind IN "
            "('anomalous_low', 'method_break', 'missing_period')"
        ).fetchall()
    )
    assert kinds["2021-03-02..2021-03-31"] == "anomalous_low"  # the 2021-04-01 dump
    assert kinds["2025-06-05..2025-07-04"] == "method_break"
    missing = [p for p, k in kinds.items() if k == "missing_period"]
    assert missing, "months without a snapshot are flagged"


def test_ingest_from_url_is_fetched_and_archived(ctx, fixtures):
    import responses

    url = (
        "https://raw.githubusercontent.com/hugovk/top-pypi-packages/main/"
        "top-pypi-packages-30-days.json"
    )
    body = (fixtures / "top_pypi/monthly-30-days/2025-07-05.json").read_bytes()
    with responses.RequestsMock() as mock:
        mock.get(url, body=body)
        assert ingest(ctx, url) > 0
    row = ctx.con.execute(
        "SELECT source_url, method FROM pypi_downloads_30d WHERE package = 'torch'"
    ).fetchone()
    assert row == (url, "clickhouse")
    archived = list((ctx.raw_root / "top_pypi").rglob("*.body"))
    assert [p.read_bytes() for p in archived] == [body]


def test_index_csv_pins_the_url_to_the_upstream_commit(ctx, tmp_path):
    """INDEX.csv (read by DuckDB's read_csv) gives the commit-pinned URL and the upstream rows."""
    folder = tmp_path / "monthly-30-days"
    folder.mkdir()
    (folder / "2025-03-01.json").write_text(json.dumps(BIGQUERY_DUMP))
    (folder / "INDEX.csv").write_text(
        "file,last_update,source_commit,source_path,rows_in_source,rows_kept\n"
        "2025-03-01.json,2025-03-01 15:30:19,abc123,top-pypi-packages-30-days.json,5000,2\n"
    )
    ingest(ctx, str(tmp_path))
    rows = ctx.con.execute(
        "SELECT package, downloads, upstream_rows, source_url FROM pypi_download_snapshots "
        "ORDER BY package"
    ).fetchall()
    url = (
        "https://raw.githubusercontent.com/hugovk/top-pypi-packages/abc123/"
        "top-pypi-packages-30-days.json"
    )
    assert rows == [("pip", 20, 5000, url), ("torch", 40, 5000, url)]


# The flags of the whole staged archive as the pandas implementation (commit b08e88c) stored them;
# detect_flags now runs on plain rows and must give exactly these (kinds, windows, notes).
PINNED_FLAGS = [
    ("undercount", date(2018, 1, 11), date(2018, 7, 25), "Linehaul under-reported"),
    ("level_shift", date(2018, 8, 3), date(2018, 9, 1), "pip x2.37, numpy x3.41, pandas x3.74"),
    ("anomalous_low", date(2021, 3, 2), date(2021, 3, 31), "numpy 0.44, pandas 0.44, pip 0.42"),
    ("level_shift", date(2021, 5, 2), date(2021, 5, 31), "pip x2.06, numpy x2.43, pandas x2.62"),
    ("method_break", date(2025, 6, 5), date(2025, 7, 4), "from bigquery to clickhouse"),
]
PINNED_NOTES_SHA256 = "216e4387c3d7fe8484dbe3de08af65c33679582f2dfe36ed7d001492800cabec"


@pytest.mark.shared_data
def test_flags_of_the_staged_archive_are_the_pinned_ones(ctx, shared_data):
    ingest(ctx, str(shared_data / "top-pypi-packages"))
    stored = ctx.con.execute(
        "SELECT kind, period_start, period_end, note, subject FROM quality_flags "
        "WHERE source = 'top_pypi' ORDER BY period_start, kind"
    ).fetchall()
    assert [(k, s, e) for k, s, e, _, _ in stored] == [(k, s, e) for k, s, e, _ in PINNED_FLAGS]
    for (*_, note, subject), (*_, part) in zip(stored, PINNED_FLAGS, strict=True):
        assert part in note and subject == "*"
    notes = "\n".join(note for *_, note, _ in stored)
    assert hashlib.sha256(notes.encode()).hexdigest() == PINNED_NOTES_SHA256
