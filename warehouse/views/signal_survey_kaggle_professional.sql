-- Internal: the adoption-index signal contract (see docs/ARCHITECTURE.md, "Signals").
-- Kaggle ML & DS Survey, professional respondents only (segment 'professional': employed, not
-- students; the collector's rule per year). The industry claim reads this segment, never all
-- respondents. Shares and wording flags from kaggle_segment_shares.
CREATE OR REPLACE VIEW signal_survey_kaggle_professional AS
SELECT 'survey_kaggle_professional' AS signal,
       'Kaggle ML & DS Survey (professional respondents)' AS signal_label,
       period, 'year' AS granularity, framework, value, flags, source
FROM kaggle_segment_shares
WHERE segment = 'professional';
