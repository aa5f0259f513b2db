-- Internal: the adoption-index signal contract (see docs/ARCHITECTURE.md, "Signals").
-- conda downloads of each framework's core conda package (pytorch, tensorflow, keras, jax),
-- summed over conda channels. Flags carry the pytorch-channel break of 2023-01.
CREATE OR REPLACE VIEW signal_conda_downloads AS
SELECT 'conda_downloads' AS signal,
       'conda downloads (core packages, all channels)' AS signal_label,
       month AS period, 'month' AS granularity, family AS framework,
       sum(downloads)::DOUBLE AS value,
       coalesce(string_agg(DISTINCT NULLIF(flags, ''), ','), '') AS flags,
       any_value(source) AS source
FROM downloads_monthly
WHERE channel = 'conda' AND source = 'conda' AND role = 'core'
  AND family IN ('torch', 'tensorflow', 'jax', 'keras')
GROUP BY month, family;
