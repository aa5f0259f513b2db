-- Internal: adoption-index signal (docs/ARCHITECTURE.md, "Signals"): conference papers that
-- mention PyTorch / TensorFlow per year, in the latest version of He's data.csv, over a FIXED
-- venue set per family so that years compare like for like: general ML ICLR, ICML, NeurIPS;
-- NLP ACL, EMNLP; vision CVPR (the venues He counted in every year 2018-2020; NAACL, ICCV and
-- ECCV are not annual). A year in which any of these six is missing, or in which a venue counts
-- submissions instead of accepted papers (ICLR from 2021, flagged denominator_change upstream),
-- is flagged venue_set_change: it stays in the series, marked, and is never the latest value of
-- the index (analysis.headline.latest_comparable).
CREATE OR REPLACE VIEW signal_paper_mentions AS
WITH fixed(venue_family, venue) AS (
    VALUES ('general_ml', 'ICLR'), ('general_ml', 'ICML'), ('general_ml', 'NeurIPS'),
           ('nlp', 'ACL'), ('nlp', 'EMNLP'), ('vision', 'CVPR')
),
rows AS (
    SELECT p.* FROM paper_mentions p JOIN fixed f USING (venue_family, venue)
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
           CASE WHEN venues < (SELECT count(*) FROM fixed) OR submissions
                THEN ['venue_set_change'] ELSE [] END))), ',') AS flags,
       source
FROM per_year;
