-- dataset: pypi_source_overlap
-- description: Where the PyPI history from the archive (top-pypi 30-day snapshots) and a live daily source overlap: both totals over the same 30 days and their relative difference.
-- column package: PyPI project name
-- column window_start_date: first day of the snapshot's 30-day window
-- column window_end_date: the snapshot's last_update date (the window ends the day before)
-- column archive_method: upstream counting method of the snapshot (bigquery or clickhouse)
-- column archive_downloads: downloads in the window according to the top-pypi snapshot
-- column live_source: the live daily source compared (clickhouse_pypi or pypistats)
-- column live_series: the live series compared (all; with_mirrors for pypistats, as the archive includes mirrors)
-- column live_downloads: the live source's daily downloads summed over the same 30 days
-- column relative_difference: (live_downloads - archive_downloads) / archive_downloads
-- column within_tolerance: true when |relative_difference| <= 0.05 (see docs/downloads_live.md); otherwise a source_disagreement flag is stored
CREATE OR REPLACE VIEW pypi_source_overlap AS
WITH windows AS (
    SELECT package, (window_end_date - INTERVAL 30 DAY)::DATE AS window_start_date,
           window_end_date, method AS archive_method, downloads AS archive_downloads
    FROM cur_pypi_download_snapshots WHERE window_days = 30
),
live AS (
    SELECT source, series, package, download_date, downloads
    FROM cur_package_downloads_daily
    WHERE (source = 'clickhouse_pypi' AND series = 'all')
       OR (source = 'pypistats' AND series = 'with_mirrors')
),
summed AS (
    SELECT w.package, w.window_start_date, w.window_end_date, w.archive_method,
           w.archive_downloads, l.source AS live_source, l.series AS live_series,
           sum(l.downloads) AS live_downloads, count(DISTINCT l.download_date) AS days
    FROM windows w JOIN live l
      ON l.package = w.package AND l.download_date >= w.window_start_date
     AND l.download_date < w.window_end_date
    GROUP BY ALL
)
SELECT package, window_start_date, window_end_date, archive_method, archive_downloads,
       live_source, live_series, live_downloads,
       (live_downloads - archive_downloads) / nullif(archive_downloads, 0)::DOUBLE
           AS relative_difference,
       abs((live_downloads - archive_downloads) / nullif(archive_downloads, 0)::DOUBLE) <= 0.05
           AS within_tolerance
FROM summed
WHERE days = 30;
