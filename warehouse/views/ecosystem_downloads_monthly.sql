-- dataset: ecosystem_downloads_monthly
-- description: 30-day PyPI downloads of deployment runtimes and serving per framework, framework-neutral exchange formats and libraries built on one framework (warehouse/ecosystem.toml), one row per package and top-pypi list. A package absent from a list is below that list's cut-off: downloads is NULL and upper_bound gives the cut-off (the most it can have had), never a zero.
-- column group_name: deployment | exchange | built_on
-- column group_label: human label of the group
-- column framework: torch, tensorflow or neutral
-- column role: edge (mobile, web, embedded runtimes) | serving | optimisation | exchange | library
-- column package: PyPI project name
-- column month: first day of the month of window_end_date
-- column window_end_date: the list's last_update date (the 30-day window ends the day before)
-- column downloads: downloads in the 30-day window (NULL when below the cut-off)
-- column below_cutoff: true when the package is not in the list
-- column upper_bound: the list's min_download_count when below_cutoff, else NULL
-- column list_cutoff: the list's min_download_count (the smallest count in the untrimmed list)
-- column upstream_rows: size of the upstream top-N list
-- column method: upstream counting method of the list: bigquery (to 2025-06) or clickhouse (from 2025-07), a method break
CREATE OR REPLACE VIEW ecosystem_downloads_monthly AS
WITH lists AS (
    SELECT c.window_end_date, c.min_download_count, c.upstream_rows,
           (SELECT any_value(s.method) FROM cur_pypi_ecosystem_snapshots s
            WHERE s.window_days = 30 AND s.window_end_date = c.window_end_date) AS method
    FROM cur_pypi_top_list_cutoffs c
    WHERE c.window_days = 30
    -- one list per month (the staged folders keep the earliest of each month)
    QUALIFY row_number() OVER (PARTITION BY date_trunc('month', c.window_end_date)
                               ORDER BY c.window_end_date) = 1
)
SELECT e.group_name, e.group_label, e.framework, e.role, e.package,
       date_trunc('month', l.window_end_date)::DATE AS month, l.window_end_date,
       s.downloads, s.downloads IS NULL AS below_cutoff,
       CASE WHEN s.downloads IS NULL THEN l.min_download_count END AS upper_bound,
       l.min_download_count AS list_cutoff,
       l.upstream_rows,
       coalesce(l.method, CASE WHEN l.window_end_date >= DATE '2025-07-01' THEN 'clickhouse'
                               ELSE 'bigquery' END) AS method
FROM lists l
CROSS JOIN ecosystem_packages e
LEFT JOIN cur_pypi_ecosystem_snapshots s
       ON s.package = e.package AND s.window_days = 30 AND s.window_end_date = l.window_end_date
ORDER BY e.group_name, e.framework, e.package, l.window_end_date;
