-- Papers that mention a framework: conference counts (published and recounted), live
-- bibliographic counts per year, and Papers with Code implementations per month.

-- One row per venue, year, version, method and framework row. `version_date` keeps every
-- published version apart (Horace He's data.csv was recounted with a different method in
-- 2021-02); the recount and full-text methods carry the date of the input they were counted from.
CREATE TABLE paper_mention_counts (
    venue             VARCHAR NOT NULL,   -- canonical: CVPR, ICCV, ECCV, ACL, EMNLP, NAACL, ICML, ICLR, NeurIPS, ...
    year              INTEGER NOT NULL,
    method            VARCHAR NOT NULL,   -- published | flags_any | flags_article_rule | fulltext_synonyms
    version_date      DATE NOT NULL,      -- date of the published version / input the counts come from
    framework         VARCHAR NOT NULL,   -- torch | tensorflow | jax | both | neither | excluded
    papers            INTEGER NOT NULL,
    total_papers      INTEGER,            -- papers in the conference (as published / in the list)
    conference_month  DATE,               -- MM/YY of the published row (first of the month)
    version_ref       VARCHAR,            -- upstream commit or index URL of the version
    source            VARCHAR NOT NULL,
    source_url        VARCHAR NOT NULL,
    fetched_at        TIMESTAMPTZ NOT NULL,
    raw_sha256        VARCHAR NOT NULL,
    load_id           VARCHAR NOT NULL,
    PRIMARY KEY (venue, year, method, version_date, framework, load_id)
);

-- Live bibliographic counts (OpenAlex, arXiv) per publication year, as observed on a date.
CREATE TABLE bibliographic_counts_yearly (
    source            VARCHAR NOT NULL,   -- openalex | arxiv
    query_term        VARCHAR NOT NULL,   -- synonym-list key, e.g. torch
    year              INTEGER NOT NULL,
    observed_date     DATE NOT NULL,      -- counts grow as indexes fill; history accumulates
    framework         VARCHAR NOT NULL,
    works             BIGINT NOT NULL,
    query             VARCHAR NOT NULL,   -- the exact search sent (secrets never included)
    source_url        VARCHAR NOT NULL,
    fetched_at        TIMESTAMPTZ NOT NULL,
    raw_sha256        VARCHAR NOT NULL,
    load_id           VARCHAR NOT NULL,
    PRIMARY KEY (source, query_term, year, observed_date, load_id)
);

-- Papers with Code archive: repositories per framework per month (see docs/papers.md for the
-- month used: the archive carries no repository creation date).
CREATE TABLE pwc_implementations_monthly (
    framework         VARCHAR NOT NULL,   -- torch | tensorflow | jax | mxnet | none | other
    month             DATE NOT NULL,
    month_basis       VARCHAR NOT NULL,   -- arxiv_id | paper_date
    repos             INTEGER NOT NULL,   -- distinct repositories linked to papers of that month
    links             INTEGER NOT NULL,   -- paper-repository links
    official_links    INTEGER NOT NULL,   -- links marked is_official
    source            VARCHAR NOT NULL,
    source_url        VARCHAR NOT NULL,
    fetched_at        TIMESTAMPTZ NOT NULL,
    raw_sha256        VARCHAR NOT NULL,
    load_id           VARCHAR NOT NULL,
    PRIMARY KEY (framework, month, month_basis, load_id)
);
