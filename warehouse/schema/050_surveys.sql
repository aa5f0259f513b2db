-- Developer surveys (Kaggle ML & DS, Stack Overflow): per survey year, segment and framework
-- option, how many respondents chose it and how many answered the frameworks question.
CREATE TABLE survey_framework_counts (
    survey              VARCHAR NOT NULL,   -- kaggle | stackoverflow
    year                INTEGER NOT NULL,   -- survey year
    segment             VARCHAR NOT NULL,   -- all | professional | data_scientist | student | country:<name>
    framework           VARCHAR NOT NULL,   -- harmonised id: torch, tensorflow, keras, jax, scikit-learn, none, other, ...
    option_label        VARCHAR NOT NULL,   -- the option as worded that year (spaces stripped)
    respondents         INTEGER NOT NULL,   -- respondents in the segment who chose the option
    answered            INTEGER NOT NULL,   -- respondents in the segment who answered the question
    segment_respondents INTEGER NOT NULL,   -- every respondent in the segment (answered or not)
    ci_low              DOUBLE NOT NULL,    -- 95 % Wilson interval of respondents / answered
    ci_high             DOUBLE NOT NULL,
    question_code       VARCHAR NOT NULL,   -- e.g. Q19, Q28, MiscTechHaveWorkedWith
    question            VARCHAR NOT NULL,   -- the question as asked that year
    source              VARCHAR NOT NULL,
    source_url          VARCHAR NOT NULL,
    fetched_at          TIMESTAMPTZ NOT NULL,
    raw_sha256          VARCHAR NOT NULL,
    load_id             VARCHAR NOT NULL,
    PRIMARY KEY (survey, year, segment, framework, load_id)
);
