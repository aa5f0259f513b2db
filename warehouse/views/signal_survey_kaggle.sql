-- Internal: the adoption-index signal contract (see docs/ARCHITECTURE.md, "Signals").
-- Kaggle ML & DS Survey: share of all respondents who answered the frameworks question and use
-- each framework, per survey year (kaggle_segment_shares, segment 'all').
CREATE OR REPLACE VIEW signal_survey_kaggle AS
SELECT 'survey_kaggle' AS signal,
       'Kaggle ML & DS Survey (share of respondents)' AS signal_label,
       period, 'year' AS granularity, framework, value, flags, source
FROM kaggle_segment_shares
WHERE segment = 'all';
