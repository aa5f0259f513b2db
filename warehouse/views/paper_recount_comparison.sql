-- dataset: paper_recount_comparison
-- description: Per conference-year and published version of He's data.csv, the published PyTorch/TensorFlow counts next to this package's recounts from the paper lists' keyword flags.
-- column venue: conference
-- column year: conference year
-- column version: published data.csv version compared with (NULL when the year was never published)
-- column total_papers: papers in the conference as published (or in the list)
-- column published_torch: PyTorch papers in that published version
-- column published_tensorflow: TensorFlow papers in that published version
-- column any_torch: papers flagged pytorch (recount, no exclusions)
-- column any_tensorflow: papers flagged tensorflow (recount, no exclusions)
-- column rule_torch: PyTorch-only papers after the article rule (google.com / fb.com papers and papers mentioning both left out)
-- column rule_tensorflow: TensorFlow-only papers after the article rule
-- column rule_both: papers mentioning both (left out by the rule)
-- column rule_excluded: papers left out for a google.com / fb.com flag
-- column rule_torch_diff: rule_torch - published_torch
-- column rule_tensorflow_diff: rule_tensorflow - published_tensorflow
-- column status: recounted | no flags upstream (list without keyword flags) | no paper list
CREATE OR REPLACE VIEW paper_recount_comparison AS
WITH pub AS (
    SELECT venue, year, version,
           max(total_papers) AS total_papers,
           max(papers) FILTER (WHERE framework = 'torch') AS published_torch,
           max(papers) FILTER (WHERE framework = 'tensorflow') AS published_tensorflow
    FROM paper_mentions_versions WHERE method = 'published' GROUP BY ALL
),
rec AS (
    SELECT venue, year, max(total_papers) AS list_papers,
           max(papers) FILTER (WHERE method = 'flags_any' AND framework = 'torch') AS any_torch,
           max(papers) FILTER (WHERE method = 'flags_any' AND framework = 'tensorflow') AS any_tensorflow,
           max(papers) FILTER (WHERE method = 'flags_article_rule' AND framework = 'torch') AS rule_torch,
           max(papers) FILTER (WHERE method = 'flags_article_rule' AND framework = 'tensorflow') AS rule_tensorflow,
           max(papers) FILTER (WHERE method = 'flags_article_rule' AND framework = 'both') AS rule_both,
           max(papers) FILTER (WHERE method = 'flags_article_rule' AND framework = 'excluded') AS rule_excluded
    FROM paper_mentions WHERE method IN ('flags_any', 'flags_article_rule') GROUP BY ALL
),
unflagged AS (
    SELECT DISTINCT subject AS venue, year(period_start) AS year FROM data_flags
    WHERE source = 'he_conferences' AND kind = 'not_recounted'
)
SELECT coalesce(p.venue, r.venue) AS venue, coalesce(p.year, r.year) AS year, p.version,
       coalesce(p.total_papers, r.list_papers) AS total_papers,
       p.published_torch, p.published_tensorflow, r.any_torch, r.any_tensorflow,
       r.rule_torch, r.rule_tensorflow, r.rule_both, r.rule_excluded,
       r.rule_torch - p.published_torch AS rule_torch_diff,
       r.rule_tensorflow - p.published_tensorflow AS rule_tensorflow_diff,
       CASE WHEN r.venue IS NOT NULL THEN 'recounted'
            WHEN u.venue IS NOT NULL THEN 'no flags upstream'
            ELSE 'no paper list' END AS status
FROM pub p FULL JOIN rec r ON p.venue = r.venue AND p.year = r.year
LEFT JOIN unflagged u ON u.venue = coalesce(p.venue, r.venue) AND u.year = coalesce(p.year, r.year);
