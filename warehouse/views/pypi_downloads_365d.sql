-- dataset: pypi_downloads_365d
-- description: One row per package per upstream 365-day snapshot (published 2018-02 .. 2021-04 only).
-- column package: PyPI project name
-- column window_end_date: the snapshot's last_update date
-- column downloads: downloads in the 365 days before window_end_date
-- column method: upstream counting method (bigquery)
-- column source: source name
-- column source_url: upstream file, pinned to its commit where known
-- column fetched_at: when the raw input was fetched or read (UTC)
-- column raw_sha256: sha256 of the raw input
-- column load_id: the load that stored this version
CREATE OR REPLACE VIEW pypi_downloads_365d AS
SELECT package, window_end_date, downloads, method,
       source, source_url, fetched_at, raw_sha256, load_id
FROM cur_pypi_download_snapshots
WHERE window_days = 365;
