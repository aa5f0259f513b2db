-- Internal: the adoption-index signal contract (see docs/ARCHITECTURE.md, "Signals").
-- One row per period and framework: period (DATE, start of the period), granularity
-- ('month' | 'year'), framework ('torch' | 'tensorflow' | others), value, flags, source.
-- The filter (core packages, one source) is defined once, in pypi_core_monthly.
CREATE OR REPLACE VIEW signal_pypi_downloads AS
SELECT 'pypi_downloads' AS signal,
       'PyPI downloads (core packages)' AS signal_label,
       month AS period, 'month' AS granularity, family AS framework,
       downloads::DOUBLE AS value, coalesce(flags, '') AS flags, source
FROM pypi_core_monthly
WHERE family IN ('torch', 'tensorflow', 'jax', 'keras');
