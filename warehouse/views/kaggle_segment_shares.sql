-- Internal: Kaggle ML & DS Survey framework shares per year and segment, read by the signal
-- views signal_survey_kaggle (all respondents) and signal_survey_kaggle_professional. Share of
-- the segment's respondents who answered the frameworks question and use each framework; a year
-- whose question wording differs from the segment's latest year carries the flag
-- question_wording (2017 work tools, 2018 "past 5 years").
CREATE OR REPLACE VIEW kaggle_segment_shares AS
WITH latest AS (
    SELECT segment, question FROM cur_survey_framework_counts
    WHERE survey = 'kaggle'
    QUALIFY row_number() OVER (PARTITION BY segment ORDER BY year DESC) = 1
)
SELECT c.segment, make_date(c.year, 1, 1) AS period, c.framework,
       c.respondents::DOUBLE / c.answered AS value,
       CASE WHEN c.question <> l.question THEN 'question_wording' ELSE '' END AS flags,
       c.source
FROM cur_survey_framework_counts c JOIN latest l USING (segment)
WHERE c.survey = 'kaggle' AND c.framework IN ('torch', 'tensorflow', 'keras', 'jax');
