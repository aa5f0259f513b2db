-- Internal: the adoption-index signal contract (see docs/ARCHITECTURE.md, "Signals").
-- conda downloads of each framework's core conda package (pytorch, tensorflow, keras, jax),
-- summed over conda channels (core_downloads_monthly). Flags carry the pytorch-channel break
-- of 2023-01.
CREATE OR REPLACE VIEW signal_conda_downloads AS
SELECT 'conda_downloads' AS signal,
       'conda downloads (core packages, all channels)' AS signal_label,
       month AS period, 'month' AS granularity, family AS framework,
       downloads::DOUBLE AS value, coalesce(flags, '') AS flags, source
FROM core_downloads_monthly
WHERE channel = 'conda' AND source = 'conda'
  AND family IN ('torch', 'tensorflow', 'jax', 'keras');
