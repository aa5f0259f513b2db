-- dataset: pypi_monthly_comparison
-- description: PyPI monthly downloads of the framework packages as best-of-ml-python read them (its generator, weekly) next to the top-pypi-packages 30-day count nearest in time (at most 7 days apart), where both exist. Two collections of the same public logs at different times and windows: the ratio shows how far the two agree, not which is right.
-- column package: PyPI project name
-- column snapshot_date: best-of-ml-python snapshot date
-- column best_of_downloads: pypi_monthly_downloads in that snapshot
-- column top_pypi_window_end: window_end_date of the nearest top-pypi 30-day snapshot
-- column top_pypi_downloads: downloads in that 30-day window
-- column days_apart: snapshot_date - top_pypi_window_end in days
-- column ratio: best_of_downloads / top_pypi_downloads
CREATE OR REPLACE VIEW pypi_monthly_comparison AS
SELECT lower(s.pypi_id) AS package, s.snapshot_date,
       s.pypi_monthly_downloads AS best_of_downloads,
       p.window_end_date AS top_pypi_window_end, p.downloads AS top_pypi_downloads,
       datediff('day', p.window_end_date, s.snapshot_date) AS days_apart,
       s.pypi_monthly_downloads / p.downloads AS ratio
FROM cur_project_metric_snapshots s
JOIN cur_pypi_download_snapshots p
  ON p.package = lower(s.pypi_id) AND p.window_days = 30
 AND abs(datediff('day', p.window_end_date, s.snapshot_date)) <= 7
WHERE s.pypi_monthly_downloads IS NOT NULL AND p.downloads > 0
QUALIFY row_number() OVER (PARTITION BY s.github_id, s.snapshot_date
                           ORDER BY abs(datediff('day', p.window_end_date, s.snapshot_date)),
                                    p.window_end_date) = 1
ORDER BY package, s.snapshot_date;
