-- Internal: the adoption-index signal contract (see docs/ARCHITECTURE.md, "Signals").
-- New Hugging Face Hub models per month carrying each framework's weight tag (pytorch, tf, jax,
-- keras). A model with weights for several frameworks counts for each.
CREATE OR REPLACE VIEW signal_hub_models AS
SELECT 'hub_models' AS signal, 'Hugging Face Hub new models (weight tag)' AS signal_label,
       month AS period, 'month' AS granularity, framework, new_models::DOUBLE AS value, flags,
       source
FROM hub_models_monthly;
