-- Internal: adoption-index signal (docs/ARCHITECTURE.md, "Signals"): conference papers that
-- mention PyTorch / TensorFlow per year, summed over the venues published in the latest version
-- of He's data.csv that have both counts. A year's venue mix changes (e.g. ICLR counts all
-- submissions from 2021), so read the share, not the level.
CREATE OR REPLACE VIEW signal_paper_mentions AS
SELECT 'paper_mentions' AS signal,
       'Conference papers mentioning the framework (He, latest version)' AS signal_label,
       make_date(year, 1, 1) AS period, 'year' AS granularity, framework,
       sum(papers)::DOUBLE AS value,
       array_to_string(list_sort(list_distinct(flatten(list(string_split(NULLIF(flags, ''), ','))))), ',') AS flags,
       any_value(source) AS source
FROM paper_mentions
WHERE method = 'published' AND framework IN ('torch', 'tensorflow')
GROUP BY year, framework;
