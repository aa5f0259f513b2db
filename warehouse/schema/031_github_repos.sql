-- GitHub REST API: repository metadata, star history, releases, commit activity, counts.
CREATE TABLE github_repo_snapshots (
    repo            VARCHAR NOT NULL,    -- current owner/name (collectors/repos.toml)
    observed_date   DATE NOT NULL,       -- day the metadata was fetched
    full_name       VARCHAR NOT NULL,    -- as GitHub answered (differs after a rename)
    stars           BIGINT NOT NULL,
    forks           BIGINT NOT NULL,
    open_issues     BIGINT NOT NULL,     -- open_issues_count: includes open pull requests
    watchers        BIGINT,              -- subscribers_count (watchers_count is the star count)
    created_at      TIMESTAMPTZ,
    pushed_at       TIMESTAMPTZ,
    licence         VARCHAR,             -- SPDX id
    default_branch  VARCHAR,
    archived        BOOLEAN,
    etag            VARCHAR,             -- last ETag, sent back as If-None-Match
    source          VARCHAR NOT NULL,
    source_url      VARCHAR NOT NULL,
    fetched_at      TIMESTAMPTZ NOT NULL,
    raw_sha256      VARCHAR NOT NULL,
    load_id         VARCHAR NOT NULL,
    PRIMARY KEY (repo, observed_date, load_id)
);

-- /stargazers/history: stars added per day (retained stars only, bucketed by acquisition day).
CREATE TABLE github_star_history (
    repo         VARCHAR NOT NULL,
    star_date    DATE NOT NULL,
    stars_added  BIGINT NOT NULL,
    source       VARCHAR NOT NULL,
    source_url   VARCHAR NOT NULL,
    fetched_at   TIMESTAMPTZ NOT NULL,
    raw_sha256   VARCHAR NOT NULL,
    load_id      VARCHAR NOT NULL,
    PRIMARY KEY (repo, star_date, load_id)
);

CREATE TABLE github_releases (
    repo          VARCHAR NOT NULL,
    tag_name      VARCHAR NOT NULL,
    release_name  VARCHAR,
    published_at  TIMESTAMPTZ,           -- NULL for drafts
    prerelease    BOOLEAN NOT NULL,
    draft         BOOLEAN NOT NULL,
    source        VARCHAR NOT NULL,
    source_url    VARCHAR NOT NULL,
    fetched_at    TIMESTAMPTZ NOT NULL,
    raw_sha256    VARCHAR NOT NULL,
    load_id       VARCHAR NOT NULL,
    PRIMARY KEY (repo, tag_name, load_id)
);

-- /stats/commit_activity: commits per week (last 52 weeks; merge commits excluded).
CREATE TABLE github_commit_activity (
    repo         VARCHAR NOT NULL,
    week_start   DATE NOT NULL,
    commits      BIGINT NOT NULL,
    source       VARCHAR NOT NULL,
    source_url   VARCHAR NOT NULL,
    fetched_at   TIMESTAMPTZ NOT NULL,
    raw_sha256   VARCHAR NOT NULL,
    load_id      VARCHAR NOT NULL,
    PRIMARY KEY (repo, week_start, load_id)
);

-- Counts observed on a day: contributors (REST) and dependents ("Used by" HTML page).
CREATE TABLE github_repo_counts (
    repo           VARCHAR NOT NULL,
    observed_date  DATE NOT NULL,
    metric         VARCHAR NOT NULL,     -- contributors | dependent_repositories | dependent_packages
    value          BIGINT NOT NULL,
    detail         VARCHAR,              -- e.g. the package the dependents page counted
    source         VARCHAR NOT NULL,
    source_url     VARCHAR NOT NULL,
    fetched_at     TIMESTAMPTZ NOT NULL,
    raw_sha256     VARCHAR NOT NULL,
    load_id        VARCHAR NOT NULL,
    PRIMARY KEY (repo, observed_date, metric, load_id)
);
