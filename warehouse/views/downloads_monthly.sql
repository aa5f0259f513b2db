-- dataset: downloads_monthly
-- description: Monthly downloads per package, with its framework family and role (warehouse/families.toml), per source.
-- column family: framework family: torch, tensorflow, keras, jax, or reference (pip, numpy, pandas, scikit-learn)
-- column package: package name in its channel
-- column role: core (counted in shares), companion or dependency (family totals only)
-- column channel: distribution channel: pypi (later also conda, npm)
-- column month: calendar month (first day) the measurement covers
-- column downloads: downloads in that month (for top-pypi: the 30-day window that mostly covers it)
-- column source: source name (see the sources table)
-- column method: upstream counting method (bigquery, clickhouse, ...)
-- column window_end_date: end of the upstream window behind the value
-- column flags: comma-separated data_flags kinds that apply to this row ('' when none)
-- column source_url: upstream input, pinned where known
-- column raw_sha256: sha256 of the raw input
-- column load_id: the load that stored the value
CREATE OR REPLACE VIEW downloads_monthly AS
WITH base AS (
    SELECT f.family, w.package, f.role, 'pypi' AS channel, w.month, w.downloads, w.source,
           w.method, w.window_end_date,
           (w.window_end_date - INTERVAL 30 DAY)::DATE AS window_start_date,
           w.source_url, w.raw_sha256, w.load_id
    FROM pypi_monthly_windows w JOIN package_families f USING (package)
    WHERE w.pick = 1
)
SELECT b.family, b.package, b.role, b.channel, b.month, b.downloads, b.source, b.method,
       b.window_end_date,
       coalesce((SELECT string_agg(DISTINCT d.kind, ',' ORDER BY d.kind) FROM data_flags d
                 WHERE d.source = b.source AND d.subject IN ('*', b.package)
                   AND d.kind NOT IN ('missing_period', 'duplicate_window')
                   AND b.window_end_date - INTERVAL 15 DAY
                       BETWEEN d.period_start AND d.period_end), '') AS flags,
       b.source_url, b.raw_sha256, b.load_id
FROM base b;
