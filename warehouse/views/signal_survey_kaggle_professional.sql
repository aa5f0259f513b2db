-- Internal: the adoption-index signal contract (see docs/ARCHITECTURE.md, "Signals").
-- Kaggle ML & DS Survey, professional respondents only (segment 'professional': employed, not
-- students; the collector's rule per year): share of those who answered the frameworks question
-- and use each framework. The industry claim reads this segment, never all respondents. Years
-- whose question wording differs from the latest year carry the flag question_wording.
CREATE OR REPLACE VIEW signal_survey_kaggle_professional AS
WITH latest AS (
    SELECT question FROM cur_survey_framework_counts
    WHERE survey = 'kaggle' AND segment = 'professional'
    QUALIFY row_number() OVER (ORDER BY year DESC) = 1
)
SELECT 'survey_kaggle_professional' AS signal,
       'Kaggle ML & DS Survey (professional respondents)' AS signal_label,
       make_date(year, 1, 1) AS period, 'year' AS granularity, framework,
       respondents::DOUBLE / answered AS value,
       CASE WHEN question <> (SELECT question FROM latest) THEN 'question_wording' ELSE '' END
           AS flags,
       source
FROM cur_survey_framework_counts
WHERE survey = 'kaggle' AND segment = 'professional'
  AND framework IN ('torch', 'tensorflow', 'keras', 'jax');
