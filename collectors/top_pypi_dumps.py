"""Read top-pypi-packages dumps with DuckDB's own JSON and CSV readers, then check them.

All dumps of one ingest are read by one ``read_json`` call (and every ``INDEX.csv`` by one
``read_csv``) into temporary tables of the given connection (the warehouse's, so the rows never
leave DuckDB); the checks are SQL over what was read, and each failure is a ParseError naming
the file and the rule. DuckDB reads copies of the exact bytes that were hashed into
``raw_sha256``, so the provenance names what was parsed.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import duckdb

from census_base.errors import ParseError
from collectors.raw import RawResponse

RAW_URL = "https://raw.githubusercontent.com/hugovk/top-pypi-packages/{commit}/{path}"
SHARED_MEMORY = "/dev/shm"  # noqa: S108 - a tmpfs on Linux; scratch_root checks it is usable
MAX_IN_MEMORY = 512 << 20  # larger inputs are copied to the ordinary temporary folder
NOT_A_DUMP = "not a top-pypi-packages dump (expected a JSON object with last_update and rows)"
# The keys we read; others (meta, statistics, rows_before_limit_at_least) are ignored. A row
# lacking project or download_count reads as NULL there and is rejected below.
DUMP_COLUMNS = {
    "last_update": "VARCHAR",
    "source": "VARCHAR",
    "query": "JSON",
    "total_rows": "JSON",
    "rows": "STRUCT(project VARCHAR, download_count JSON)[]",
}
READ_DUMPS = """
    CREATE OR REPLACE TEMP TABLE top_pypi_json AS SELECT * FROM read_json(
        ?, columns = ?, format = 'unstructured', filename = true,
        maximum_object_size = 268435456)"""
# One row per dump, the first broken rule per file (NULL when the file passes).
CHECK_DUMPS = """
    SELECT f.file_id, CASE
        WHEN count(d.filename) OVER (PARTITION BY f.file_id) = 0 THEN 'no JSON object in the file'
        WHEN count(d.filename) OVER (PARTITION BY f.file_id) > 1
            THEN 'more than one JSON object in the file'
        WHEN d.last_update IS NULL OR d.rows IS NULL THEN ?
        WHEN d.updated IS NULL THEN 'bad last_update ''' || d.last_update || ''''
        WHEN d.updated > CAST(f.fetched_date AS DATE) THEN 'last_update ' || d.last_update
            || ' is after the date the file was fetched (' || f.fetched_date || ')'
        WHEN d.method = 'bigquery' AND d.query IS NULL
            THEN 'BigQuery-era dump without its ''query'' block'
        WHEN d.total_rows IS NOT NULL AND TRY_CAST(d.total_rows AS BIGINT) IS NULL
            THEN 'total_rows ' || d.total_rows || ' is not a whole number'
        END AS problem
    FROM top_pypi_files f LEFT JOIN top_pypi_checked d ON d.filename = f.path
    ORDER BY f.file_id"""
CHECK_ROWS = """
    SELECT file_id, position, project, download_count FROM top_pypi_dump_rows
    WHERE project IS NULL OR download_count IS NULL
       OR json_type(download_count) NOT IN ('UBIGINT', 'BIGINT')
       OR TRY_CAST(download_count AS BIGINT) IS NULL OR TRY_CAST(download_count AS BIGINT) < 0
    ORDER BY file_id, position LIMIT 1"""
# Each file's facts, and the tracked packages' rows (``?``: their names) in file order.
FILE_FACTS = """
    CREATE OR REPLACE TEMP TABLE top_pypi_file_facts AS
    SELECT f.file_id, d.updated AS window_end_date, d.method,
           coalesce(CAST(d.total_rows AS BIGINT), f.index_rows) AS upstream_rows
    FROM top_pypi_files f JOIN top_pypi_checked d ON d.filename = f.path"""
KEPT_ROWS = """
    CREATE OR REPLACE TEMP TABLE top_pypi_rows AS
    SELECT r.file_id, r.position, r.project AS package,
           CAST(r.download_count AS BIGINT) AS downloads, f.window_days, x.window_end_date,
           x.method, x.upstream_rows, f.source_url, f.fetched_at, f.raw_sha256
    FROM top_pypi_dump_rows r JOIN top_pypi_file_facts x USING (file_id)
    JOIN top_pypi_files f USING (file_id)
    WHERE r.project IN (SELECT unnest(CAST(? AS VARCHAR[])))
    ORDER BY r.file_id, r.position"""
# Scratch tables of one read; the last two are what read_dumps leaves.
SCRATCH = ("top_pypi_files", "top_pypi_json", "top_pypi_checked", "top_pypi_dump_rows")
RESULTS = ("top_pypi_file_facts", "top_pypi_rows")


@dataclass(frozen=True)
class DumpFile:
    """One input as DuckDB reads it: its provenance and what INDEX.csv says about it."""

    raw: RawResponse
    window_days: int
    source_url: str
    index_rows: int | None


def local_path(url: str) -> Path | None:
    """The file behind a ``file://`` URL, None for anything else."""
    parts = urlsplit(url)
    return Path(unquote(parts.path)) if parts.scheme == "file" else None


def read_indexes(con: duckdb.DuckDBPyConnection, files: list[Path]) -> dict[Path, dict[str, str]]:
    """Every ``INDEX.csv`` (one DuckDB ``read_csv`` on ``con``): dump path -> its INDEX.csv row.

    The dialect is given (plain comma-separated, double quotes): sniffing it took 3x the read.
    """
    if not files:
        return {}
    try:
        rows = con.execute(
            "SELECT filename, file, source_commit, source_path, rows_in_source FROM "
            "read_csv(?, header = true, all_varchar = true, filename = true, "
            "union_by_name = true, delim = ',', quote = '\"', escape = '\"')",
            [[str(f) for f in files]],
        ).fetchall()
    except duckdb.Error as exc:
        raise ParseError(", ".join(map(str, files)), f"unreadable INDEX.csv: {exc}") from exc
    return {
        Path(index).parent / name: {
            "source_commit": commit or "",
            "source_path": path or "",
            "rows_in_source": count or "",
        }
        for index, name, commit, path, count in rows
    }


def describe(raw: RawResponse, window_days: int, index: dict[Path, dict[str, str]]) -> DumpFile:
    """Provenance of one dump: the upstream URL pinned to its commit when INDEX.csv names it."""
    path = local_path(raw.url)
    entry = index.get(path.resolve()) if path is not None else None
    if entry and entry["source_commit"]:
        url = RAW_URL.format(commit=entry["source_commit"], path=entry["source_path"])
        rows = int(entry["rows_in_source"]) if entry["rows_in_source"] else None
        return DumpFile(raw, window_days, url, rows)
    return DumpFile(raw, window_days, raw.url, None)


def _utf8(raw: RawResponse) -> bytes:
    """The body without a byte-order mark; invalid UTF-8 is a ParseError naming the file."""
    try:
        raw.body.decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"not valid UTF-8 (byte {raw.body[exc.start]:#04x} at offset {exc.start})"
        raise ParseError(raw.url, msg) from exc
    return raw.body.removeprefix(b"\xef\xbb\xbf")


def _read(con: duckdb.DuckDBPyConnection, dumps: list[DumpFile], folder: Path) -> None:
    """Copy the hashed bytes to ``folder`` and read them all with one ``read_json``."""
    paths = []
    for i, dump in enumerate(dumps):
        path = folder / f"{i:06d}.json"
        path.write_bytes(_utf8(dump.raw))
        paths.append(str(path))
    columns = {
        "file_id": ("BIGINT", list(range(len(dumps)))),
        "path": ("VARCHAR", paths),
        "fetched_date": ("DATE", [d.raw.fetched_at.date() for d in dumps]),
        "window_days": ("INTEGER", [d.window_days for d in dumps]),
        "index_rows": ("BIGINT", [d.index_rows for d in dumps]),
        "source_url": ("VARCHAR", [d.source_url for d in dumps]),
        "fetched_at": ("TIMESTAMPTZ", [d.raw.fetched_at for d in dumps]),
        "raw_sha256": ("VARCHAR", [d.raw.sha256 for d in dumps]),
    }
    select = ", ".join(
        f"unnest(CAST(? AS {kind}[])) AS {name}" for name, (kind, _) in columns.items()
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE top_pypi_files AS SELECT {select}",
        [values for _, values in columns.values()],
    )
    try:
        con.execute(READ_DUMPS, [paths, DUMP_COLUMNS])
    except duckdb.Error as exc:
        raise _naming_the_file(exc, dumps, paths) from exc


def _naming_the_file(exc: duckdb.Error, dumps: list[DumpFile], paths: list[str]) -> ParseError:
    """DuckDB's read error with the scratch copy's name replaced by the input's."""
    found = re.search(r'in file "([^"]+)"', str(exc))
    where = (
        dumps[paths.index(found.group(1))].raw.url if found and found[1] in paths else "top-pypi"
    )
    reason = re.sub(r'Invalid Input Error: |in file "[^"]+",? ?', "", str(exc)).strip()
    if "Malformed JSON" in reason:
        reason = f"not valid JSON; truncated or changed file ({reason})"
    return ParseError(where, reason.splitlines()[0])


def _check(con: duckdb.DuckDBPyConnection, dumps: list[DumpFile]) -> None:
    con.execute("""
        CREATE OR REPLACE TEMP TABLE top_pypi_checked AS SELECT *,
            CAST(try_strptime(left(last_update, 19), '%Y-%m-%d %H:%M:%S') AS DATE) AS updated,
            CASE WHEN lower(source) = 'clickhouse' THEN 'clickhouse' ELSE 'bigquery' END
                AS method
        FROM top_pypi_json""")
    for file_id, problem in con.execute(CHECK_DUMPS, [NOT_A_DUMP]).fetchall():
        if problem is not None:
            raise ParseError(dumps[file_id].raw.url, problem)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE top_pypi_dump_rows AS
        SELECT f.file_id, generate_subscripts(d.rows, 1) - 1 AS position,
               unnest(d.rows, recursive := true)
        FROM top_pypi_checked d JOIN top_pypi_files f ON f.path = d.filename""")
    bad = con.execute(CHECK_ROWS).fetchone()
    if bad is not None:
        file_id, position, project, count = bad
        if project is None or count is None:
            msg = f"row {position} lacks project/download_count"
        elif count.startswith("-") and count[1:].isdigit():
            msg = f"row {position} ({project}) has a negative count {count}"
        else:
            msg = f"row {position} ({project}): download_count {count} is not a whole number"
        raise ParseError(dumps[file_id].raw.url, msg)


def read_dumps(
    con: duckdb.DuckDBPyConnection, dumps: list[DumpFile], tracked: Collection[str]
) -> None:
    """Check every dump; leave each file's facts and the tracked packages' rows in ``con``.

    Temporary tables: ``top_pypi_file_facts`` (file_id, window_end_date, method, upstream_rows)
    and ``top_pypi_rows`` (file_id, position, package, downloads, window_days, window_end_date,
    method, upstream_rows, source_url, fetched_at, raw_sha256); ``file_id`` is the position in
    ``dumps``. Raises ParseError naming the file (and then leaves nothing).
    """
    try:
        scratch = scratch_root(sum(len(d.raw.body) for d in dumps))
        with tempfile.TemporaryDirectory(prefix="top-pypi-", dir=scratch) as folder:
            _read(con, dumps, Path(folder))
        _check(con, dumps)
        con.execute(FILE_FACTS)
        con.execute(KEPT_ROWS, [sorted(tracked)])
    except BaseException:
        drop_tables(con, RESULTS)
        raise
    finally:
        drop_tables(con, SCRATCH)


def scratch_root(size: int) -> str | None:
    """Where the copies for ``read_json`` go: the memory file system when there is one with
    room (creating 139 small files took 0.09 s on ext4, 0.004 s on tmpfs), else the default
    temporary folder. The bodies are in memory already; the copies live for one read."""
    shm = Path(SHARED_MEMORY)
    try:
        roomy = shm.is_dir() and shutil.disk_usage(shm).free > 4 * size + (64 << 20)
    except OSError:
        return None
    return str(shm) if roomy and os.access(shm, os.W_OK) and size < MAX_IN_MEMORY else None


def drop_tables(con: duckdb.DuckDBPyConnection, names: Collection[str]) -> None:
    """Drop temporary tables (names from this module's constants)."""
    for name in names:
        con.execute(f"DROP TABLE IF EXISTS temp.{name}")
