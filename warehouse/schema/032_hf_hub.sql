-- Hugging Face Hub /api/models: models created per month, per library tag, as counted on a day.
CREATE TABLE hub_model_counts (
    library        VARCHAR NOT NULL,     -- the tag filtered on: pytorch, tf, jax, ...
    created_month  DATE NOT NULL,        -- first day of the month of the models' createdAt
    observed_date  DATE NOT NULL,        -- day the listing was walked
    models         BIGINT NOT NULL,      -- models with that tag created in that month (still listed)
    source         VARCHAR NOT NULL,
    source_url     VARCHAR NOT NULL,
    fetched_at     TIMESTAMPTZ NOT NULL,
    raw_sha256     VARCHAR NOT NULL,     -- sha256 over the pages' hashes
    load_id        VARCHAR NOT NULL,
    PRIMARY KEY (library, created_month, observed_date, load_id)
);
