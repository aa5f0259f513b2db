-- Internal: the adoption-index signal contract (see docs/ARCHITECTURE.md, "Signals").
-- 30-day PyPI downloads of each framework's mobile, web and edge runtimes (role 'edge' in
-- warehouse/ecosystem.toml: executorch; ai-edge-litert, tflite-runtime, tflite-support,
-- tensorflowjs), summed over the framework's packages in the list. A framework none of whose edge
-- packages is in the list has no value (below the cut-off: no share); when only some are, the
-- sum is a lower bound and the month is flagged below_cutoff. Lists after 2025-07 use ClickHouse
-- (flagged method_break in the first such month).
CREATE OR REPLACE VIEW signal_edge_runtime_downloads AS
WITH per_framework AS (
    SELECT month, framework, sum(downloads) AS value,
           bool_or(below_cutoff) AS some_below, any_value(method) AS method,
           count(*) FILTER (WHERE NOT below_cutoff) AS present
    FROM ecosystem_downloads_monthly
    WHERE group_name = 'deployment' AND role = 'edge' AND framework IN ('torch', 'tensorflow')
    GROUP BY ALL
),
with_break AS (
    SELECT *, method <> lag(method) OVER (PARTITION BY framework ORDER BY month) AS changed
    FROM per_framework
)
SELECT 'edge_runtime_downloads' AS signal,
       'PyPI downloads of mobile/web/edge runtimes' AS signal_label,
       month AS period, 'month' AS granularity, framework, value::DOUBLE AS value,
       concat_ws(',', CASE WHEN some_below THEN 'below_cutoff' END,
                      CASE WHEN changed THEN 'method_break' END) AS flags,
       'top_pypi' AS source
FROM with_break
WHERE present > 0;
