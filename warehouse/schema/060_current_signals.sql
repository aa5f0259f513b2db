-- New current signals (issue 14): Stack Overflow totals per day, Hacker News "Who is hiring"
-- posts, best-of-ml-python project metrics and the top-pypi list cut-offs.
-- Stack Overflow tag counts from nschloe/stackoverflow-trends and SEDE go to
-- qa_tag_questions_monthly (051) under their own source names.

-- Every Stack Overflow question per calendar day (SEDE, PostTypeId 1): the denominator.
CREATE TABLE qa_questions_daily_totals (
    day          DATE NOT NULL,
    questions    BIGINT NOT NULL,    -- questions created that day (deleted ones excluded)
    source       VARCHAR NOT NULL,
    source_url   VARCHAR NOT NULL,
    fetched_at   TIMESTAMPTZ NOT NULL,
    raw_sha256   VARCHAR NOT NULL,
    load_id      VARCHAR NOT NULL,
    PRIMARY KEY (day, source, load_id)
);

-- Hacker News "Ask HN: Who is hiring?" threads: job posts per month and posts naming a term.
CREATE TABLE job_posts_monthly (
    month          DATE NOT NULL,      -- first day of the thread's month
    term           VARCHAR NOT NULL,   -- hntrends term (PyTorch, TensorFlow, Keras, ...)
    posts          BIGINT NOT NULL,    -- top-level comments (job posts) in the thread
    posts_matching BIGINT NOT NULL,    -- posts mentioning the term (once per post)
    percentage     DOUBLE NOT NULL,    -- upstream posts_matching / posts x 100, as published
    source         VARCHAR NOT NULL,
    source_url     VARCHAR NOT NULL,
    fetched_at     TIMESTAMPTZ NOT NULL,
    raw_sha256     VARCHAR NOT NULL,
    load_id        VARCHAR NOT NULL,
    PRIMARY KEY (month, term, load_id)
);

-- best-of-ml-python weekly project metrics (upstream snapshots and the frameworks panel).
CREATE TABLE project_metric_snapshots (
    github_id                 VARCHAR NOT NULL,   -- owner/repo
    snapshot_date             DATE NOT NULL,      -- the upstream history file's date
    name                      VARCHAR NOT NULL,
    pypi_id                   VARCHAR,
    conda_id                  VARCHAR,            -- channel/package (the channel can change)
    dockerhub_id              VARCHAR,
    star_count                BIGINT,
    github_dependents         BIGINT,             -- GitHub "Used by" (NULL when not collected)
    pypi_dependents           BIGINT,             -- libraries.io dependents
    dependents_total          BIGINT,             -- upstream dependent_project_count (falls back)
    pypi_monthly_downloads    BIGINT,
    conda_total_downloads     BIGINT,             -- cumulative, one conda channel
    dockerhub_pulls           BIGINT,             -- cumulative
    source                    VARCHAR NOT NULL,
    source_url                VARCHAR NOT NULL,
    fetched_at                TIMESTAMPTZ NOT NULL,
    raw_sha256                VARCHAR NOT NULL,
    load_id                   VARCHAR NOT NULL,
    PRIMARY KEY (github_id, snapshot_date, load_id)
);

-- The smallest download count in each untrimmed top-pypi list: a project absent from that
-- list had fewer downloads in the window (an upper bound, never a zero).
CREATE TABLE pypi_top_list_cutoffs (
    window_days        INTEGER NOT NULL,
    window_end_date    DATE NOT NULL,     -- the snapshot's last_update date
    min_download_count BIGINT NOT NULL,
    upstream_rows      INTEGER NOT NULL,
    source             VARCHAR NOT NULL,
    source_url         VARCHAR NOT NULL,
    fetched_at         TIMESTAMPTZ NOT NULL,
    raw_sha256         VARCHAR NOT NULL,
    load_id            VARCHAR NOT NULL,
    PRIMARY KEY (window_days, window_end_date, load_id)
);

-- 30-day (and 365-day) PyPI downloads of the deployment and ecosystem packages
-- (warehouse/ecosystem.toml) from the same top-pypi lists as pypi_download_snapshots.
CREATE TABLE pypi_ecosystem_snapshots (
    package          VARCHAR NOT NULL,
    window_days      INTEGER NOT NULL,
    window_end_date  DATE NOT NULL,      -- the snapshot's last_update date
    downloads        BIGINT NOT NULL,
    method           VARCHAR NOT NULL,   -- bigquery | clickhouse
    source           VARCHAR NOT NULL,
    source_url       VARCHAR NOT NULL,
    fetched_at       TIMESTAMPTZ NOT NULL,
    raw_sha256       VARCHAR NOT NULL,
    load_id          VARCHAR NOT NULL,
    PRIMARY KEY (package, window_days, window_end_date, load_id)
);
