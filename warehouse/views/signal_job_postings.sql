-- Internal: the adoption-index signal contract (see docs/ARCHITECTURE.md, "Signals").
-- Hacker News 'Who is hiring?' posts per year mentioning each framework (an industry signal:
-- employers asking for the framework). Years with fewer than 12 threads are flagged
-- partial_year; the share within a year is like for like (same posts, same months).
CREATE OR REPLACE VIEW signal_job_postings AS
SELECT 'job_postings' AS signal,
       'Hacker News job posts naming the framework' AS signal_label,
       year AS period, 'year' AS granularity,
       CASE term WHEN 'PyTorch' THEN 'torch' WHEN 'TensorFlow' THEN 'tensorflow'
                 ELSE 'keras' END AS framework,
       posts_matching::DOUBLE AS value,
       CASE WHEN partial_year THEN 'partial_year' ELSE '' END AS flags,
       'hn_who_is_hiring' AS source
FROM job_postings_yearly
WHERE term IN ('PyTorch', 'TensorFlow', 'Keras');
