-- dataset: pypi_downloads_30d
-- description: One row per package per upstream 30-day snapshot of PyPI downloads (top-pypi-packages dumps).
-- column package: PyPI project name (normalised, lower case)
-- column window_start_date: first day of the 30-day window (window_end_date - 30 days)
-- column window_end_date: the snapshot's last_update date; the window ends the day before
-- column downloads: downloads in the window, as counted upstream
-- column method: upstream counting method: bigquery (pypinfo, to 2025-06) or clickhouse (ClickPy, from 2025-07)
-- column upstream_rows: size of the upstream top-N list (a package below the cut-off is absent, not zero)
-- column source: source name (see the sources table)
-- column source_url: upstream file, pinned to its commit where known
-- column fetched_at: when the raw input was fetched or read (UTC)
-- column raw_sha256: sha256 of the raw input
-- column load_id: the load that stored this version (joins _loads)
CREATE OR REPLACE VIEW pypi_downloads_30d AS
SELECT package,
       (window_end_date - INTERVAL 30 DAY)::DATE AS window_start_date,
       window_end_date, downloads, method, upstream_rows,
       source, source_url, fetched_at, raw_sha256, load_id
FROM cur_pypi_download_snapshots
WHERE window_days = 30;
