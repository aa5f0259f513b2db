-- Internal: the adoption-index signal contract (see docs/ARCHITECTURE.md, "Signals").
-- Kaggle ML & DS Survey: share of all respondents who answered the frameworks question and use
-- each framework, per survey year. Years whose question wording differs from the latest year
-- (2017 work tools, 2018 "past 5 years") carry the flag question_wording.
CREATE OR REPLACE VIEW signal_survey_kaggle AS
WITH latest AS (
    SELECT question FROM cur_survey_framework_counts
    WHERE survey = 'kaggle' AND segment = 'all'
    QUALIFY row_number() OVER (ORDER BY year DESC) = 1
)
SELECT 'survey_kaggle' AS signal,
       'Kaggle ML & DS Survey (share of respondents)' AS signal_label,
       make_date(year, 1, 1) AS period, 'year' AS granularity, framework,
       respondents::DOUBLE / answered AS value,
       CASE WHEN question <> (SELECT question FROM latest) THEN 'question_wording' ELSE '' END
           AS flags,
       source
FROM cur_survey_framework_counts
WHERE survey = 'kaggle' AND segment = 'all'
  AND framework IN ('torch', 'tensorflow', 'keras', 'jax');
