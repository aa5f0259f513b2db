-- Internal: the adoption-index signal contract (see docs/ARCHITECTURE.md, "Signals").
-- One row per period and framework: period (DATE, start of the period), granularity
-- ('month' | 'year'), framework ('torch' | 'tensorflow' | others), value, flags, source.
-- One source only (the top-pypi archive): PyPI sources overlap in downloads_monthly.
CREATE OR REPLACE VIEW signal_pypi_downloads AS
SELECT 'pypi_downloads' AS signal,
       'PyPI downloads (core packages)' AS signal_label,
       month AS period, 'month' AS granularity, family AS framework,
       sum(downloads)::DOUBLE AS value,
       coalesce(string_agg(DISTINCT NULLIF(flags, ''), ','), '') AS flags,
       any_value(source) AS source
FROM downloads_monthly
WHERE channel = 'pypi' AND source = 'top_pypi' AND role = 'core'
  AND family IN ('torch', 'tensorflow', 'jax', 'keras')
GROUP BY month, family;
