-- dataset: job_postings_yearly
-- description: Hacker News 'Who is hiring?' job posts per calendar year and the posts that mention each framework (PyTorch, TensorFlow, Keras; also Machine Learning, Deep Learning, AI, Python), with the denominator and a 95 % Wilson interval. Monthly counts are 0-13 posts per framework, so years are the grain; a year with fewer than 12 threads is partial. One community's job board, not the job market.
-- column year: first day of the calendar year
-- column term: hntrends term (PyTorch, TensorFlow, Keras, ...)
-- column months: months with a thread in the data that year (12 = complete)
-- column posts: job posts (top-level comments) in those threads: the denominator
-- column posts_matching: posts mentioning the term (a post counts once per term)
-- column share_of_posts: posts_matching / posts
-- column ci_low: lower bound of the 95 % Wilson interval of share_of_posts
-- column ci_high: upper bound of the 95 % Wilson interval of share_of_posts
-- column partial_year: true when months < 12 (first and last year, missing threads)
CREATE OR REPLACE VIEW job_postings_yearly AS
WITH yearly AS (
    SELECT make_date(year(month), 1, 1) AS year, term, count(*) AS months,
           sum(posts) AS posts, sum(posts_matching) AS posts_matching
    FROM cur_job_posts_monthly
    GROUP BY ALL
),
wilson AS (
    -- z = 1.959964 (95 %), as analysis.surveys.wilson_interval
    SELECT *, posts_matching / posts AS p, 1.959963984540054 ^ 2 AS z2
    FROM yearly WHERE posts > 0
)
SELECT year, term, months, posts, posts_matching, p AS share_of_posts,
       greatest(0.0, ((p + z2 / (2 * posts))
           - sqrt(z2) * sqrt(p * (1 - p) / posts + z2 / (4 * posts * posts))) / (1 + z2 / posts))
           AS ci_low,
       least(1.0, ((p + z2 / (2 * posts))
           + sqrt(z2) * sqrt(p * (1 - p) / posts + z2 / (4 * posts * posts))) / (1 + z2 / posts))
           AS ci_high,
       months < 12 AS partial_year
FROM wilson
ORDER BY year, term;
