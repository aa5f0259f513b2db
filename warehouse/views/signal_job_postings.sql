-- Internal: the adoption-index signal contract (see docs/ARCHITECTURE.md, "Signals").
-- Hacker News 'Who is hiring?' posts per year mentioning each framework, as a share of all
-- posts that year (an industry signal: employers asking for the framework). A rate, so a partial
-- year (fewer than 12 threads, flagged partial_year) and the board's size do not move it; the
-- PyTorch share of the two is the same as from the counts (same posts, same months).
CREATE OR REPLACE VIEW signal_job_postings AS
SELECT 'job_postings' AS signal,
       'Hacker News job posts naming the framework' AS signal_label,
       year AS period, 'year' AS granularity,
       CASE term WHEN 'PyTorch' THEN 'torch' WHEN 'TensorFlow' THEN 'tensorflow'
                 ELSE 'keras' END AS framework,
       share_of_posts::DOUBLE AS value,
       CASE WHEN partial_year THEN 'partial_year' ELSE '' END AS flags,
       'hn_who_is_hiring' AS source
FROM job_postings_yearly
WHERE term IN ('PyTorch', 'TensorFlow', 'Keras');
