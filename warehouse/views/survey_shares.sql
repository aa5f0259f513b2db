-- dataset: survey_shares
-- description: Share of respondents who use each framework, per developer survey, year and segment, with the denominator (respondents who answered the frameworks question) and a 95 % Wilson interval.
-- column survey: kaggle (Kaggle ML & DS Survey) or stackoverflow (Stack Overflow Developer Survey)
-- column year: survey year
-- column segment: all, professional (employed / professional developers), data_scientist (job title Data Scientist), student, or country:<name> (top 10 countries by answers that year); mapping per year in docs/surveys.md
-- column framework: harmonised option id: torch, tensorflow, keras, jax, scikit-learn, none, other, ... (an option not offered that year has no row)
-- column respondents: respondents in the segment who chose the option
-- column answered: respondents in the segment who answered the question (chose at least one option, None and Other included) - the denominator
-- column share: respondents / answered
-- column ci_low: lower bound of the 95 % Wilson interval of share
-- column ci_high: upper bound of the 95 % Wilson interval of share
-- column question: the question as asked that year (wording changes: 2018 Kaggle asked about the past 5 years, later years about regular use)
-- column question_code: the question's column code that year (Q19, Q28, Q16, Q17, MiscTechHaveWorkedWith, ...)
-- column option_label: the option as worded that year
-- column segment_respondents: every respondent in the segment, answered or not
-- column source: source name (see the sources table)
-- column source_url: the input file or zip
-- column raw_sha256: sha256 of the raw input
-- column load_id: the load that stored the row
CREATE OR REPLACE VIEW survey_shares AS
SELECT survey, year, segment, framework, respondents, answered,
       respondents::DOUBLE / answered AS share, ci_low, ci_high, question, question_code,
       option_label, segment_respondents, source, source_url, raw_sha256, load_id
FROM cur_survey_framework_counts;
