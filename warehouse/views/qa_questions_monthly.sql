-- dataset: qa_questions_monthly
-- description: Stack Overflow questions per tag per calendar month, from the archived counts (2009-2019) and the live Stack Exchange API; a month without a value is missing, not zero.
-- column tag: Stack Overflow tag (lower case)
-- column month: first day of the month
-- column questions: questions created that month carrying the tag
-- column source: stackoverflow_tag_trends (archived Kaggle 'stackindex' table, to 2019-12), stackoverflow_trends_nschloe (nschloe plot, to 2023-05), stackoverflow_sede (SEDE 2025-03, 2022-11 .. 2025-02) or stackexchange_api (live, filter=total); each archive is a different vintage (see qa_source_overlap)
-- column source_url: the input file or API request
-- column raw_sha256: sha256 of the raw input
-- column load_id: the load that stored the value
CREATE OR REPLACE VIEW qa_questions_monthly AS
SELECT tag, month, questions, source, source_url, raw_sha256, load_id
FROM cur_qa_tag_questions_monthly;
