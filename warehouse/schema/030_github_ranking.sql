-- Github-Ranking (EvanLi/Github-Ranking) daily top-100 lists, tracked repositories only.
-- One row per repository, day and list it appears in; a repository absent from every list on a
-- day has no row that day (missing, never zero).
CREATE TABLE github_ranking_rows (
    repo           VARCHAR NOT NULL,     -- current owner/name (renames mapped, collectors/repos.toml)
    observed_date  DATE NOT NULL,        -- the daily file's date
    list_name      VARCHAR NOT NULL,     -- upstream `item`: top-100-stars, top-100-forks, CPP, Python, ...
    listed_as      VARCHAR NOT NULL,     -- owner/name as the file had it that day
    list_rank      INTEGER NOT NULL,
    stars          BIGINT NOT NULL,
    forks          BIGINT NOT NULL,
    open_issues    BIGINT NOT NULL,      -- open_issues_count: includes open pull requests
    language       VARCHAR,
    pushed_at      TIMESTAMPTZ,          -- upstream `last_commit` (really pushed_at)
    source         VARCHAR NOT NULL,
    source_url     VARCHAR NOT NULL,
    fetched_at     TIMESTAMPTZ NOT NULL,
    raw_sha256     VARCHAR NOT NULL,
    load_id        VARCHAR NOT NULL,
    PRIMARY KEY (repo, observed_date, list_name, load_id)
);

-- One row per ingested daily file: which days were observed at all (a tracked repository
-- missing on an observed day is absent from the lists; a day without a file is a gap).
CREATE TABLE github_ranking_days (
    observed_date  DATE NOT NULL,
    upstream_rows  INTEGER NOT NULL,     -- rows of the untrimmed upstream file (INDEX.csv or counted)
    source         VARCHAR NOT NULL,
    source_url     VARCHAR NOT NULL,
    fetched_at     TIMESTAMPTZ NOT NULL,
    raw_sha256     VARCHAR NOT NULL,
    load_id        VARCHAR NOT NULL,
    PRIMARY KEY (observed_date, load_id)
);

-- The tracked repositories (collectors/repos.toml) as they were configured at each load:
-- the framework each repository counts for. Written by every GitHub load.
CREATE TABLE tracked_repos (
    repo        VARCHAR NOT NULL,        -- current owner/name
    framework   VARCHAR NOT NULL,
    former      VARCHAR NOT NULL,        -- comma-separated former names ('' when none)
    archived    BOOLEAN NOT NULL,
    source      VARCHAR NOT NULL,
    source_url  VARCHAR NOT NULL,
    fetched_at  TIMESTAMPTZ NOT NULL,
    raw_sha256  VARCHAR NOT NULL,
    load_id     VARCHAR NOT NULL,
    PRIMARY KEY (repo, load_id)
);
