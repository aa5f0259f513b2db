-- Internal: the adoption-index signal contract (see docs/ARCHITECTURE.md, "Signals").
-- New GitHub stars of each framework's main repository per month (a flow: repo_stats_monthly
-- new_stars, stars gained in the month). The cumulative count is a stock and stays in the
-- repositories section (repos-stars-monthly, repos-pytorch-star-share), never in the index.
-- For each month one source is used for every framework (the order in github_source_priority),
-- and only when it has both PyTorch and TensorFlow that month, so a share never mixes methods.
CREATE OR REPLACE VIEW signal_github_stars AS
WITH candidates AS (
    SELECT month, framework, new_stars, flags, source, coalesce(p.priority, 99) AS priority
    FROM repo_stats_monthly LEFT JOIN github_source_priority p USING (source)
    WHERE framework IN ('torch', 'tensorflow', 'jax', 'keras') AND new_stars IS NOT NULL
),
usable AS (
    SELECT month, source, min(priority) AS priority FROM candidates
    GROUP BY month, source
    HAVING count(DISTINCT framework) FILTER (WHERE framework IN ('torch', 'tensorflow')) = 2
),
chosen AS (
    SELECT month, source FROM usable
    QUALIFY row_number() OVER (PARTITION BY month ORDER BY priority) = 1
)
SELECT 'github_stars' AS signal, 'New GitHub stars per month (main repository)' AS signal_label,
       c.month AS period, 'month' AS granularity, c.framework, c.new_stars::DOUBLE AS value,
       c.flags, c.source
FROM candidates c JOIN chosen USING (month, source);
