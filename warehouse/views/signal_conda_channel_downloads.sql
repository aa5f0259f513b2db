-- Internal: the adoption-index signal contract (see docs/ARCHITECTURE.md, "Signals").
-- conda downloads of one channel per framework (best-of-ml-python: pytorch/pytorch,
-- conda-forge/tensorflow), a flow: increments of the cumulative totals between weekly snapshots
-- whose later date falls in the month, scaled to 30 days (sum of increments / sum of days x 30).
-- Increments across a channel change or a fall of the total are left out; the month is flagged.
CREATE OR REPLACE VIEW signal_conda_channel_downloads AS
WITH monthly AS (
    SELECT date_trunc('month', snapshot_date)::DATE AS period, framework, github_id,
           sum(conda_increment) / sum(days_since_previous) * 30 AS value,
           min(snapshot_date) AS first_date, max(snapshot_date) AS last_date
    FROM best_of_ml_metrics
    WHERE framework IN ('torch', 'tensorflow') AND conda_increment IS NOT NULL
      AND days_since_previous > 0
    GROUP BY ALL
)
SELECT 'conda_channel_downloads' AS signal,
       'conda downloads (one channel, best-of-ml-python)' AS signal_label,
       m.period, 'month' AS granularity, m.framework, m.value::DOUBLE AS value,
       coalesce((SELECT string_agg(DISTINCT d.kind, ',' ORDER BY d.kind) FROM data_flags d
                 WHERE d.source = 'best_of_ml_python' AND d.subject = m.github_id
                   AND d.kind IN ('channel_change', 'counter_reset')
                   AND d.period_start BETWEEN m.period AND last_day(m.period)), '') AS flags,
       'best_of_ml_python' AS source
FROM monthly m;
