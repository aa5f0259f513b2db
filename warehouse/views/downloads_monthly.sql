-- dataset: downloads_monthly
-- description: Monthly downloads per package, with its framework family and role (warehouse/families.toml), per channel and source. Pick one source per channel before summing: sources overlap.
-- column family: framework family: torch, tensorflow, keras, jax, or reference (pip, numpy, pandas, scikit-learn)
-- column package: package name in its channel
-- column role: core (counted in shares), companion or dependency (family totals only)
-- column channel: distribution channel: pypi, conda or npm
-- column month: calendar month (first day) the measurement covers
-- column downloads: downloads in that month (top_pypi: the 30-day window that mostly covers it; daily sources: the sum of a complete calendar month; conda: summed over conda channels)
-- column source: source name (top_pypi, pypistats, clickhouse_pypi, bigquery_pypi, conda, npm; see the sources table)
-- column method: upstream counting method (bigquery, clickhouse, pypistats, npm, anaconda-package-data)
-- column window_end_date: end of the upstream window behind the value; the window ends the day before (for calendar months: the first day of the next month)
-- column flags: comma-separated data_flags kinds that apply to this row ('' when none)
-- column source_url: upstream input, pinned where known (space-separated when a month joins several responses)
-- column raw_sha256: sha256 of the raw input (space-separated when several)
-- column load_id: the load that stored the value (the latest one when several)
CREATE OR REPLACE VIEW downloads_monthly AS
WITH archive AS (
    SELECT f.family, w.package, f.role, 'pypi' AS channel, w.month, w.downloads, w.source,
           w.method, w.window_end_date, w.source_url, w.raw_sha256, w.load_id
    FROM pypi_monthly_windows w JOIN package_families f USING (package)
    WHERE w.pick = 1
),
daily AS (
    -- live daily series, complete calendar months only (the current month never is)
    SELECT source, channel, package, date_trunc('month', download_date)::DATE AS month,
           sum(downloads) AS downloads, count(DISTINCT download_date) AS days,
           string_agg(DISTINCT source_url, ' ' ORDER BY source_url) AS source_url,
           string_agg(DISTINCT raw_sha256, ' ' ORDER BY raw_sha256) AS raw_sha256,
           max(load_id) AS load_id
    FROM cur_package_downloads_daily
    WHERE (source = 'pypistats' AND series = 'without_mirrors') OR series = 'all'
    GROUP BY ALL
),
live AS (
    SELECT source, channel, package, month, downloads, source_url, raw_sha256, load_id
    FROM daily
    WHERE days = date_diff('day', month, (month + INTERVAL 1 MONTH)::DATE)
    UNION ALL
    SELECT source, channel, package, month, downloads, source_url, raw_sha256, load_id
    FROM cur_package_downloads_monthly
    UNION ALL
    SELECT 'conda', 'conda', pkg_name, month, sum(downloads),
           string_agg(DISTINCT source_url, ' ' ORDER BY source_url),
           string_agg(DISTINCT raw_sha256, ' ' ORDER BY raw_sha256), max(load_id)
    FROM cur_conda_downloads_monthly GROUP BY pkg_name, month
),
base AS (
    SELECT family, package, role, channel, month, downloads, source, method, window_end_date,
           source_url, raw_sha256, load_id
    FROM archive
    UNION ALL
    SELECT f.family, l.package, f.role, l.channel, l.month, l.downloads, l.source,
           CASE l.source WHEN 'clickhouse_pypi' THEN 'clickhouse'
                         WHEN 'bigquery_pypi' THEN 'bigquery'
                         WHEN 'conda' THEN 'anaconda-package-data'
                         ELSE l.source END AS method,
           (l.month + INTERVAL 1 MONTH)::DATE AS window_end_date,
           l.source_url, l.raw_sha256, l.load_id
    FROM live l
    JOIN channel_package_families f ON f.channel = l.channel AND f.package = l.package
),
flagged AS (
    -- stored flags whose period holds the middle of the row's window (derived kinds such as
    -- missing_period concern months without a row, so they cannot apply here)
    SELECT b.source, b.channel, b.package, b.month,
           string_agg(DISTINCT q.kind, ',' ORDER BY q.kind) AS flags
    FROM base b JOIN cur_quality_flags q
      ON q.source = b.source AND q.subject IN ('*', b.package)
     AND q.kind NOT IN ('missing_period', 'duplicate_window')
     AND b.window_end_date - INTERVAL 15 DAY BETWEEN q.period_start AND q.period_end
    GROUP BY ALL
)
SELECT b.family, b.package, b.role, b.channel, b.month, b.downloads, b.source, b.method,
       b.window_end_date, coalesce(f.flags, '') AS flags,
       b.source_url, b.raw_sha256, b.load_id
FROM base b LEFT JOIN flagged f USING (source, channel, package, month);
