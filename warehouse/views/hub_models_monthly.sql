-- dataset: hub_models_monthly
-- description: Hugging Face Hub models per library tag and creation month (models still listed when counted); the month of the count itself is left out as incomplete. Legacy models all carry createdAt 2022-03-02 (flagged).
-- column library: the Hub tag counted: pytorch, tf, jax, keras (weight files present, so one model can count for several)
-- column framework: framework family of the tag: torch, tensorflow, jax, keras
-- column month: creation month (first day)
-- column new_models: models with the tag created in that month, as counted on observed_date
-- column total_models: models with the tag created up to the end of that month (running sum of new_models)
-- column observed_date: day the listing was walked for that month
-- column source: hf_hub
-- column flags: comma-separated data_flags kinds that apply to the library in that month ('' when none)
-- column source_url: first page of the listing walked
-- column raw_sha256: sha256 over the sha256 of every page walked
-- column load_id: the load that stored the count
CREATE OR REPLACE VIEW hub_models_monthly AS
WITH counts AS (
    SELECT * FROM cur_hub_model_counts
    QUALIFY row_number() OVER (PARTITION BY library, created_month ORDER BY observed_date DESC) = 1
),
complete AS (
    SELECT c.* FROM counts c
    WHERE c.created_month < (SELECT date_trunc('month', max(observed_date)) FROM counts d
                             WHERE d.library = c.library)
)
SELECT library,
       CASE library WHEN 'pytorch' THEN 'torch' WHEN 'tf' THEN 'tensorflow' ELSE library END
           AS framework,
       created_month AS month, models AS new_models,
       sum(models) OVER (PARTITION BY library ORDER BY created_month)::BIGINT AS total_models,
       observed_date, source,
       coalesce((SELECT string_agg(DISTINCT d.kind, ',' ORDER BY d.kind) FROM data_flags d
                 WHERE d.source = c.source AND d.subject IN ('*', c.library)
                   AND d.period_start <= (c.created_month + INTERVAL 1 MONTH - INTERVAL 1 DAY)
                   AND d.period_end >= c.created_month), '') AS flags,
       source_url, raw_sha256, load_id
FROM complete c;
