-- Stack Overflow questions per tag per month (archived Kaggle "stackindex" counts, live API).
CREATE TABLE qa_tag_questions_monthly (
    tag          VARCHAR NOT NULL,   -- Stack Overflow tag, lower case
    month        DATE NOT NULL,      -- first day of the month
    questions    BIGINT NOT NULL,    -- questions created that month carrying the tag
    source       VARCHAR NOT NULL,   -- stackoverflow_tag_trends | stackexchange_api
    source_url   VARCHAR NOT NULL,
    fetched_at   TIMESTAMPTZ NOT NULL,
    raw_sha256   VARCHAR NOT NULL,
    load_id      VARCHAR NOT NULL,
    PRIMARY KEY (tag, month, source, load_id)
);
