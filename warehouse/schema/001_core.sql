-- Bookkeeping and shared reference tables.
CREATE TABLE _loads (
    load_id     VARCHAR PRIMARY KEY,      -- sorts chronologically: <UTC stamp>-<source>-<rand>
    source      VARCHAR NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    status      VARCHAR NOT NULL,         -- running | ok | failed
    row_count   BIGINT,                   -- rows inserted (new or changed versions)
    parameters  VARCHAR,                  -- JSON of the load's inputs (paths, packages, windows)
    git_sha     VARCHAR,
    error       VARCHAR
);

CREATE TABLE sources (
    name         VARCHAR PRIMARY KEY,
    description  VARCHAR NOT NULL,
    licence      VARCHAR NOT NULL,
    citation     VARCHAR NOT NULL,
    upstream_url VARCHAR NOT NULL
);

-- Method breaks and anomalous periods. Versioned like every fact table (key + load_id).
CREATE TABLE quality_flags (
    source       VARCHAR NOT NULL,
    subject      VARCHAR NOT NULL,        -- package / repo / venue it concerns, '*' for all
    period_start DATE NOT NULL,
    period_end   DATE NOT NULL,
    kind         VARCHAR NOT NULL,        -- method_break | anomalous_low | missing_period | ...
    note         VARCHAR NOT NULL,
    source_url   VARCHAR NOT NULL,
    fetched_at   TIMESTAMPTZ NOT NULL,
    raw_sha256   VARCHAR NOT NULL,
    load_id      VARCHAR NOT NULL,
    PRIMARY KEY (source, subject, period_start, kind, load_id)
);
