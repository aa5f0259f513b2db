-- Live download sources (pypistats, ClickHouse PyPI, npm, BigQuery, conda). Versioned fact tables:
-- natural key + load_id; a refresh inserts only new or revised values.

-- One row per source, package, day and upstream series.
CREATE TABLE package_downloads_daily (
    source           VARCHAR NOT NULL,    -- pypistats | clickhouse_pypi | npm
    channel          VARCHAR NOT NULL,    -- pypi | npm
    package          VARCHAR NOT NULL,
    download_date    DATE NOT NULL,
    series           VARCHAR NOT NULL,    -- upstream series: with_mirrors | without_mirrors | all
    mirrors_included BOOLEAN,             -- NULL where the source has no notion of mirrors (npm)
    downloads        BIGINT NOT NULL,
    source_url       VARCHAR NOT NULL,
    fetched_at       TIMESTAMPTZ NOT NULL,
    raw_sha256       VARCHAR NOT NULL,
    load_id          VARCHAR NOT NULL,
    PRIMARY KEY (source, package, download_date, series, load_id)
);

-- pypistats breakdowns (without mirrors): Python minor version and operating system per day.
CREATE TABLE pypi_download_breakdowns_daily (
    package          VARCHAR NOT NULL,
    download_date    DATE NOT NULL,
    dimension        VARCHAR NOT NULL,    -- python_minor | system
    category         VARCHAR NOT NULL,    -- '3.12', 'Linux', ... ('null' = unknown, as upstream)
    downloads        BIGINT NOT NULL,
    source           VARCHAR NOT NULL,
    source_url       VARCHAR NOT NULL,
    fetched_at       TIMESTAMPTZ NOT NULL,
    raw_sha256       VARCHAR NOT NULL,
    load_id          VARCHAR NOT NULL,
    PRIMARY KEY (package, download_date, dimension, category, load_id)
);

-- Monthly aggregates computed upstream (BigQuery scale-out backend).
CREATE TABLE package_downloads_monthly (
    source           VARCHAR NOT NULL,    -- bigquery_pypi
    channel          VARCHAR NOT NULL,    -- pypi
    package          VARCHAR NOT NULL,
    month            DATE NOT NULL,       -- first day of the calendar month
    mirrors_included BOOLEAN NOT NULL,
    downloads        BIGINT NOT NULL,
    source_url       VARCHAR NOT NULL,
    fetched_at       TIMESTAMPTZ NOT NULL,
    raw_sha256       VARCHAR NOT NULL,
    load_id          VARCHAR NOT NULL,
    PRIMARY KEY (source, package, month, load_id)
);

-- anaconda-package-data monthly files, summed over version, platform and Python per channel.
CREATE TABLE conda_downloads_monthly (
    pkg_name         VARCHAR NOT NULL,
    data_source      VARCHAR NOT NULL,    -- anaconda | conda-forge | pytorch | ... (upstream)
    month            DATE NOT NULL,
    downloads        BIGINT NOT NULL,     -- sum(counts)
    source           VARCHAR NOT NULL,
    source_url       VARCHAR NOT NULL,
    fetched_at       TIMESTAMPTZ NOT NULL,
    raw_sha256       VARCHAR NOT NULL,
    load_id          VARCHAR NOT NULL,
    PRIMARY KEY (pkg_name, data_source, month, load_id)
);
