-- Internal: the stock behind the adoption-index signal signal_github_dependents (a flow).
-- GitHub dependents ('Used by') of pytorch/pytorch and tensorflow/tensorflow (best-of-ml-python),
-- a stock: the last weekly snapshot of each month, the same date for both frameworks. A month
-- whose last snapshot lacks the GitHub field for a framework has no value for it (the upstream
-- fallback total is never used), so no share.
CREATE OR REPLACE VIEW github_dependents_monthly AS
WITH last_snapshot AS (
    SELECT date_trunc('month', snapshot_date)::DATE AS period, max(snapshot_date) AS snapshot_date
    FROM best_of_ml_metrics
    WHERE framework IN ('torch', 'tensorflow')
    GROUP BY 1
)
SELECT 'github_dependents' AS signal,
       'GitHub dependents (Used by, stock)' AS signal_label,
       l.period, l.snapshot_date, 'month' AS granularity, m.framework,
       m.github_dependents::DOUBLE AS value,
       coalesce((SELECT string_agg(DISTINCT d.kind, ',' ORDER BY d.kind) FROM data_flags d
                 WHERE d.source = 'best_of_ml_python' AND d.subject = m.github_id
                   AND d.kind = 'missing_value'
                   AND l.snapshot_date BETWEEN d.period_start AND d.period_end), '') AS flags,
       'best_of_ml_python' AS source
FROM last_snapshot l
JOIN best_of_ml_metrics m ON m.snapshot_date = l.snapshot_date
WHERE m.framework IN ('torch', 'tensorflow') AND m.github_dependents IS NOT NULL;
