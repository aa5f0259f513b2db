-- Internal: the adoption-index signal contract (see docs/ARCHITECTURE.md, "Signals").
-- Cumulative GitHub stars of each framework's main repository per month. For each month one
-- source is used for every framework (the order in github_source_priority),
-- and only when it has both PyTorch and TensorFlow that month, so a share never mixes methods.
CREATE OR REPLACE VIEW signal_github_stars AS
WITH candidates AS (
    SELECT month, framework, stars, flags, source, coalesce(p.priority, 99) AS priority
    FROM repo_stats_monthly LEFT JOIN github_source_priority p USING (source)
    WHERE framework IN ('torch', 'tensorflow', 'jax', 'keras') AND stars IS NOT NULL
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
SELECT 'github_stars' AS signal, 'GitHub stars (main repository, cumulative)' AS signal_label,
       c.month AS period, 'month' AS granularity, c.framework, c.stars::DOUBLE AS value,
       c.flags, c.source
FROM candidates c JOIN chosen USING (month, source);
