-- dataset: published_figures
-- description: Headline numbers as published (blog posts, reports), each with its publisher, URL and date, so that published and measured values can stand side by side; entered by hand with citations, never computed.
-- column figure_id: stable id of the row in collectors/published_figures.csv
-- column source: who published it (author, site, report)
-- column url: where it was published
-- column publication_date: publication date (first day of the month or year when less precise)
-- column date_precision: day, month or year
-- column population: who or what was measured
-- column period_year: the year the figure describes
-- column metric: what was measured
-- column framework: torch, tensorflow, keras, scikit-learn, or * when not framework-specific
-- column value: the number as published
-- column unit: percent or count
-- column qualifier: exact, at_least ('75+%') or about
-- column compare_survey: the survey in survey_shares that measures the same population (empty when none)
-- column compare_segment: the survey_shares segment that matches the population (empty when none)
-- column notes: caveats and exact wording
-- column load_id: the load that stored the row
CREATE OR REPLACE VIEW published_figures AS
SELECT figure_id, publisher AS source, url, publication_date, date_precision, population,
       period_year, metric, framework, value, unit, qualifier, compare_survey, compare_segment,
       notes, load_id
FROM cur_published_figure_values;
