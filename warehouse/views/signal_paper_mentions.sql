-- Internal: adoption-index signal (docs/ARCHITECTURE.md, "Signals"): conference papers that
-- mention PyTorch / TensorFlow per year, in the latest version of He's data.csv, over the FIXED
-- venue set per family (view paper_fixed_venues) so that years compare like for like. A year
-- in which any of these venues is missing, or in which a venue counts
-- submissions instead of accepted papers (ICLR from 2021, flagged denominator_change upstream),
-- is flagged venue_set_change: it stays in the series, marked, and is never the latest value of
-- the index (analysis.headline.latest_comparable).
CREATE OR REPLACE VIEW signal_paper_mentions AS
WITH rows AS (
    SELECT p.* FROM paper_mentions p JOIN paper_fixed_venues f USING (venue_family, venue)
    WHERE p.method = 'published' AND p.framework IN ('torch', 'tensorflow')
),
per_year AS (
    SELECT year, framework, sum(papers)::DOUBLE AS value,
           count(DISTINCT venue) AS venues,
           bool_or(coalesce(flags, '') LIKE '%denominator_change%') AS submissions,
           list_distinct(flatten(list(string_split(NULLIF(flags, ''), ',')))) AS kinds,
           any_value(source) AS source
    FROM rows GROUP BY year, framework
)
SELECT 'paper_mentions' AS signal,
       'Conference papers mentioning the framework (He, fixed venues)' AS signal_label,
       make_date(year, 1, 1) AS period, 'year' AS granularity, framework, value,
       array_to_string(list_sort(list_distinct(list_concat(
           kinds,
           CASE WHEN venues < (SELECT count(*) FROM paper_fixed_venues) OR submissions
                THEN ['venue_set_change'] ELSE [] END))), ',') AS flags,
       source
FROM per_year;
