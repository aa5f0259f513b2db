-- Internal: adoption-index signal (docs/ARCHITECTURE.md, "Signals"): Papers with Code
-- repositories per framework per month of the linked paper (archive frozen July 2025).
CREATE OR REPLACE VIEW signal_pwc_implementations AS
SELECT 'pwc_implementations' AS signal,
       'Papers with Code implementations (repositories)' AS signal_label,
       month AS period, 'month' AS granularity, framework,
       sum(repos)::DOUBLE AS value, '' AS flags, any_value(source) AS source
FROM implementations_monthly
WHERE framework IN ('torch', 'tensorflow', 'jax')
GROUP BY month, framework;
