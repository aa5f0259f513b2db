-- top-pypi-packages dumps: one row per package per upstream snapshot (30- or 365-day window).
CREATE TABLE pypi_download_snapshots (
    package          VARCHAR NOT NULL,
    window_days      INTEGER NOT NULL,    -- 30 or 365
    window_end_date  DATE NOT NULL,       -- the snapshot's last_update date
    downloads        BIGINT NOT NULL,
    method           VARCHAR NOT NULL,    -- bigquery | clickhouse (the upstream counting method)
    upstream_rows    INTEGER,             -- top-N size of the upstream file
    source           VARCHAR NOT NULL,
    source_url       VARCHAR NOT NULL,
    fetched_at       TIMESTAMPTZ NOT NULL,
    raw_sha256       VARCHAR NOT NULL,
    load_id          VARCHAR NOT NULL,
    PRIMARY KEY (package, window_days, window_end_date, load_id)
);
